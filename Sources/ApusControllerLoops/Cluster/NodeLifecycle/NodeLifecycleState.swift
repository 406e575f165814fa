import ApusMachinery

/// Everything the node lifecycle controller remembers between syncs.
actor NodeLifecycleState {
    private var health: [String: NodeHealthRecord] = [:]
    /// Nodes the controller has registered (RegisteredNode / RemovingNode), with their last state.
    private var known: [String: JSON] = [:]
    /// Each node's Ready status after its last health check (what zones are judged by).
    private var readyStatus: [String: String] = [:]
    /// Nodes whose pods still have to be marked not ready (an earlier attempt failed).
    private var podsToRetry: Set<String> = []
    /// Pods newly bound to a node, to be marked not ready if the node is not Ready.
    private var newlyBound: [String: Set<String>] = [:]
    /// Kubernetes' per-zone tainting queue: a node is `true` while waiting to be tainted, `false`
    /// once handled; it leaves the set when it is reachable again or lost its taint.
    private var taintQueue: [String: Bool] = [:]
    private var zones: NodeLifecycleZones

    init(limits: NodeLifecycleZones.Limits) { zones = NodeLifecycleZones(limits: limits) }

    // MARK: Known nodes

    /// Records `node` as seen; true the first time (the controller then registers it).
    func register(_ node: JSON) -> Bool {
        let name = node["metadata"]["name"].string ?? ""
        defer { known[name] = node }
        return known[name] == nil
    }

    /// Forgets a deleted node; returns its last state when it was registered.
    func forget(_ name: String) -> JSON? {
        health[name] = nil
        readyStatus[name] = nil
        podsToRetry.remove(name)
        newlyBound[name] = nil
        taintQueue[name] = nil
        return known.removeValue(forKey: name)
    }

    // MARK: Health

    func record(for name: String) -> NodeHealthRecord? { health[name] }

    func setRecord(_ record: NodeHealthRecord, for name: String, ready: String?) {
        health[name] = record
        readyStatus[name] = ready
    }

    /// The Ready status a node was judged by (falls back to its cached condition).
    func readiness(of node: JSON) -> Bool {
        let name = node["metadata"]["name"].string ?? ""
        if let status = readyStatus[name] { return status == "True" }
        return ClusterLoopSupport.condition("Ready", of: node)?["status"].string == "True"
    }

    /// Leaving full disruption: every node gets a fresh grace period from now.
    func resetProbes(now: Double) {
        for name in health.keys {
            health[name]?.probeTimestamp = now
            health[name]?.readyTransitionTimestamp = now
        }
    }

    // MARK: Pods

    func noteBound(pod: String, node: String) { newlyBound[node, default: []].insert(pod) }

    func takeNewlyBound(node: String) -> Set<String> { newlyBound.removeValue(forKey: node) ?? [] }

    func needsPodRetry(_ node: String) -> Bool { podsToRetry.contains(node) }

    func setPodRetry(_ node: String, _ needed: Bool) {
        if needed { podsToRetry.insert(node) } else { podsToRetry.remove(node) }
    }

    // MARK: Zones and tainting

    func handleDisruption(readinessByZone: [String: [Bool]], now: Double) -> NodeLifecycleZones.Transition {
        zones.handleDisruption(readinessByZone: readinessByZone, now: now)
    }

    func observe(zone: String, now: Double) { zones.observe(zone: zone, now: now) }

    /// markNodeForTainting: queue the node unless it is already queued or handled (a node that
    /// lost its taint is queued again).
    func queueForTainting(_ name: String, alreadyTainted: Bool) {
        if !alreadyTainted { taintQueue[name] = nil }
        if taintQueue[name] == nil { taintQueue[name] = true }
    }

    /// markNodeAsReachable's queue part.
    func dequeueTainting(_ name: String) { taintQueue[name] = nil }

    /// Whether a queued node may be tainted now (taking a token of its zone), or how long to wait.
    func tryTaint(_ name: String, zone: String, now: Double) -> (allowed: Bool, wait: Double?) {
        guard taintQueue[name] == true else { return (false, nil) }
        return zones.tryTaint(zone: zone, now: now)
    }

    func taintHandled(_ name: String) { if taintQueue[name] != nil { taintQueue[name] = false } }
}
