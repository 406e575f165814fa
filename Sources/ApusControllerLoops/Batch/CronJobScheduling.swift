import ApusMachinery
import Foundation

/// When a CronJob runs next, and which missed activation (only the most recent) it runs now.
struct CronJobScheduling {
    enum Missed { case none, few, many }

    struct MostRecent {
        /// The last scheduled time, else the CronJob's creation (or the starting deadline's start).
        var earliest: Double
        /// The latest activation not after now, nil if none.
        var time: Double?
        var missed: Missed
        /// The schedule never produces two activations a second apart or more (e.g. Feb 30).
        var invalid: Bool
    }

    static let invalidMessage = "time difference between two schedules is less than 1 second"
    /// Requeues land slightly after the activation, against clock skew.
    static let nextScheduleDelta = 0.1

    let schedule: CronJobSchedule
    let localZone: TimeZone

    private func next(_ time: Double) -> Double? { schedule.next(after: time, localZone: localZone) }

    /// The activation to consider at `now` (mostRecentScheduleTime). The number of missed activations
    /// is estimated from the gap between the first two, so long outages cost no long loops.
    func mostRecent(_ cronJob: JSON, now: Double, includeStartingDeadline: Bool) -> MostRecent {
        var earliest = cronJob["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse) ?? now
        if let last = cronJob["status"]["lastScheduleTime"].string.flatMap(Timestamp.parse) { earliest = last }
        if includeStartingDeadline, let deadline = cronJob["spec"]["startingDeadlineSeconds"].int {
            earliest = max(earliest, now - Double(deadline))
        }
        guard let first = next(earliest) else { return MostRecent(earliest: earliest, time: nil, missed: .none, invalid: true) }
        if now < first { return MostRecent(earliest: earliest, time: nil, missed: .none, invalid: false) }
        guard let second = next(first) else { return MostRecent(earliest: earliest, time: nil, missed: .none, invalid: true) }
        if now < second { return MostRecent(earliest: earliest, time: first, missed: .none, invalid: false) }
        let interval = Int64((second - first).rounded())
        if interval < 1 { return MostRecent(earliest: earliest, time: nil, missed: .none, invalid: true) }
        let elapsed = Int64(now - first)
        let missedCount = elapsed / interval + 1
        // Start one interval before the estimate, so irregular schedules are still found exactly.
        var candidate = next(first + Double((missedCount - 2) * interval))
        var latest: Double?
        while let time = candidate, time <= now {
            latest = time
            candidate = next(time)
        }
        let missed: Missed = missedCount > 100 ? .many : (missedCount > 0 ? .few : .none)
        return MostRecent(earliest: earliest, time: latest, missed: missed, invalid: false)
    }

    /// Seconds until the sync after the next activation (nextScheduleTimeDuration).
    func delayUntilNext(_ cronJob: JSON, now: Double) -> Double? {
        let recent = mostRecent(cronJob, now: now, includeStartingDeadline: false)
        var from: Double
        if recent.invalid {
            from = now
        } else if let time = recent.time {
            from = time
        } else {
            from = recent.missed == .none ? recent.earliest : now
        }
        guard let upcoming = next(from) else { return nil }
        return upcoming + Self.nextScheduleDelta - now
    }
}
