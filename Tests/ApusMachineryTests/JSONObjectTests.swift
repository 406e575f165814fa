import Testing
@testable import ApusMachinery

@Suite struct JSONObjectTests {
    @Test func membersStaySortedWhateverTheOrderOfInsertion() {
        var object = JSONObject()
        for key in ["m", "b", "z", "a", "k"] { object[key] = .string(key) }
        #expect(object.keys == ["a", "b", "k", "m", "z"])
        object["b"] = nil
        object.removeValue(forKey: "z")
        #expect(object.keys == ["a", "k", "m"])
        #expect(object["k"] == "k")
    }

    @Test func aMissingMemberIsNilNotJSONNull() {
        let object: JSONObject = ["present": .null]
        #expect(object["missing"] == Optional<JSON>.none)
        #expect(object["present"] == Optional<JSON>.some(.null))
        #expect(object.index(forKey: "missing") == nil)
    }

    @Test func aRepeatedNameKeepsItsLastValue() throws {
        let literal: JSONObject = ["a": 1, "b": 2, "a": 3]
        #expect(literal.members.map(\.key) == ["a", "b"])
        #expect(literal["a"] == 3)
        let parsed = try JSON.parse(#"{"b":1,"a":2,"b":3,"a":4}"#)
        #expect(parsed.serializedString == #"{"a":4,"b":3}"#)
    }

    @Test func equalityAndHashingIgnoreTheOrderMembersCameIn() throws {
        let one = try JSON.parse(#"{"x":1,"y":{"q":[1,2],"p":null}}"#)
        let other = try JSON.parse(#"{"y":{"p":null,"q":[1,2]},"x":1}"#)
        #expect(one == other)
        #expect(one.hashValue == other.hashValue)
        #expect(one != (try JSON.parse(#"{"x":1,"y":{"q":[2,1],"p":null}}"#)))
    }

    @Test func dictionaryLikeOperations() {
        let object: JSONObject = ["a": 1, "b": "two", "c": 3]
        #expect(object.filter { $0.value.int != nil }.keys == ["a", "c"])
        #expect(object.mapValues { JSON.int(($0.int ?? 0) * 10) }["c"] == 30)
        #expect(object.compactMapValues(\.int) == ["a": 1, "c": 3])
        #expect(object.merging(["b": 9, "d": 4]) { _, new in new }.keys == ["a", "b", "c", "d"])
        #expect(JSONObject(["z": 1, "y": 2]).keys == ["y", "z"])
        #expect(JSONObject(["z": 1, "y": 2]).dictionary == ["z": 1, "y": 2])
        var withDefault = object
        withDefault["n", default: 0] = 5
        #expect(withDefault["n"] == 5)
    }

    @Test func theSerializerWritesTheKeptOrder() {
        var json = JSON.emptyObject
        json["zeta"] = 1
        json["alpha"] = ["b": 2, "a": 1]
        #expect(json.serializedString == #"{"alpha":{"a":1,"b":2},"zeta":1}"#)
    }

    @Test func theParserSharesOneCopyOfCommonLongStrings() throws {
        let text = #"[{"terminationMessagePath":"/dev/termination-log"},{"terminationMessagePath":"/dev/termination-log"}]"#
        let parsed = try JSON.parse(text)
        let first = parsed[0].object!.members[0]
        let second = parsed[1].object!.members[0]
        #expect(first.key == "terminationMessagePath")
        #expect(sameStorage(first.key, second.key))
        #expect(sameStorage(first.value.string!, second.value.string!))
        let uncommon = try JSON.parse(#"["a-string-nobody-shares","a-string-nobody-shares"]"#)
        #expect(!sameStorage(uncommon[0].string!, uncommon[1].string!))
    }

    private func sameStorage(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.baseAddress == y.baseAddress } }
    }
}
