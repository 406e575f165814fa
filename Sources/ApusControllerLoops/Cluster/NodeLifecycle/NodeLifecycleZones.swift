import ApusMachinery

/// The node controller's view of zones: how disrupted each is, and the rate at which it may add
/// NoExecute taints there (a token bucket with a burst of one, as Kubernetes' eviction limiter).
struct NodeLifecycleZones: Sendable {
    enum State: Sendable, Equatable { case initial, normal, partialDisruption, fullDisruption }

    struct Limits: Sendable {
        var evictionQPS: Double
        var secondaryEvictionQPS: Double
        var largeClusterThreshold: Int
        var unhealthyZoneThreshold: Double
    }

    /// What handling disruption asks of the caller.
    enum Transition: Sendable, Equatable {
        case none
        /// Every zone lost all its Ready nodes: stop evicting and take NoExecute taints off every node.
        case enteredFullDisruption
        /// Some node is Ready again after a full disruption: give every node a fresh grace period.
        case exitedFullDisruption
    }

    private struct Bucket: Sendable {
        var qps: Double
        var tokens: Double = 1
        var refilledAt: Double

        mutating func refill(_ now: Double) {
            guard qps > 0 else { return }
            tokens = min(1, tokens + max(0, now - refilledAt) * qps)
            refilledAt = now
        }

        mutating func tryAccept(_ now: Double) -> Bool {
            guard qps > 0 else { return false }
            refill(now)
            guard tokens >= 1 else { return false }
            tokens -= 1
            return true
        }
    }

    let limits: Limits
    private(set) var states: [String: State] = [:]
    private var buckets: [String: Bucket] = [:]

    init(limits: Limits) { self.limits = limits }

    /// GetZoneKey: region and zone labels (stable, then beta), joined so neither can contain the separator.
    static func zoneKey(of node: JSON) -> String {
        let labels = node["metadata"]["labels"]
        let zone = labels["topology.kubernetes.io/zone"].string ?? labels["failure-domain.beta.kubernetes.io/zone"].string ?? ""
        let region = labels["topology.kubernetes.io/region"].string ?? labels["failure-domain.beta.kubernetes.io/region"].string ?? ""
        if zone.isEmpty && region.isEmpty { return "" }
        return region + ":\u{0}:" + zone
    }

    /// A zone seen for the first time gets the normal eviction rate and the Initial state.
    mutating func observe(zone: String, now: Double) {
        guard states[zone] == nil else { return }
        states[zone] = .initial
        buckets[zone] = Bucket(qps: limits.evictionQPS, refilledAt: now)
    }

    /// Takes a token for tainting a node of `zone`: true when allowed now; otherwise how long to wait
    /// (nil while tainting is stopped in that zone).
    mutating func tryTaint(zone: String, now: Double) -> (allowed: Bool, wait: Double?) {
        observe(zone: zone, now: now)
        guard var bucket = buckets[zone] else { return (false, nil) }
        defer { buckets[zone] = bucket }
        if bucket.tryAccept(now) { return (true, nil) }
        guard bucket.qps > 0 else { return (false, nil) }
        return (false, max(0.001, (1 - bucket.tokens) / bucket.qps))
    }

    /// ComputeZoneState from the Ready flags of a zone's nodes.
    func zoneState(_ ready: [Bool]) -> State {
        let readyCount = ready.filter { $0 }.count
        let notReady = ready.count - readyCount
        if readyCount == 0 && notReady > 0 { return .fullDisruption }
        if notReady > 2 && Double(notReady) / Double(ready.count) >= limits.unhealthyZoneThreshold { return .partialDisruption }
        return .normal
    }

    /// handleDisruption: recomputes every zone's state from its nodes' readiness and adjusts the
    /// tainting rates (partial disruption slows or stops tainting; full disruption everywhere stops it).
    mutating func handleDisruption(readinessByZone: [String: [Bool]], now: Double) -> Transition {
        var newStates: [String: State] = [:]
        var allAreFullyDisrupted = true
        for (zone, ready) in readinessByZone {
            let state = zoneState(ready)
            if state != .fullDisruption { allAreFullyDisrupted = false }
            newStates[zone] = state
            observe(zone: zone, now: now)
        }
        for zone in states.keys where readinessByZone[zone] == nil {
            states[zone] = nil
            buckets[zone] = nil
        }
        let allWereFullyDisrupted = states.values.allSatisfy { $0 == .fullDisruption }
        guard !allAreFullyDisrupted || !allWereFullyDisrupted else { return .none }

        if allAreFullyDisrupted {
            for zone in states.keys {
                swapRate(zone: zone, qps: 0, now: now)
                states[zone] = .fullDisruption
            }
            return .enteredFullDisruption
        }
        let exiting = allWereFullyDisrupted
        for zone in Array(states.keys) {
            let state = newStates[zone] ?? .normal
            if !exiting && states[zone] == state { continue }
            swapRate(zone: zone, qps: rate(for: state, zoneSize: readinessByZone[zone]?.count ?? 0), now: now)
            states[zone] = state
        }
        return exiting ? .exitedFullDisruption : .none
    }

    private func rate(for state: State, zoneSize: Int) -> Double {
        switch state {
        case .partialDisruption: zoneSize > limits.largeClusterThreshold ? limits.secondaryEvictionQPS : 0
        case .initial, .normal, .fullDisruption: limits.evictionQPS
        }
    }

    /// SwapLimiter: a new bucket at the new rate, drained if the old one had no token left.
    private mutating func swapRate(zone: String, qps: Double, now: Double) {
        guard var old = buckets[zone] else { return }
        if old.qps == qps { return }
        var bucket = Bucket(qps: qps, refilledAt: now)
        if qps > 0 && !old.tryAccept(now) { bucket.tokens = 0 }
        buckets[zone] = bucket
    }
}
