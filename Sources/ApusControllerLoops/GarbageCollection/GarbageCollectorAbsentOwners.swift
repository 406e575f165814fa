/// Owners the API server said do not exist (Kubernetes' absentOwnerCache): a bounded,
/// least-recently-used set, so dependents of one deleted owner need not each look it up again.
struct GarbageCollectorAbsentOwners: Sendable {
    let capacity: Int
    private var lastUse: [GarbageCollectorIdentity: UInt64] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int = 500) { self.capacity = capacity }

    var count: Int { lastUse.count }

    mutating func add(_ identity: GarbageCollectorIdentity) {
        clock += 1
        lastUse[identity] = clock
        if lastUse.count > capacity, let oldest = lastUse.min(by: { $0.value < $1.value })?.key {
            lastUse[oldest] = nil
        }
    }

    /// Whether the identity is recorded as absent (a hit counts as a use).
    mutating func contains(_ identity: GarbageCollectorIdentity) -> Bool {
        guard lastUse[identity] != nil else { return false }
        clock += 1
        lastUse[identity] = clock
        return true
    }
}
