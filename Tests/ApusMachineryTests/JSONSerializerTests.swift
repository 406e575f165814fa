import ApusMachinery
import Testing

@Suite("JSON serializer")
struct JSONSerializerTests {
    @Test("object members are written in sorted key order, compactly")
    func sortedKeys() {
        let value: JSON = ["b": 1, "a": ["z": true, "y": nil, "m": [3, 2, 1]], "C": "x", "aa": [:]]
        #expect(value.serializedString == #"{"C":"x","a":{"m":[3,2,1],"y":null,"z":true},"aa":{},"b":1}"#)
    }

    @Test("equal objects built in different orders serialize to equal bytes")
    func orderIndependence() {
        var first = JSON.emptyObject
        first["x"] = 1
        first["y"] = 2
        first["a"] = 3
        var second = JSON.emptyObject
        second["a"] = 3
        second["y"] = 2
        second["x"] = 1
        #expect(first.serialized() == second.serialized())
    }

    @Test("scalars")
    func scalars() {
        #expect(JSON.null.serializedString == "null")
        #expect(JSON.bool(true).serializedString == "true")
        #expect(JSON.bool(false).serializedString == "false")
        #expect(JSON.int(-42).serializedString == "-42")
        #expect(JSON.int(Int64.max).serializedString == "9223372036854775807")
        #expect(JSON.int(Int64.min).serializedString == "-9223372036854775808")
        #expect(JSON.array([]).serializedString == "[]")
        #expect(JSON.emptyObject.serializedString == "{}")
    }

    @Test("string escapes")
    func stringEscapes() {
        let value = JSON.string("q\"b\\n\nr\rt\tc\u{01}u\u{1F}d\u{7F}/é😀")
        #expect(value.serializedString == "\"q\\\"b\\\\n\\nr\\rt\\tc\\u0001u\\u001fd\u{7F}/é😀\"")
        #expect(JSON.string("\u{0}").serializedString == #""\u0000""#)
        #expect(JSON.string("\u{08}\u{0C}").serializedString == #""\u0008\u000c""#)
    }

    @Test("keys are escaped like strings")
    func escapedKeys() {
        let value: JSON = ["a\"b": 1, "new\nline": 2]
        #expect(value.serializedString == #"{"a\"b":1,"new\nline":2}"#)
    }

    @Test("integral doubles print without a fraction", arguments: [
        (1.0, "1"), (-3.0, "-3"), (0.0, "0"), (-0.0, "0"), (100.0, "100"), (123456789012345.0, "123456789012345"),
    ])
    func integralDoubles(value: Double, expected: String) {
        #expect(JSON.double(value).serializedString == expected)
    }

    @Test("fractional and large doubles keep their value")
    func fractionalDoubles() throws {
        for value in [0.5, -2.25, 1e-7, 6.02e23, 1e15, 1e20, 3.141592653589793, 0.1] {
            let text = JSON.double(value).serializedString
            #expect(!text.isEmpty)
            #expect(try JSON.parse(text) == .double(value), "\(value) printed as \(text)")
        }
    }

    @Test("non-finite doubles print as null")
    func nonFinite() {
        #expect(JSON.double(.nan).serializedString == "null")
        #expect(JSON.double(.infinity).serializedString == "null")
        #expect(JSON.double(-.infinity).serializedString == "null")
    }

    @Test("write(to:) appends to existing bytes")
    func appends() {
        var out = Array("prefix:".utf8)
        JSON.array([1, "a"]).write(to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"prefix:[1,"a"]"#)
    }

    static let roundTripValues: [JSON] = [
        .null, true, false, 0, -1, .int(Int64.max), .int(Int64.min), 1.5, -0.001, 1e-7, 6.02e23, 1e15, 0.1,
        "", "plain", "quote \" backslash \\ slash / newline \n tab \t nul \u{0} bell \u{07}", "é ü ✓ 😀 𝄞",
        [], [:], [1, "two", 3.5, nil, true, [[]], [:]],
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "labels": ["app": "web", "tier": "frontend"], "annotations": [:]],
            "spec": [
                "replicas": 3,
                "template": ["spec": ["containers": [["name": "c", "image": "nginx:1.25", "ports": [["containerPort": 80]]]]]],
                "ratio": 0.75, "paused": false, "nothing": nil,
            ],
        ],
    ]

    @Test("parse(serialize(x)) == x", arguments: roundTripValues)
    func roundTrip(value: JSON) throws {
        let bytes = value.serialized()
        #expect(try JSON.parse(bytes) == value)
        #expect(try JSON.parse(bytes).serialized() == bytes)
    }
}
