/// The schedule check Kubernetes runs for CronJobs: `cron.ParseStandard` from robfig/cron v3, with its
/// error messages (five fields or an `@` descriptor; names for months and weekdays).
public enum CronSchedule {
    struct Bounds {
        let min: Int64
        let max: Int64
        let names: [String: Int64]
    }

    static let minutes = Bounds(min: 0, max: 59, names: [:])
    static let hours = Bounds(min: 0, max: 23, names: [:])
    static let daysOfMonth = Bounds(min: 1, max: 31, names: [:])
    static let months = Bounds(min: 1, max: 12, names: ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                                                         "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12])
    static let daysOfWeek = Bounds(min: 0, max: 6, names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6])
    static let descriptors: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]

    /// nil when the schedule parses; otherwise the parser's error text.
    public static func error(in schedule: String) -> String? {
        if schedule.isEmpty { return "empty spec string" }
        var spec = Substring(schedule)
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            guard let space = spec.firstIndex(of: " "), let equals = spec.firstIndex(of: "=") else {
                return "invalid timezone specification: \(schedule)"
            }
            let location = spec[spec.index(after: equals)..<space]
            if location.isEmpty { return "provided bad location \(location): unknown time zone \(location)" }
            spec = Substring(String(spec[space...]).trimmingASCIISpaces())
        }
        if spec.hasPrefix("@") {
            if descriptors.contains(String(spec)) { return nil }
            if spec.hasPrefix("@every ") {
                let duration = String(spec.dropFirst("@every ".count))
                if let problem = GoDuration.error(in: duration) { return "failed to parse duration \(spec): \(problem)" }
                return nil
            }
            return "unrecognized descriptor: \(spec)"
        }
        let fields = spec.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" })
            .map(String.init)
        guard fields.count == 5 else {
            return "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]"
        }
        for (field, bounds) in zip(fields, [minutes, hours, daysOfMonth, months, daysOfWeek]) {
            for expression in field.split(separator: ",").map(String.init) {
                if let problem = rangeError(expression, bounds) { return problem }
            }
        }
        return nil
    }

    /// `number | number "-" number [ "/" number ]`, `*` or `?`.
    static func rangeError(_ expression: String, _ bounds: Bounds) -> String? {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start: Int64
        var end: Int64
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            start = bounds.min
            end = bounds.max
        } else {
            switch parseIntOrName(lowAndHigh[0], bounds) {
            case .failure(let message): return message
            case .success(let value): start = value
            }
            switch lowAndHigh.count {
            case 1:
                end = start
            case 2:
                switch parseIntOrName(lowAndHigh[1], bounds) {
                case .failure(let message): return message
                case .success(let value): end = value
                }
            default:
                return "too many hyphens: \(expression)"
            }
        }
        var step: Int64 = 1
        switch rangeAndStep.count {
        case 1:
            break
        case 2:
            switch parseInt(rangeAndStep[1]) {
            case .failure(let message): return message
            case .success(let value): step = value
            }
            if lowAndHigh.count == 1 { end = bounds.max }
        default:
            return "too many slashes: \(expression)"
        }
        if start < bounds.min { return "beginning of range (\(start)) below minimum (\(bounds.min)): \(expression)" }
        if end > bounds.max { return "end of range (\(end)) above maximum (\(bounds.max)): \(expression)" }
        if start > end { return "beginning of range (\(start)) beyond end of range (\(end)): \(expression)" }
        if step == 0 { return "step of range should be a positive number: \(expression)" }
        return nil
    }

    enum Parsed { case success(Int64), failure(String) }

    static func parseIntOrName(_ text: String, _ bounds: Bounds) -> Parsed {
        if let named = bounds.names[text.lowercased()] { return .success(named) }
        return parseInt(text)
    }

    /// `strconv.Atoi`, then no negatives.
    static func parseInt(_ text: String) -> Parsed {
        let digits = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy(CharacterRules.isDigit) else {
            return .failure("failed to parse int from \(text): strconv.Atoi: parsing \(GoSyntax.quote(text)): invalid syntax")
        }
        guard let value = Int64(text) else {
            return .failure("failed to parse int from \(text): strconv.Atoi: parsing \(GoSyntax.quote(text)): value out of range")
        }
        if value < 0 { return .failure("negative number (\(value)) not allowed: \(text)") }
        return .success(value)
    }
}

/// Go's `time.ParseDuration` grammar, for `@every` schedules.
enum GoDuration {
    static let units: Set<String> = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]

    static func error(in text: String) -> String? {
        let quoted = GoSyntax.quote(text)
        var rest = Substring(text)
        if rest.hasPrefix("-") || rest.hasPrefix("+") { rest = rest.dropFirst() }
        if rest == "0" { return nil }
        if rest.isEmpty { return "time: invalid duration \(quoted)" }
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            let digits = number.filter { $0 != "." }
            guard !digits.isEmpty, number.filter({ $0 == "." }).count <= 1 else { return "time: invalid duration \(quoted)" }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix(while: { !($0.isASCII && ($0.isNumber || $0 == ".")) })
            if unit.isEmpty { return "time: missing unit in duration \(quoted)" }
            if !units.contains(String(unit)) { return "time: unknown unit \(GoSyntax.quote(String(unit))) in duration \(quoted)" }
            rest = rest.dropFirst(unit.count)
        }
        return nil
    }
}
