import Foundation

extension CronJobSchedule {
    /// The first activation strictly after `time` (seconds since 1970), evaluated in the schedule's own
    /// zone or else in `localZone`; nil when the fields match no time within five years (e.g. Feb 30).
    public func next(after time: Double, localZone: TimeZone) -> Double? {
        switch rule {
        case .every(let seconds):
            return time.rounded(.down) + Double(seconds)
        case .fields(let fields):
            let clock = CronJobZonedClock(zone: timeZone ?? localZone)
            return CronJobSchedule.next(fields, after: Int64(time.rounded(.down)) + 1, clock: clock).map(Double.init)
        }
    }

    /// The cron library's search: starting at `start`, advance the month, then the day, hour, minute and
    /// second until each matches, restarting from the month whenever a field wraps around. The first
    /// field that must move resets the smaller ones to their start.
    private static func next(_ spec: Fields, after start: Int64, clock: CronJobZonedClock) -> Int64? {
        var t = start
        var moved = false
        let yearLimit = clock.fields(t).year + 5
        func allows(_ bits: UInt64, _ value: Int64) -> Bool { bits & (1 << UInt64(value)) != 0 }

        search: while true {
            var f = clock.fields(t)
            if f.year > yearLimit { return nil }

            while !allows(spec.months, f.month) {
                if !moved {
                    moved = true
                    t = clock.instant(year: f.year, month: f.month, day: 1, hour: 0, minute: 0, second: 0)
                    f = clock.fields(t)
                }
                t = clock.instant(year: f.year, month: f.month + 1, day: f.day, hour: f.hour, minute: f.minute, second: f.second)
                f = clock.fields(t)
                if f.month == 1 { continue search }
            }

            while !dayMatches(spec, f) {
                if !moved {
                    moved = true
                    t = clock.instant(year: f.year, month: f.month, day: f.day, hour: 0, minute: 0, second: 0)
                    f = clock.fields(t)
                }
                t = clock.instant(year: f.year, month: f.month, day: f.day + 1, hour: f.hour, minute: f.minute, second: f.second)
                f = clock.fields(t)
                // A daylight-saving change can leave the day starting at 23:00 or 01:00: back to midnight.
                if f.hour != 0 {
                    t += f.hour > 12 ? (24 - f.hour) * 3600 : -f.hour * 3600
                    f = clock.fields(t)
                }
                if f.day == 1 { continue search }
            }

            while !allows(spec.hours, f.hour) {
                if !moved {
                    moved = true
                    t = clock.instant(year: f.year, month: f.month, day: f.day, hour: f.hour, minute: 0, second: 0)
                }
                t += 3600
                f = clock.fields(t)
                if f.hour == 0 { continue search }
            }

            while !allows(spec.minutes, f.minute) {
                if !moved {
                    moved = true
                    t -= CronJobZonedClock.floorMod(t, 60)
                }
                t += 60
                f = clock.fields(t)
                if f.minute == 0 { continue search }
            }

            // Standard schedules run at second 0.
            while f.second != 0 {
                moved = true
                t += 1
                f = clock.fields(t)
                if f.second == 0 { continue search }
            }
            return t
        }
    }

    /// Day of month and day of week: if either field is `*`, both must match; otherwise either may.
    private static func dayMatches(_ spec: Fields, _ f: CronJobZonedClock.Fields) -> Bool {
        let dayOfMonth = spec.daysOfMonth & (1 << UInt64(f.day)) != 0
        let dayOfWeek = spec.daysOfWeek & (1 << UInt64(f.weekday)) != 0
        if spec.daysOfMonth & Fields.star != 0 || spec.daysOfWeek & Fields.star != 0 { return dayOfMonth && dayOfWeek }
        return dayOfMonth || dayOfWeek
    }
}
