import ApusMachinery
import Testing

@Suite("Timestamp")
struct TimestampTests {
    @Test("RFC 3339 in UTC with second precision", arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (0.999, "1970-01-01T00:00:00Z"),
        (86_399.0, "1970-01-01T23:59:59Z"),
        (951_782_400.0, "2000-02-29T00:00:00Z"),
        (1_709_164_800.0, "2024-02-29T00:00:00Z"),
        (1_704_164_645.0, "2024-01-02T03:04:05Z"),
        (4_107_456_000.0, "2100-02-28T00:00:00Z"),
        (4_107_542_400.0, "2100-03-01T00:00:00Z"),
        (-1.0, "1969-12-31T23:59:59Z"),
        (-0.5, "1969-12-31T23:59:59Z"),
        (-86_400.0, "1969-12-31T00:00:00Z"),
        (-86_401.0, "1969-12-30T23:59:59Z"),
        (-2_208_988_800.0, "1900-01-01T00:00:00Z"),
        (253_402_300_799.0, "9999-12-31T23:59:59Z"),
    ])
    func format(seconds: Double, expected: String) {
        #expect(Timestamp.rfc3339(seconds) == expected)
    }

    @Test("microsecond precision")
    func micro() {
        #expect(Timestamp.rfc3339Micro(0) == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp.rfc3339Micro(1.5) == "1970-01-01T00:00:01.500000Z")
        #expect(Timestamp.rfc3339Micro(1_704_164_645.25) == "2024-01-02T03:04:05.250000Z")
        #expect(Timestamp.rfc3339Micro(-0.5) == "1969-12-31T23:59:59.500000Z")
    }

    @Test("parse", arguments: [
        ("1970-01-01T00:00:00Z", 0.0),
        ("2024-01-02T03:04:05Z", 1_704_164_645.0),
        ("2024-01-02t03:04:05z", 1_704_164_645.0),
        ("2024-01-02 03:04:05Z", 1_704_164_645.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("2100-03-01T00:00:00Z", 4_107_542_400.0),
        ("1969-12-31T23:59:59Z", -1.0),
        ("1900-01-01T00:00:00Z", -2_208_988_800.0),
        ("2024-01-02T05:04:05+02:00", 1_704_164_645.0),
        ("2024-01-01T22:34:05-04:30", 1_704_164_645.0),
        ("1970-01-01T00:00:00.5Z", 0.5),
        ("2024-01-02T03:04:05.250000Z", 1_704_164_645.25),
        ("2024-01-02T05:04:05.25+02:00", 1_704_164_645.25),
    ])
    func parse(text: String, expected: Double) {
        #expect(Timestamp.parse(text) == expected)
    }

    @Test("malformed timestamps are nil", arguments: [
        "", "2024-01-02", "2024-01-02T03:04:05", "2024-01-02T03:04:05X", "2024-13-02T03:04:05Z", "2024-00-02T03:04:05Z",
        "2024-01-32T03:04:05Z", "2024-01-02T24:04:05Z", "2024-01-02T03:60:05Z", "2024-01-02T03:04:05Zjunk",
        "2024/01/02T03:04:05Z", "2024-01-02T03:04:05+0200", "2024-01-02T03:04:05+02", "abcd-01-02T03:04:05Z",
    ])
    func malformed(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("rfc3339 and parse round trip", arguments: [
        0.0, 1.0, -1.0, -86_400.0, -2_208_988_800.0, 951_782_400.0, 1_709_164_800.0, 1_709_251_199.0, 4_107_456_000.0,
        4_107_542_399.0, 4_133_894_400.0, 1_700_000_000.0, 253_402_300_799.0,
    ])
    func roundTrip(seconds: Double) throws {
        let text = Timestamp.rfc3339(seconds)
        #expect(Timestamp.parse(text) == seconds, "\(text)")
        #expect(Timestamp.rfc3339(try #require(Timestamp.parse(text))) == text)
    }

    @Test("every day of 2024 and 2100 round trips through parse")
    func everyDay() throws {
        for start in [1_704_067_200.0, 4_102_444_800.0] {
            for day in 0..<366 {
                let seconds = start + Double(day) * 86_400 + 43_210
                let text = Timestamp.rfc3339(seconds)
                #expect(Timestamp.parse(text) == seconds, "\(text)")
            }
        }
    }

    @Test("microsecond timestamps round trip through parse")
    func microRoundTrip() throws {
        for text in ["2024-01-02T03:04:05.123456Z", "2024-02-29T23:59:59.999999Z", "1970-01-01T00:00:00.000001Z",
                     "2100-02-28T12:00:00.500000Z", "1969-12-31T23:59:59.250000Z"] {
            let seconds = try #require(Timestamp.parse(text))
            #expect(Timestamp.rfc3339Micro(seconds) == text)
        }
    }

    @Test("impossible calendar dates are rejected", arguments: [
        "2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2024-04-31T00:00:00Z", "2100-02-29T00:00:00Z",
        "2024-01-02T23:59:60Z",
    ])
    func impossibleDates(text: String) {
        // Go's time.Parse refuses them ("day out of range", "second out of range").
        #expect(Timestamp.parse(text) == nil)
    }

    @Test("present-day microsecond timestamps round trip through parse")
    func presentDayMicroRoundTrip() throws {
        for micros in ["000001", "000003", "123457", "499999", "999999", "654321"] {
            let text = "2023-11-14T22:13:20.\(micros)Z"
            let seconds = try #require(Timestamp.parse(text))
            #expect(Timestamp.rfc3339Micro(seconds) == text)
        }
        #expect(Timestamp.rfc3339Micro(1_700_000_000.000001) == "2023-11-14T22:13:20.000001Z")
    }
}
