import ApusMachinery
import Foundation
import Testing
@testable import ApusControllerLoops

@Suite struct CronJobScheduleTests {
    let utc = TimeZone(identifier: "UTC")!

    private func at(_ text: String) -> Double { Timestamp.parse(text) ?? .nan }

    /// The first `count` activations after `start`, as RFC 3339 UTC.
    private func runs(_ schedule: String, after start: String, count: Int = 1, zone: TimeZone? = nil) throws -> [String] {
        let parsed = try CronJobSchedule.parse(schedule)
        var time = at(start)
        var result: [String] = []
        for _ in 0..<count {
            guard let next = parsed.next(after: time, localZone: zone ?? utc) else { break }
            result.append(Timestamp.rfc3339(next))
            time = next
        }
        return result
    }

    @Test func fieldsStepsRangesAndNames() throws {
        #expect(try runs("*/15 * * * *", after: "2026-01-01T00:07:30Z", count: 3)
            == ["2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z"])
        // 2026-01-02 is a Friday: the next weekday morning is Monday the 5th.
        #expect(try runs("0 9 * * mon-fri", after: "2026-01-02T10:00:00Z") == ["2026-01-05T09:00:00Z"])
        #expect(try runs("30 4 1,15 * *", after: "2026-01-01T05:00:00Z", count: 2) == ["2026-01-15T04:30:00Z", "2026-02-01T04:30:00Z"])
        #expect(try runs("0 0 1 jan,JUL *", after: "2026-01-01T00:00:00Z") == ["2026-07-01T00:00:00Z"])
        #expect(try runs("5/20 * * * *", after: "2026-01-01T00:00:00Z", count: 3)
            == ["2026-01-01T00:05:00Z", "2026-01-01T00:25:00Z", "2026-01-01T00:45:00Z"])
        // An activation exactly at the start time is not "after" it.
        #expect(try runs("0 * * * *", after: "2026-01-01T01:00:00Z") == ["2026-01-01T02:00:00Z"])
        #expect(try runs("0 * * * *", after: "2026-01-01T00:59:59.5Z") == ["2026-01-01T01:00:00Z"])
    }

    @Test func descriptors() throws {
        #expect(try runs("@hourly", after: "2026-01-01T00:10:00Z") == ["2026-01-01T01:00:00Z"])
        #expect(try runs("@daily", after: "2026-01-01T00:10:00Z") == ["2026-01-02T00:00:00Z"])
        #expect(try runs("@midnight", after: "2026-01-01T00:10:00Z") == ["2026-01-02T00:00:00Z"])
        // 2026-01-04 is a Sunday.
        #expect(try runs("@weekly", after: "2026-01-01T00:10:00Z") == ["2026-01-04T00:00:00Z"])
        #expect(try runs("@monthly", after: "2026-01-01T00:10:00Z") == ["2026-02-01T00:00:00Z"])
        #expect(try runs("@yearly", after: "2026-01-01T00:10:00Z") == ["2027-01-01T00:00:00Z"])
        #expect(try runs("@annually", after: "2026-01-01T00:10:00Z") == ["2027-01-01T00:00:00Z"])
        // @every passes Kubernetes' validation and counts from the previous activation.
        #expect(try runs("@every 90s", after: "2026-01-01T00:00:10Z", count: 2) == ["2026-01-01T00:01:40Z", "2026-01-01T00:03:10Z"])
        #expect(try runs("@every 1h30m", after: "2026-01-01T00:00:00Z") == ["2026-01-01T01:30:00Z"])
        #expect(try runs("@every 100ms", after: "2026-01-01T00:00:00Z") == ["2026-01-01T00:00:01Z"])
    }

    @Test func dayOfMonthOrDayOfWeek() throws {
        // Both restricted: either matches (the 13th, or any Friday).
        #expect(try runs("0 0 13 * 5", after: "2026-02-01T00:00:00Z", count: 3)
            == ["2026-02-06T00:00:00Z", "2026-02-13T00:00:00Z", "2026-02-20T00:00:00Z"])
        #expect(try runs("0 0 13 * 1", after: "2026-02-01T00:00:00Z", count: 3)
            == ["2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z", "2026-02-13T00:00:00Z"])
        // One of them `*`: both must match.
        #expect(try runs("0 0 13 * *", after: "2026-02-01T00:00:00Z") == ["2026-02-13T00:00:00Z"])
        #expect(try runs("0 0 * * 5", after: "2026-02-01T00:00:00Z") == ["2026-02-06T00:00:00Z"])
        #expect(try runs("0 0 ? * 5", after: "2026-02-01T00:00:00Z") == ["2026-02-06T00:00:00Z"])
        // `*/2` is a step, not a star: the OR rule applies (odd days, or Fridays).
        #expect(try runs("0 0 */2 * 5", after: "2026-02-01T12:00:00Z", count: 3)
            == ["2026-02-03T00:00:00Z", "2026-02-05T00:00:00Z", "2026-02-06T00:00:00Z"])
    }

    @Test func impossibleDatesHaveNoNextTime() throws {
        let schedule = try CronJobSchedule.parse("0 0 30 2 *")
        #expect(schedule.next(after: at("2026-01-01T00:00:00Z"), localZone: utc) == nil)
        // Leap days are found up to four years ahead.
        #expect(try runs("0 0 29 2 *", after: "2026-01-01T00:00:00Z") == ["2028-02-29T00:00:00Z"])
    }

    @Test func timeZonesKeepTheWallClockAcrossDaylightSaving() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        // 09:00 in New York is 14:00Z in winter, 13:00Z in summer (DST began 2026-03-08).
        #expect(try runs("0 9 * * *", after: "2026-03-06T15:00:00Z", count: 3, zone: newYork)
            == ["2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z", "2026-03-09T13:00:00Z"])
        #expect(try runs("TZ=America/New_York 0 9 * * *", after: "2026-03-06T15:00:00Z", count: 2)
            == ["2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z"])
        #expect(try runs("CRON_TZ=Asia/Tokyo 0 9 * * *", after: "2026-01-01T00:00:00Z") == ["2026-01-02T00:00:00Z"])
        // A time inside the spring-forward gap is skipped that day.
        #expect(try runs("30 2 * * *", after: "2026-03-07T08:00:00Z", count: 2, zone: newYork)
            == ["2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"])
        // A time inside the repeated hour in autumn runs in both of its occurrences.
        #expect(try runs("30 1 * * *", after: "2026-11-01T04:00:00Z", count: 3, zone: newYork)
            == ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-02T06:30:00Z"])
        // UTC schedules ignore daylight saving entirely.
        #expect(try runs("30 2 * * *", after: "2026-03-07T08:00:00Z", count: 2)
            == ["2026-03-08T02:30:00Z", "2026-03-09T02:30:00Z"])
        // Hourly schedules in a DST zone keep one-hour steps through the change.
        #expect(try runs("0 * * * *", after: "2026-03-08T05:30:00Z", count: 3, zone: newYork)
            == ["2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"])
    }

    @Test func rejectsWhatTheCronParserRejects() {
        #expect(throws: CronJobSchedule.ParseError.self) { try CronJobSchedule.parse("* * * *") }
        #expect(throws: CronJobSchedule.ParseError.self) { try CronJobSchedule.parse("61 * * * *") }
        #expect(throws: CronJobSchedule.ParseError.self) { try CronJobSchedule.parse("@fortnightly") }
        #expect(throws: CronJobSchedule.ParseError.self) { try CronJobSchedule.parse("TZ=Mars/Olympus 0 * * * *") }
        #expect(throws: CronJobSchedule.ParseError.self) { try CronJobSchedule.parse("0 0 * * 7") }
        do {
            _ = try CronJobSchedule.parse("* * * *")
        } catch {
            #expect(error.message == "expected exactly 5 fields, found 4: [* * * *]")
        }
        do {
            _ = try CronJobSchedule.parse("TZ=Mars/Olympus 0 * * * *")
        } catch {
            #expect(error.message == "provided bad location Mars/Olympus: unknown time zone Mars/Olympus")
        }
    }

    @Test func zonedClockFollowsGoTimeRules() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let clock = CronJobZonedClock(zone: newYork)
        // Month 13 and day 32 roll over.
        #expect(clock.instant(year: 2025, month: 13, day: 32, hour: 0, minute: 0, second: 0) == Int64(at("2026-02-01T05:00:00Z")))
        // 02:30 on the spring-forward day does not exist; Go resolves it to 01:30 EST.
        #expect(clock.instant(year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0) == Int64(at("2026-03-08T06:30:00Z")))
        #expect(clock.rfc3339(Int64(at("2026-07-01T12:00:00Z"))) == "2026-07-01T08:00:00-04:00")
        #expect(CronJobZonedClock(zone: utc).rfc3339(Int64(at("2026-07-01T12:00:00Z"))) == "2026-07-01T12:00:00Z")
        #expect(clock.fields(Int64(at("2026-01-04T12:00:00Z"))).weekday == 0)
    }
}
