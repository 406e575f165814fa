import ApusMachinery
import Testing

/// The error `JSON.parse` throws for `text`, or nil when it parses.
private func parseFailure(_ text: String) -> JSONParseError? {
    do {
        _ = try JSON.parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite("JSON parser: numbers")
struct JSONParserNumberTests {
    @Test("integers stay integers", arguments: [
        ("0", Int64(0)), ("-0", 0), ("7", 7), ("-42", -42), ("1234567890123", 1_234_567_890_123),
        ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
    ])
    func integers(text: String, expected: Int64) throws {
        #expect(try JSON.parse(text) == .int(expected))
    }

    @Test("integers beyond Int64 become doubles")
    func bigIntegers() throws {
        #expect(try JSON.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSON.parse("-9223372036854775809") == .double(-9.223372036854775808e18))
        let huge = try JSON.parse("123456789012345678901234567890")
        #expect(huge == .double(1.2345678901234568e29))
    }

    @Test("fractions and exponents are doubles", arguments: [
        ("1.0", 1.0), ("-1.5", -1.5), ("0.25", 0.25), ("1e3", 1000.0), ("1E+2", 100.0), ("2.5e-3", 0.0025),
        ("-0.0", -0.0), ("6.02e23", 6.02e23), ("0e0", 0.0),
    ])
    func doubles(text: String, expected: Double) throws {
        #expect(try JSON.parse(text) == .double(expected))
    }

    @Test("numbers inside containers keep their kind")
    func numbersInContainers() throws {
        let value = try JSON.parse(#"{"replicas":3,"ratio":0.5,"list":[1,2.0,-3]}"#)
        #expect(value["replicas"] == .int(3))
        #expect(value["ratio"] == .double(0.5))
        #expect(value["list"] == .array([.int(1), .double(2.0), .int(-3)]))
    }

    @Test("malformed numbers are rejected", arguments: [
        ("-", 1), ("1.", 2), ("1.e3", 2), ("1e", 2), ("1e+", 3), ("-a", 1), (".5", 0), ("+1", 0),
    ])
    func malformedNumbers(text: String, offset: Int) throws {
        let error = try #require(parseFailure(text))
        #expect(error.offset == offset)
    }

    @Test("a leading zero cannot be followed by digits")
    func leadingZero() throws {
        let error = try #require(parseFailure("01"))
        #expect(error.offset == 1)
        #expect(error.reason == "unexpected data after the value")
    }
}

@Suite("JSON parser: strings")
struct JSONParserStringTests {
    @Test("simple escapes")
    func simpleEscapes() throws {
        let value = try JSON.parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#)
        #expect(value == .string("a\"b\\c/d\u{08}e\u{0C}f\ng\rh\ti"))
    }

    @Test("\\u escapes in the basic plane, either case")
    func unicodeEscapes() throws {
        #expect(try JSON.parse(#""\u00e9\u00E9\u20AC\u0041""#) == .string("éé€A"))
        #expect(try JSON.parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test("surrogate pairs decode to one scalar")
    func surrogatePairs() throws {
        #expect(try JSON.parse(#""\uD83D\uDE00""#) == .string("😀"))
        #expect(try JSON.parse(#""x\ud834\udd1ey""#) == .string("x𝄞y"))
    }

    @Test("a lone low surrogate becomes U+FFFD")
    func loneLowSurrogate() throws {
        #expect(try JSON.parse(#""\uDC00""#) == .string("\u{FFFD}"))
        #expect(try JSON.parse(#""a\uDFFFb""#) == .string("a\u{FFFD}b"))
    }

    @Test("a high surrogate without a following escape becomes U+FFFD")
    func loneHighSurrogate() throws {
        #expect(try JSON.parse(#""\uD800""#) == .string("\u{FFFD}"))
        #expect(try JSON.parse(#""\uD800x""#) == .string("\u{FFFD}x"))
    }

    @Test("raw UTF-8 passes through unchanged")
    func rawUTF8() throws {
        #expect(try JSON.parse("\"héllo wörld ✓ 😀\"") == .string("héllo wörld ✓ 😀"))
    }

    @Test("keys are unescaped too")
    func escapedKeys() throws {
        let value = try JSON.parse(#"{"a\u0062c":1,"x\"y":2}"#)
        #expect(value["abc"] == .int(1))
        #expect(value["x\"y"] == .int(2))
    }

    @Test("control characters inside strings are rejected at their offset")
    func controlCharacters() throws {
        let plain = try #require(parseFailure("\"ab\u{01}c\""))
        #expect(plain.offset == 3)
        #expect(plain.reason == "control character in string")
        let afterEscape = try #require(parseFailure("\"a\\nb\nc\""))
        #expect(afterEscape.offset == 5)
        #expect(afterEscape.reason == "control character in string")
    }

    @Test("unterminated strings are rejected")
    func unterminated() throws {
        let plain = try #require(parseFailure("\"abc"))
        #expect(plain.reason == "unterminated string")
        #expect(plain.offset == 4)
        let escaped = try #require(parseFailure("\"a\\tb"))
        #expect(escaped.reason == "unterminated string")
        let endsInEscape = try #require(parseFailure("\"ab\\"))
        #expect(endsInEscape.reason == "unexpected end of input")
    }

    @Test("bad escapes are rejected")
    func badEscapes() throws {
        let unknown = try #require(parseFailure(#""a\xb""#))
        #expect(unknown.reason == "invalid escape")
        #expect(unknown.offset == 4)
        let badHex = try #require(parseFailure(#""\u12G4""#))
        #expect(badHex.reason == "invalid \\u escape")
        #expect(badHex.offset == 5)
        let shortHex = try #require(parseFailure(#""\u12"#))
        #expect(shortHex.reason == "unexpected end of input")
    }
}

@Suite("JSON parser: structure and errors")
struct JSONParserStructureTests {
    @Test("nested objects and arrays")
    func nesting() throws {
        let text = #" { "a" : [ 1 , { "b" : [ ] , "c" : { } } , null , true , false ] , "d" : "e" } "#
        let value = try JSON.parse(text)
        let expected: JSON = ["a": [1, ["b": [], "c": [:]], nil, true, false], "d": "e"]
        #expect(value == expected)
    }

    @Test("whitespace of every JSON kind is skipped")
    func whitespace() throws {
        #expect(try JSON.parse("\t\r\n [\n1,\t2\r] \n") == [1, 2])
    }

    @Test("a duplicate key keeps the last value")
    func duplicateKeys() throws {
        #expect(try JSON.parse(#"{"a":1,"a":2}"#) == ["a": 2])
    }

    @Test("parses bytes as well as strings")
    func bytes() throws {
        #expect(try JSON.parse(Array(#"{"k":[true]}"#.utf8)) == ["k": [true]])
    }

    @Test("trailing data after the value")
    func trailingData() throws {
        let error = try #require(parseFailure("{} x"))
        #expect(error.offset == 3)
        #expect(error.reason == "unexpected data after the value")
        #expect(error.description == "invalid JSON at offset 3: unexpected data after the value")
        #expect(try #require(parseFailure("[1] [2]")).offset == 4)
        #expect(try #require(parseFailure("1 2")).offset == 2)
    }

    @Test("empty input")
    func empty() throws {
        let error = try #require(parseFailure(""))
        #expect(error.offset == 0)
        #expect(error.reason == "unexpected end of input")
        #expect(try #require(parseFailure("   ")).offset == 3)
    }

    @Test("bad literals", arguments: [
        ("tru", 0, "unexpected end of input"), ("trux", 0, "invalid literal"), ("nul", 0, "unexpected end of input"),
        ("nulL", 0, "invalid literal"), ("[fals", 1, "unexpected end of input"), ("[falsy]", 1, "invalid literal"),
        ("True", 0, "unexpected character 'T'"), ("undefined", 0, "unexpected character 'u'"),
    ])
    func badLiterals(text: String, offset: Int, reason: String) throws {
        let error = try #require(parseFailure(text))
        #expect(error.offset == offset)
        #expect(error.reason == reason)
    }

    @Test("malformed containers", arguments: [
        ("[1,]", 3, "unexpected character ']'"), ("[1 2]", 3, "expected ',' or ']'"), ("[1", 2, "unexpected end of input"),
        (#"{"a" 1}"#, 5, "expected ':'"), (#"{"a":1,}"#, 7, "expected a member name"), (#"{a:1}"#, 1, "expected a member name"),
        (#"{"a":1"#, 6, "unexpected end of input"), (#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"), ("{", 1, "expected a member name"),
    ])
    func malformedContainers(text: String, offset: Int, reason: String) throws {
        let error = try #require(parseFailure(text))
        #expect(error.offset == offset)
        #expect(error.reason == reason)
    }

    @Test("nesting up to 512 levels is accepted")
    func depthAtLimit() throws {
        let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try JSON.parse(text)
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            value = elements.first ?? .null
        }
        #expect(depth == 512)
    }

    @Test("nesting deeper than 512 levels is rejected where it goes too deep")
    func depthBeyondLimit() throws {
        let arrays = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = try #require(parseFailure(arrays))
        #expect(error.reason == "nesting too deep")
        #expect(error.offset == 512)
        let objects = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
        #expect(try #require(parseFailure(objects)).reason == "nesting too deep")
        let mixed = String(repeating: #"[{"a":"#, count: 257) + "1" + String(repeating: "}]", count: 257)
        #expect(try #require(parseFailure(mixed)).reason == "nesting too deep")
    }

    @Test("depth is counted along one path, not across siblings")
    func depthIsPerPath() throws {
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        let siblings = "[" + Array(repeating: deep, count: 4).joined(separator: ",") + "]"
        #expect(throws: Never.self) { try JSON.parse(siblings) }
    }
}


@Suite("JSON parser: Go-compatible edge cases")
struct JSONParserGoCompatibilityTests {
    @Test("a high surrogate followed by an escape that is not a low surrogate keeps that escape")
    func highSurrogateThenOtherEscape() throws {
        // Go's decoder replaces the lone half with U+FFFD and decodes the next escape on its own.
        #expect(try JSON.parse(#""\uD800\u0041""#) == .string("\u{FFFD}A"))
        #expect(try JSON.parse(#""\uD800\uD83D\uDE00""#) == .string("\u{FFFD}😀"))
    }

    @Test("numbers beyond the range of a double are rejected")
    func numberOutOfRange() {
        // Go refuses them ("cannot unmarshal number 1e400"); storing infinity would turn into null.
        #expect(parseFailure("1e400") != nil)
        #expect(parseFailure("-1e400") != nil)
    }
}
