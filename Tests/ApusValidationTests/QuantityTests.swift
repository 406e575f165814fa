import ApusMachinery
import Testing
@testable import ApusValidation

@Suite struct QuantityTests {
    func q(_ text: String) throws -> Quantity { try Quantity.parse(text) }

    @Test(arguments: [
        ("100m", "100m"), ("1Gi", "1Gi"), ("2", "2"), ("1e3", "1e3"), ("0.5", "500m"), ("1.5Gi", "1536Mi"),
        ("1000m", "1"), ("1500", "1500"), ("1k", "1k"), ("512Mi", "512Mi"), ("0", "0"), ("-1", "-1"),
        ("0.1m", "100u"), ("1n", "1n"), ("0.0000000001", "1n"), ("1.5", "1500m"), ("100Ki", "100Ki"),
        ("1024", "1024"), ("1000Mi", "1000Mi"), ("0.5Ki", "512"), ("1E", "1E"), ("12e6", "12e6"), ("+5", "5"),
        ("1.", "1"), (".5", "500m"), ("1e-3", "1e-3"), ("1000000k", "1G"),
    ])
    func canonicalForm(input: String, expected: String) throws {
        #expect(try q(input).description == expected)
    }

    @Test func parseErrors() {
        #expect(throws: Quantity.ParseError.formatWrong) { try Quantity.parse("") }
        #expect(throws: Quantity.ParseError.formatWrong) { try Quantity.parse("abc") }
        #expect(throws: Quantity.ParseError.formatWrong) { try Quantity.parse("1.5.5") }
        #expect(throws: Quantity.ParseError.formatWrong) { try Quantity.parse("1 Gi") }
        #expect(throws: Quantity.ParseError.formatWrong) { try Quantity.parse("1Gb") }
        #expect(throws: Quantity.ParseError.suffix) { try Quantity.parse("1Mm") }
        #expect(throws: Quantity.ParseError.suffix) { try Quantity.parse("1e") }
        #expect(Quantity.ParseError.formatWrong.description == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    }

    @Test func comparisons() throws {
        #expect(try q("1000m") == q("1"))
        #expect(try q("1Gi") > q("1G"))
        #expect(try q("500m") < q("1"))
        #expect(try q("-1") < q("0"))
        #expect(try q("-2") < q("-1"))
        #expect(try q("1Ki") == q("1024"))
        #expect(try q("1e3") == q("1k"))
        #expect(try q("100m").compare(q("0.1")) == 0)
        #expect(try q("2").compare(q("1")) == 1)
        #expect(try q("-0").isNegative == false)
        #expect(try q("1.5").isInteger == false)
        #expect(try q("2000m").isInteger)
    }

    @Test func largeValuesStayExact() throws {
        #expect(try q("10E").description == "10E")
        #expect(try q("100Ei").description == "9223372036854775807")
        #expect(try q("123456789012345678901234567890").description == "123456789012345678901234567890")
        #expect(try q("1e300") > q("1e299"))
        // Absurdly long input is folded instead of being multiplied out digit by digit.
        let huge = "1" + String(repeating: "0", count: 200_000)
        #expect(try q(huge) > q("1e90"))
        #expect(try q("0." + String(repeating: "0", count: 100_000) + "1").description == "1n")
    }

    @Test func fromJSON() throws {
        #expect(try Quantity.from(.int(2)).get().description == "2")
        #expect(try Quantity.from(.double(0.5)).get().description == "500m")
        #expect(try Quantity.from(" 1Gi ").get().description == "1Gi")
        guard case .failure(.formatWrong) = Quantity.from(.bool(true)) else { Issue.record("bool accepted"); return }
    }
}
