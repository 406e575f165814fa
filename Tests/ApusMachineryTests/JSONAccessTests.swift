import ApusMachinery
import Testing

@Suite("JSON subscripts and accessors")
struct JSONAccessTests {
    static let pod: JSON = [
        "metadata": ["name": "web", "labels": ["app": "web"]],
        "spec": ["containers": [["name": "c1"], ["name": "c2"]], "replicas": 2],
    ]

    @Test("member access yields null for anything missing")
    func memberAccess() {
        #expect(Self.pod["metadata"]["name"].string == "web")
        #expect(Self.pod["metadata"]["missing"].isNull)
        #expect(Self.pod["missing"]["deeper"]["still"].isNull)
        #expect(Self.pod["metadata"]["name"]["notAnObject"].isNull)
        #expect(JSON.string("x")["key"].isNull)
    }

    @Test("index access yields null out of range and on non-arrays")
    func indexAccess() {
        let containers = Self.pod["spec"]["containers"]
        #expect(containers[0]["name"].string == "c1")
        #expect(containers[1]["name"].string == "c2")
        #expect(containers[2].isNull)
        #expect(containers[-1].isNull)
        #expect(Self.pod[0].isNull)
    }

    @Test("path access")
    func pathGet() {
        #expect(Self.pod[path: ["spec", "replicas"]] == .int(2))
        #expect(Self.pod[path: ["metadata", "labels", "app"]].string == "web")
        #expect(Self.pod[path: ["spec", "nothing", "here"]].isNull)
        #expect(Self.pod[path: []] == Self.pod)
    }

    @Test("setting a member adds or replaces it")
    func setMember() {
        var value = Self.pod
        value["kind"] = "Pod"
        value["metadata"]["name"] = "api"
        #expect(value["kind"].string == "Pod")
        #expect(value["metadata"]["name"].string == "api")
        #expect(value["metadata"]["labels"] == ["app": "web"])
    }

    @Test("setting null removes the key")
    func setNullRemoves() {
        var value: JSON = ["a": 1, "b": 2]
        value["a"] = .null
        #expect(value == ["b": 2])
        #expect(value.object?.keys.contains("a") == false)
        value["missing"] = nil
        #expect(value == ["b": 2])
        var nested = Self.pod
        nested["metadata"]["labels"] = .null
        #expect(nested["metadata"] == ["name": "web"])
    }

    @Test("setting a member on a non-object makes it an object")
    func setOnNonObject() {
        var value = JSON.null
        value["a"] = 1
        #expect(value == ["a": 1])
        var scalar = JSON.int(5)
        scalar["b"] = "x"
        #expect(scalar == ["b": "x"])
    }

    @Test("path set creates intermediate objects")
    func pathSetCreates() {
        var value = JSON.emptyObject
        value[path: ["spec", "template", "metadata", "labels", "app"]] = "web"
        #expect(value == ["spec": ["template": ["metadata": ["labels": ["app": "web"]]]]])
        var existing = Self.pod
        existing[path: ["spec", "strategy", "type"]] = "Recreate"
        #expect(existing["spec"]["strategy"] == ["type": "Recreate"])
        #expect(existing["spec"]["replicas"] == .int(2))
    }

    @Test("path set with null removes the leaf and keeps its parent")
    func pathSetNull() {
        var value = Self.pod
        value[path: ["metadata", "labels", "app"]] = .null
        #expect(value["metadata"]["labels"] == .emptyObject)
        #expect(value["metadata"]["name"].string == "web")
    }

    @Test("empty path set replaces the whole value")
    func pathSetEmpty() {
        var value = Self.pod
        value[path: []] = [1, 2]
        #expect(value == [1, 2])
    }

    @Test("setExplicitNull keeps the key with a null value")
    func explicitNull() {
        var value: JSON = ["a": 1]
        value.setExplicitNull("b")
        #expect(value.object?["b"] == .some(.null))
        #expect(value.serializedString == #"{"a":1,"b":null}"#)
    }

    @Test("typed accessors")
    func typedAccessors() {
        #expect(JSON.int(3).int == 3)
        #expect(JSON.double(3.0).int == 3)
        #expect(JSON.double(3.5).int == nil)
        #expect(JSON.double(1e19).int == nil)
        #expect(JSON.string("3").int == nil)
        #expect(JSON.int(2).double == 2.0)
        #expect(JSON.double(2.5).double == 2.5)
        #expect(JSON.bool(true).bool == true)
        #expect(JSON.int(1).bool == nil)
        #expect(JSON.string("s").string == "s")
        #expect(JSON.array([1]).array == [1])
        #expect(JSON.emptyObject.object == [:])
        #expect(JSON.null.isNull)
        #expect(!JSON.emptyObject.isNull)
    }

    @Test("omitempty emptiness")
    func emptiness() {
        for value: JSON in [nil, false, 0, 0.0, "", [], [:]] { #expect(value.isEmptyValue, "\(value)") }
        for value: JSON in [true, 1, 0.5, "x", [nil], ["a": nil]] { #expect(!value.isEmptyValue, "\(value)") }
    }

    @Test("literals build the matching cases")
    func literals() {
        let value: JSON = ["s": "x", "i": 1, "d": 1.5, "b": true, "n": nil, "a": [1]]
        #expect(value["s"] == .string("x"))
        #expect(value["i"] == .int(1))
        #expect(value["d"] == .double(1.5))
        #expect(value["b"] == .bool(true))
        #expect(value.object?["n"] == .some(.null))
        #expect(value["a"] == .array([.int(1)]))
    }
}
