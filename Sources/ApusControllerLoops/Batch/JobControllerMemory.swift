/// What the Job controller remembers between syncs, per Job key: pod creations and deletions it
/// issued but has not yet seen in its cache (expectations), pods whose tracking finalizer it removed
/// but has not yet seen without it, and the pod-failure back-off of each Job.
actor JobControllerMemory {
    /// Outstanding creations and deletions, and when they were expected (ControllerExpectations).
    struct Expectation {
        var creations: Int
        var deletions: Int
        var since: Double
    }

    /// Failures since the last success and when the latest one happened (the back-off record).
    struct BackoffRecord: Sendable, Equatable {
        var failuresAfterLastSuccess: Int = 0
        var lastFailureTime: Double?
    }

    /// How long an unobserved expectation holds back a Job (Kubernetes' ExpectationsTimeout).
    let expectationTimeout: Double
    private var expectations: [String: Expectation] = [:]
    private var finalizerRemovals: [String: Set<String>] = [:]
    private var backoffs: [String: BackoffRecord] = [:]

    init(expectationTimeout: Double) { self.expectationTimeout = expectationTimeout }

    // MARK: Expectations

    func expectCreations(_ key: String, _ count: Int, now: Double) {
        expectations[key] = Expectation(creations: count, deletions: 0, since: now)
    }

    func expectDeletions(_ key: String, _ count: Int, now: Double) {
        expectations[key] = Expectation(creations: 0, deletions: count, since: now)
    }

    func creationObserved(_ key: String) { expectations[key]?.creations -= 1 }
    func deletionObserved(_ key: String) { expectations[key]?.deletions -= 1 }

    /// Whether nothing issued is still unobserved (or it waited long enough), and if not, when it will
    /// stop holding the Job back.
    func satisfied(_ key: String, now: Double) -> (satisfied: Bool, expiresIn: Double?) {
        guard let expectation = expectations[key] else { return (true, nil) }
        if expectation.creations <= 0, expectation.deletions <= 0 { return (true, nil) }
        let age = now - expectation.since
        if age > expectationTimeout { return (true, nil) }
        return (false, expectationTimeout - age)
    }

    // MARK: Tracking finalizers

    func expectFinalizersRemoved(_ key: String, uids: [String]) {
        finalizerRemovals[key, default: []].formUnion(uids)
    }

    func finalizerRemovalObserved(_ key: String, uid: String) {
        finalizerRemovals[key]?.remove(uid)
    }

    func expectedFinalizerRemovals(_ key: String) -> Set<String> { finalizerRemovals[key] ?? [] }

    // MARK: Back-off

    func backoff(_ key: String) -> BackoffRecord { backoffs[key] ?? BackoffRecord() }
    func storeBackoff(_ key: String, _ record: BackoffRecord) { backoffs[key] = record }
    func removeBackoff(_ key: String) { backoffs[key] = nil }

    /// Forgets a deleted Job.
    func forget(_ key: String) {
        expectations[key] = nil
        finalizerRemovals[key] = nil
        backoffs[key] = nil
    }
}
