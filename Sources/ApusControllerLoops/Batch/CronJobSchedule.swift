import ApusValidation
import Foundation

/// A CronJob schedule as Kubernetes parses it (robfig/cron v3 `ParseStandard`): five fields
/// (minute, hour, day of month, month, day of week, with names, ranges, steps, `*` and `?`), or a
/// descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>),
/// optionally after `TZ=<zone>` or `CRON_TZ=<zone>`. Runs happen at second 0.
public struct CronJobSchedule: Sendable, Equatable {
    /// The fields as bit sets (bit n set: value n allowed); `star` marks a field written `*` or `?`,
    /// which matters for the day-of-month/day-of-week rule.
    struct Fields: Sendable, Equatable {
        var minutes: UInt64
        var hours: UInt64
        var daysOfMonth: UInt64
        var months: UInt64
        var daysOfWeek: UInt64

        static let star: UInt64 = 1 << 63
    }

    enum Rule: Sendable, Equatable {
        case fields(Fields)
        /// @every: a fixed delay in whole seconds, from the previous activation.
        case every(seconds: Int64)
    }

    let rule: Rule
    /// The zone named in the schedule text; nil means the zone the schedule is evaluated in.
    public let timeZone: TimeZone?

    /// A schedule the cron parser rejects, with its message.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func parse(_ text: String) throws(ParseError) -> CronJobSchedule {
        if let problem = CronSchedule.error(in: text) { throw ParseError(message: problem) }
        var spec = Substring(text)
        var zone: TimeZone?
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            guard let space = spec.firstIndex(of: " "), let equals = spec.firstIndex(of: "=") else {
                throw ParseError(message: "invalid timezone specification: \(text)")
            }
            let name = String(spec[spec.index(after: equals)..<space])
            guard let loaded = CronJobSchedule.loadZone(name) else {
                throw ParseError(message: "provided bad location \(name): unknown time zone \(name)")
            }
            zone = loaded
            spec = Substring(spec[space...].trimmingCharacters(in: .whitespaces))
        }
        if spec.hasPrefix("@") { return CronJobSchedule(rule: try descriptor(String(spec)), timeZone: zone) }
        let fields = spec.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(message: "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
        }
        let parsed = Fields(minutes: try bits(fields[0], min: 0, max: 59, names: [:]),
                            hours: try bits(fields[1], min: 0, max: 23, names: [:]),
                            daysOfMonth: try bits(fields[2], min: 1, max: 31, names: [:]),
                            months: try bits(fields[3], min: 1, max: 12, names: monthNames),
                            daysOfWeek: try bits(fields[4], min: 0, max: 6, names: weekdayNames))
        return CronJobSchedule(rule: .fields(parsed), timeZone: zone)
    }

    /// Go's `time.LoadLocation`: "" and "UTC" are UTC, "Local" the process zone, anything else a tz
    /// database name.
    public static func loadZone(_ name: String) -> TimeZone? {
        switch name {
        case "", "UTC": return TimeZone(identifier: "UTC")
        case "Local": return TimeZone.current
        default: return TimeZone(identifier: name)
        }
    }

    private static let monthNames: [String: Int] = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                                                    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    private static let weekdayNames: [String: Int] = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    private static func range(_ min: Int, _ max: Int, step: Int = 1) -> UInt64 {
        var bits: UInt64 = 0
        var value = min
        while value <= max {
            bits |= 1 << UInt64(value)
            value += step
        }
        return bits
    }

    private static func all(_ min: Int, _ max: Int) -> UInt64 { range(min, max) | Fields.star }

    private static func descriptor(_ text: String) throws(ParseError) -> Rule {
        switch text {
        case "@yearly", "@annually":
            return .fields(Fields(minutes: 1, hours: 1, daysOfMonth: 1 << 1, months: 1 << 1, daysOfWeek: all(0, 6)))
        case "@monthly":
            return .fields(Fields(minutes: 1, hours: 1, daysOfMonth: 1 << 1, months: all(1, 12), daysOfWeek: all(0, 6)))
        case "@weekly":
            return .fields(Fields(minutes: 1, hours: 1, daysOfMonth: all(1, 31), months: all(1, 12), daysOfWeek: 1))
        case "@daily", "@midnight":
            return .fields(Fields(minutes: 1, hours: 1, daysOfMonth: all(1, 31), months: all(1, 12), daysOfWeek: all(0, 6)))
        case "@hourly":
            return .fields(Fields(minutes: 1, hours: all(0, 23), daysOfMonth: all(1, 31), months: all(1, 12), daysOfWeek: all(0, 6)))
        default:
            let prefix = "@every "
            guard text.hasPrefix(prefix), let nanoseconds = goDurationNanoseconds(String(text.dropFirst(prefix.count))) else {
                throw ParseError(message: "unrecognized descriptor: \(text)")
            }
            // Below a second counts as a second; the delay is cut to whole seconds.
            let seconds = nanoseconds < 1e9 ? 1 : Int64((nanoseconds / 1e9).rounded(.down))
            return .every(seconds: seconds)
        }
    }

    /// One field: comma-separated `*`, `?`, `n`, `a-b`, each optionally `/step` (`n/step` runs to the maximum).
    private static func bits(_ field: String, min: Int, max: Int, names: [String: Int]) throws(ParseError) -> UInt64 {
        var result: UInt64 = 0
        for expression in field.split(separator: ",", omittingEmptySubsequences: false) {
            let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false)
            let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false)
            var start: Int
            var end: Int
            var extra: UInt64 = 0
            if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
                start = min
                end = max
                extra = Fields.star
            } else {
                start = try value(String(lowAndHigh[0]), names: names)
                end = lowAndHigh.count > 1 ? try value(String(lowAndHigh[1]), names: names) : start
            }
            var step = 1
            if rangeAndStep.count > 1 {
                guard let parsed = Int(rangeAndStep[1]), parsed > 0 else {
                    throw ParseError(message: "step of range should be a positive number: \(expression)")
                }
                step = parsed
                if lowAndHigh.count == 1 { end = max }
                if step > 1 { extra = 0 }
            }
            guard start >= min, end <= max, start <= end else {
                throw ParseError(message: "invalid range: \(expression)")
            }
            result |= range(start, end, step: step) | extra
        }
        return result
    }

    private static func value(_ text: String, names: [String: Int]) throws(ParseError) -> Int {
        if let named = names[text.lowercased()] { return named }
        guard let number = Int(text), number >= 0 else { throw ParseError(message: "failed to parse int from \(text)") }
        return number
    }

    /// Go's `time.ParseDuration` value in nanoseconds ("1h30m", "90s", "1.5h"), nil when malformed.
    private static func goDurationNanoseconds(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if rest.hasPrefix("-") || rest.hasPrefix("+") {
            if rest.hasPrefix("-") { sign = -1 }
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        let units: [String: Double] = ["ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9]
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let scale = units[String(unit)] else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return sign * total
    }
}
