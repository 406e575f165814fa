/// What each ReplicaSet still expects to see through its pod watch: how many creations, and which
/// deletions (by pod key, so a graceful deletion is not counted twice). Until they are seen, or five
/// minutes pass, the ReplicaSet creates or deletes nothing more, because the cache lags behind the
/// writes (Kubernetes' UIDTrackingControllerExpectations).
actor ReplicaSetExpectations {
    static let timeout: Double = 300

    private struct Entry {
        var adds = 0
        var deletes = 0
        var since: Double
    }

    private var entries: [String: Entry] = [:]
    private var pendingDeletes: [String: Set<String>] = [:]

    /// True when `key` may create or delete again: nothing recorded, everything seen, or expired.
    func satisfied(_ key: String, now: Double) -> Bool {
        guard let entry = entries[key] else { return true }
        return (entry.adds <= 0 && entry.deletes <= 0) || now - entry.since > Self.timeout
    }

    /// Seconds until unsatisfied expectations of `key` expire; nil when they are satisfied.
    func secondsUntilExpiry(_ key: String, now: Double) -> Double? {
        guard !satisfied(key, now: now), let entry = entries[key] else { return nil }
        return max(0, entry.since + Self.timeout - now)
    }

    func expectCreations(_ key: String, _ count: Int, now: Double) {
        entries[key] = Entry(adds: count, deletes: 0, since: now)
    }

    func expectDeletions(_ key: String, podKeys: [String], now: Double) {
        let keys = Set(podKeys)
        pendingDeletes[key] = keys
        entries[key] = Entry(adds: 0, deletes: keys.count, since: now)
    }

    /// A pod of `key` appeared, or a planned creation was never attempted.
    func creationObserved(_ key: String, count: Int = 1) {
        entries[key]?.adds -= count
    }

    /// `podKey` (namespace/name) of `key` went away or started terminating; counted once.
    func deletionObserved(_ key: String, podKey: String) {
        guard pendingDeletes[key]?.remove(podKey) != nil else { return }
        entries[key]?.deletes -= 1
    }

    func forget(_ key: String) {
        entries[key] = nil
        pendingDeletes[key] = nil
    }
}
