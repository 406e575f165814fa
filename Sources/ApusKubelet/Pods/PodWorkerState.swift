/// What the kubelet remembers about its pods between syncs, beyond what the runtime and the API
/// hold: image pull back-off and the reason a container is waiting.
actor PodWorkerState {
    struct Waiting: Sendable, Equatable {
        var reason: String
        var message: String
    }

    struct PullBackOff: Sendable {
        var failures: Int
        var until: Double
    }

    private var waiting: [String: Waiting] = [:]
    private var pullBackOff: [String: PullBackOff] = [:]

    /// Keys are `<pod uid>/<container name>`.
    func setWaiting(_ key: String, _ value: Waiting?) { waiting[key] = value }
    func waitingReason(_ key: String) -> Waiting? { waiting[key] }

    /// Image pull back-off as the kubelet's: 10 s, doubling, at most 300 s.
    func pullFailed(_ key: String, now: Double) -> Double {
        let failures = (pullBackOff[key]?.failures ?? 0) + 1
        let delay = min(300, 10 * Double(1 << min(failures - 1, 5)))
        pullBackOff[key] = PullBackOff(failures: failures, until: now + delay)
        return delay
    }

    func pullBackOffRemaining(_ key: String, now: Double) -> Double? {
        guard let entry = pullBackOff[key], entry.until > now else { return nil }
        return entry.until - now
    }

    func pullSucceeded(_ key: String) { pullBackOff[key] = nil }

    /// Forgets a pod that is gone.
    func forget(uid: String) {
        let prefix = uid + "/"
        waiting = waiting.filter { !$0.key.hasPrefix(prefix) }
        pullBackOff = pullBackOff.filter { !$0.key.hasPrefix(prefix) }
    }
}
