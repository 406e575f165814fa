import ApusMachinery

extension TablePrinters {
    /// Parses an RFC 3339 timestamp ("2024-01-02T03:04:05Z", optional fraction, "Z" or "±hh:mm")
    /// into seconds since 1970. Returns nil for anything that is not a valid timestamp.
    public static func parseRFC3339(_ text: String) -> Double? {
        var parser = TimestampScanner(bytes: Array(text.utf8))
        return parser.parse()
    }

    /// Kubernetes' `duration.HumanDuration`: "45s", "2m3s", "15m", "5h12m", "3d4h", "400d", "2y30d".
    public static func humanDuration(seconds: Double) -> String {
        guard seconds.isFinite else { return "<invalid>" }
        // Go truncates the duration to whole seconds toward zero; clamp to stay far from overflow.
        let clamped = min(max(seconds, -1e15), 1e15)
        let secs = Int64(clamped.rounded(.towardZero))
        if secs < -1 { return "<invalid>" }
        if secs < 0 { return "0s" }
        if secs < 120 { return "\(secs)s" }
        let minutes = secs / 60
        if minutes < 10 {
            let rest = secs % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
        }
        if minutes < 180 { return "\(minutes)m" }
        let hours = secs / 3600
        if hours < 8 {
            let rest = minutes % 60
            return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let rest = hours % 24
            return rest == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rest)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// The time since a timestamp field, as printers show it: "<unknown>" when unset or unparseable
    /// (Go's zero time), else `humanDuration`.
    public static func timeSince(_ timestamp: JSON, now: Double) -> String {
        guard let seconds = timestampSeconds(timestamp) else { return "<unknown>" }
        return humanDuration(seconds: now - seconds)
    }

    /// A timestamp field in seconds since 1970; nil when unset, unparseable, or Go's zero time.
    static func timestampSeconds(_ timestamp: JSON) -> Double? {
        guard let text = timestamp.string, let seconds = parseRFC3339(text), seconds != goZeroTime else { return nil }
        return seconds
    }

    /// 0001-01-01T00:00:00Z, which Go treats as "no time".
    static let goZeroTime: Double = -62_135_596_800
}

/// A small byte scanner for RFC 3339; avoids DateFormatter, which is slow and locale-sensitive.
private struct TimestampScanner {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parse() -> Double? {
        guard let year = digits(4), expect(UInt8(ascii: "-")),
              let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2) else { return nil }
        guard index < bytes.count, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[index]) else {
            return nil
        }
        index += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")),
              let minute = digits(2), expect(UInt8(ascii: ":")),
              let second = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 59 else { return nil }

        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            var scale = 0.1
            var count = 0
            while index < bytes.count, let digit = Self.digit(bytes[index]) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
                count += 1
            }
            guard count > 0 else { return nil }
        }

        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = digits(2), expect(UInt8(ascii: ":")), let offsetMinutes = digits(2),
                  offsetHours <= 23, offsetMinutes <= 59 else { return nil }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }

        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        let whole = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Double(whole) + fraction
    }

    private mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for _ in 0..<count {
            guard let digit = Self.digit(bytes[index]) else { return nil }
            value = value * 10 + digit
            index += 1
        }
        return value
    }

    private mutating func expect(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (the "days from civil" algorithm).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
