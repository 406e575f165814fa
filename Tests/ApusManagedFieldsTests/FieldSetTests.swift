import ApusMachinery
import Testing
@testable import ApusManagedFields

@Suite struct FieldSetTests {
    @Test func readsAndWritesFieldsV1() throws {
        let text = #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}},"f:finalizers":{"v:\"a\"":{}}}}"#
        let parsed = try #require(FieldSet(fieldsV1: try JSON.parse(text)))
        #expect(parsed.fieldsV1.serializedString == text)
        #expect(parsed.contains([.field("metadata"), .field("labels")]))
        #expect(parsed.contains([.field("spec"), .field("containers"), .key(["name": "web"]), .field("image")]))
        #expect(parsed.contains([.field("spec"), .field("finalizers"), .value("a")]))
        #expect(!parsed.contains([.field("spec")]))
    }

    @Test func rejectsMalformedFieldsV1() throws {
        #expect(FieldSet(fieldsV1: try JSON.parse(#"{"x:y":{}}"#)) == nil)
        #expect(FieldSet(fieldsV1: try JSON.parse(#"{"f:a":3}"#)) == nil)
        #expect(FieldSet(fieldsV1: try JSON.parse(#"{"k:notjson":{}}"#)) == nil)
        #expect(FieldSet(fieldsV1: "text") == nil)
    }

    @Test func setOperations() {
        let a = FieldSet(paths: [[.field("a")], [.field("b"), .field("c")], [.field("b"), .field("d")]])
        let b = FieldSet(paths: [[.field("b"), .field("c")], [.field("e")]])
        #expect(a.union(b).paths.count == 4)
        #expect(a.intersection(b).paths == [[.field("b"), .field("c")]])
        #expect(a.subtracting(b).paths == [[.field("a")], [.field("b"), .field("d")]])
        #expect(a.subtracting(a).isEmpty)
    }

    @Test func printsPathsAsConflictMessagesDo() {
        let path: [PathElement] = [.field("spec"), .field("containers"), .key(["name": "web"]), .field("image")]
        #expect(path.displayed == #".spec.containers[name="web"].image"#)
        #expect([PathElement.field("ports"), .key(["containerPort": 80, "protocol": "TCP"])].displayed
            == #".ports[containerPort=80,protocol="TCP"]"#)
        #expect([PathElement.field("finalizers"), .value("x")].displayed == #".finalizers[="x"]"#)
        #expect(PathElement.key(["protocol": "TCP", "containerPort": 80]).fieldsV1Name == #"k:{"containerPort":80,"protocol":"TCP"}"#)
    }
}
