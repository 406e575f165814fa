import ApusMachinery

extension TablePrinters {
    /// Parses an RFC 3339 timestamp ("2024-01-02T03:04:05Z", optional fraction, "Z" or "±hh:mm")
    /// into seconds since 1970. Returns nil for anything that is not a valid timestamp.
    public static func parseRFC3339(_ text: String) -> Double? {
        Timestamp.parse(text)
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
