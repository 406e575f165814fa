import ApusMachinery
import Testing
@testable import ApusPrinters

@Suite struct TimeFormattingTests {
    @Test func parsesRFC3339() {
        #expect(TablePrinters.parseRFC3339("1970-01-01T00:00:00Z") == 0)
        #expect(TablePrinters.parseRFC3339("2024-01-02T03:04:05Z") == 1_704_164_645)
        #expect(TablePrinters.parseRFC3339("2024-01-02T03:04:05.250Z") == 1_704_164_645.25)
        #expect(TablePrinters.parseRFC3339("2024-01-02T05:04:05+02:00") == 1_704_164_645)
        #expect(TablePrinters.parseRFC3339("2024-01-01T22:04:05-05:00") == 1_704_164_645)
        #expect(TablePrinters.parseRFC3339("2024-02-29T00:00:00Z") == 1_709_164_800)
        #expect(TablePrinters.parseRFC3339("1969-12-31T23:59:59Z") == -1)
    }

    @Test func rejectsMalformedTimestamps() {
        for bad in ["", "2024-01-02", "2024-01-02T03:04:05", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                    "2024-01-02T24:00:00Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05Zjunk", "yesterday"] {
            #expect(TablePrinters.parseRFC3339(bad) == nil, "\(bad)")
        }
    }

    @Test func humanDurationMatchesKubernetes() {
        let cases: [(Double, String)] = [
            (-5, "<invalid>"), (-1.5, "0s"), (-0.5, "0s"), (0, "0s"), (5.9, "5s"), (119, "119s"),
            (120, "2m"), (123, "2m3s"), (599, "9m59s"), (600, "10m"), (10_799, "179m"),
            (3 * 3600, "3h"), (5 * 3600 + 12 * 60 + 30, "5h12m"), (8 * 3600, "8h"), (47 * 3600 + 59 * 60, "47h"),
            (48 * 3600, "2d"), (3 * 86_400 + 4 * 3600, "3d4h"), (8 * 86_400, "8d"), (400 * 86_400, "400d"),
            (730 * 86_400, "2y"), (760 * 86_400, "2y30d"), (3000 * 86_400, "8y"),
        ]
        for (seconds, expected) in cases {
            #expect(TablePrinters.humanDuration(seconds: seconds) == expected, "\(seconds)")
        }
    }

    @Test func timeSinceHandlesUnsetAndZeroTimes() {
        let now = Fixture.now
        #expect(TablePrinters.timeSince(.null, now: now) == "<unknown>")
        #expect(TablePrinters.timeSince("garbage", now: now) == "<unknown>")
        #expect(TablePrinters.timeSince(12, now: now) == "<unknown>")
        #expect(TablePrinters.timeSince("0001-01-01T00:00:00Z", now: now) == "<unknown>")
        #expect(TablePrinters.timeSince(Fixture.ago(45), now: now) == "45s")
    }

    @Test func formatsRFC3339() {
        #expect(TablePrinters.formatRFC3339(seconds: 1_704_164_645.9) == "2024-01-02T03:04:05Z")
        #expect(TablePrinters.formatRFC3339(seconds: 0) == "1970-01-01T00:00:00Z")
        #expect(TablePrinters.formatRFC3339(seconds: TablePrinters.goZeroTime) == "0001-01-01T00:00:00Z")
    }
}
