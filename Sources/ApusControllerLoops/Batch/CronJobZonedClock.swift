import Foundation

/// Wall-clock arithmetic in one time zone (from the system tz database), with Go's `time` rules, which
/// the cron library Kubernetes uses relies on: fields of an instant are read in the zone; building a
/// time from fields normalizes overflow (month 13, day 32) and resolves skipped or repeated wall times
/// as Go's `time.Date` does; adding hours or minutes moves the instant, not the wall clock.
struct CronJobZonedClock {
    struct Fields: Equatable {
        var year: Int64
        var month: Int64
        var day: Int64
        var hour: Int64
        var minute: Int64
        var second: Int64
        /// 0 is Sunday.
        var weekday: Int64
    }

    let zone: TimeZone

    /// Seconds east of UTC at an instant.
    func offset(at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    }

    func fields(_ instant: Int64) -> Fields {
        let local = instant + offset(at: instant)
        let days = Self.floorDiv(local, 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        return Fields(year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60,
                      second: secondOfDay % 60, weekday: Self.floorMod(days + 4, 7))
    }

    /// The instant of a wall time, like `time.Date(year, month, day, hour, minute, second, 0, zone)`.
    func instant(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) -> Int64 {
        let monthIndex = month - 1
        let normalizedYear = year + Self.floorDiv(monthIndex, 12)
        let normalizedMonth = Self.floorMod(monthIndex, 12) + 1
        let days = Self.days(year: normalizedYear, month: normalizedMonth, day: 1) + day - 1
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        // Go takes the offset in force at the wall time read as UTC; if the resulting instant falls in
        // another period of the zone, that period's offset wins.
        let guess = offset(at: local)
        let adjusted = offset(at: local - guess)
        return local - (adjusted != guess ? adjusted : guess)
    }

    // MARK: Proleptic Gregorian calendar (days since 1970-01-01)

    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    /// RFC 3339 with the zone's offset at that instant ("Z" when it is zero), as Go's time.RFC3339 prints.
    func rfc3339(_ instant: Int64) -> String {
        let f = fields(instant)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = "\(pad(f.year, 4))-\(pad(f.month, 2))-\(pad(f.day, 2))T\(pad(f.hour, 2)):\(pad(f.minute, 2)):\(pad(f.second, 2))"
        let offset = offset(at: instant)
        if offset == 0 {
            text += "Z"
        } else {
            let minutes = abs(offset) / 60
            text += (offset < 0 ? "-" : "+") + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
        }
        return text
    }
}
