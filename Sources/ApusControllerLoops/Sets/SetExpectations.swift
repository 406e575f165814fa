/// What a set controller has asked for and not yet seen in its caches (controller.ControllerExpectations):
/// pod creations and deletions per set key. Until they are observed, or five minutes pass, the set's
/// pods are not managed again, since the caches would not show the earlier writes.
actor SetExpectations {
    /// Kubernetes' ExpectationsTimeout.
    static let timeout: Double = 5 * 60

    private struct Pending {
        var adds: Int
        var deletes: Int
        var since: Double
    }

    private var pending: [String: Pending] = [:]

    /// Replaces what `key` expects.
    func expect(_ key: String, adds: Int, deletes: Int, now: Double) {
        pending[key] = Pending(adds: adds, deletes: deletes, since: now)
    }

    func creationObserved(_ key: String) { pending[key]?.adds -= 1 }

    func deletionObserved(_ key: String) { pending[key]?.deletes -= 1 }

    /// Gives up on writes that were never made (a slow-start batch stopped early).
    func lower(_ key: String, adds: Int, deletes: Int) {
        pending[key]?.adds -= adds
        pending[key]?.deletes -= deletes
    }

    func forget(_ key: String) { pending[key] = nil }

    /// Nothing outstanding, or what is outstanding has expired.
    func satisfied(_ key: String, now: Double) -> Bool {
        guard let entry = pending[key] else { return true }
        if entry.adds <= 0 && entry.deletes <= 0 { return true }
        return now - entry.since > Self.timeout
    }

    /// Seconds until the outstanding expectations of `key` expire.
    func remaining(_ key: String, now: Double) -> Double {
        guard let entry = pending[key] else { return 0 }
        return max(1, entry.since + Self.timeout - now)
    }
}

/// The back-off between deletions of a failed daemon pod on one node (flowcontrol.Backoff, 1s
/// doubling to 15 minutes), so the controller does not fight a kubelet that keeps rejecting it.
actor DaemonSetFailedPodBackoff {
    private struct Entry {
        var delay: Double
        var lastUpdate: Double
    }

    private let initial: Double
    private let maximum: Double
    private var entries: [String: Entry] = [:]

    init(initial: Double = 1, maximum: Double = 15 * 60) {
        self.initial = initial
        self.maximum = maximum
    }

    /// Within the current delay since the last deletion.
    func isInBackOff(_ key: String, now: Double) -> Bool {
        guard let entry = entries[key], !expired(entry, now: now) else { return false }
        return now - entry.lastUpdate < entry.delay
    }

    func delay(_ key: String) -> Double { entries[key]?.delay ?? 0 }

    /// Records a deletion: the first (or the first after a long quiet) waits `initial`, then twice as long each time.
    func next(_ key: String, now: Double) {
        if let entry = entries[key], !expired(entry, now: now) {
            entries[key] = Entry(delay: min(entry.delay * 2, maximum), lastUpdate: now)
        } else {
            entries[key] = Entry(delay: initial, lastUpdate: now)
        }
        entries = entries.filter { !expired($0.value, now: now) }
    }

    private func expired(_ entry: Entry, now: Double) -> Bool { now - entry.lastUpdate > 2 * maximum }
}
