import ApusControllerKit
import ApusMachinery

/// The delay before a Job replaces failed pods: 10 s after the first failure since the last success,
/// doubling with each further failure, up to a cap, counted from the latest failure.
enum JobPodBackoff {
    /// The record after this sync's newly finished pods: a success resets the count, except for
    /// failures that happened after the latest success.
    static func record(from previous: JobControllerMemory.BackoffRecord, newSucceeded: [JSON],
                       newFailed: [JSON]) -> JobControllerMemory.BackoffRecord {
        let failedTimes = newFailed.map(finishedTime).sorted()
        guard let lastSuccess = newSucceeded.map(finishedTime).max() else {
            guard let lastFailure = failedTimes.last else { return previous }
            return .init(failuresAfterLastSuccess: previous.failuresAfterLastSuccess + failedTimes.count, lastFailureTime: lastFailure)
        }
        var record = JobControllerMemory.BackoffRecord()
        for time in failedTimes.reversed() {
            guard time > lastSuccess else { break }
            if record.lastFailureTime == nil { record.lastFailureTime = time }
            record.failuresAfterLastSuccess += 1
        }
        return record
    }

    /// Seconds left before replacement pods may be created (0 when they may be created now).
    static func remaining(_ record: JobControllerMemory.BackoffRecord, now: Double, base: Double, cap: Double) -> Double {
        guard record.failuresAfterLastSuccess > 0, let lastFailure = record.lastFailureTime else { return 0 }
        var delay = base
        var failures = 1
        while failures < record.failuresAfterLastSuccess {
            delay *= 2
            failures += 1
            if delay >= cap {
                delay = cap
                break
            }
        }
        let elapsed = now - lastFailure
        return delay < elapsed ? 0 : delay - elapsed
    }

    /// When a pod finished: its containers' latest finish (if all finished), else when it became not
    /// ready, else its deletion time less the grace period, else its creation.
    static func finishedTime(_ pod: JSON) -> Double {
        if let time = containersFinishedTime(pod) { return time }
        if let ready = PodState.condition(pod, "Ready"), ready["status"].string == "False",
           let time = ready["lastTransitionTime"].string.flatMap(Timestamp.parse) {
            return time
        }
        if let deletion = pod["metadata"]["deletionTimestamp"].string.flatMap(Timestamp.parse) {
            return deletion - Double(pod["metadata"]["deletionGracePeriodSeconds"].int ?? 0)
        }
        return pod["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse) ?? 0
    }

    private static func containersFinishedTime(_ pod: JSON) -> Double? {
        var latest: Double?
        for status in pod["status"]["containerStatuses"].array ?? [] {
            guard let finished = status["state"]["terminated"]["finishedAt"].string.flatMap(Timestamp.parse) else { return nil }
            latest = max(latest ?? finished, finished)
        }
        return latest
    }
}
