/// Matching pods per topology domain for each DoNotSchedule constraint, and per constraint the two
/// least loaded domains (enough to find the global minimum while one node's pods change).
struct TopologySpreadFilterState {
    struct CriticalPaths {
        var first: (value: String, count: Int) = ("", Int(Int32.max))
        var second: (value: String, count: Int) = ("", Int(Int32.max))

        mutating func update(_ value: String, _ count: Int) {
            if value == first.value || value == second.value {
                if value == first.value { first.count = count } else { second.count = count }
                if first.count > second.count { swap(&first, &second) }
            } else if count < first.count {
                second = first
                first = (value, count)
            } else if count < second.count {
                second = (value, count)
            }
        }
    }

    var constraints: [SpreadConstraint]
    var matchCounts: [[String: Int]]
    var criticalPaths: [CriticalPaths]
    /// Per constraint, 1 when its selector matches the incoming pod itself (it adds to the count
    /// wherever it goes); decided once per cycle, not once per node.
    var selfMatches: [Int]

    /// The global minimum, or 0 while fewer domains than minDomains exist.
    func minMatch(_ index: Int) -> Int {
        matchCounts[index].count < constraints[index].minDomains ? 0 : criticalPaths[index].first.count
    }
}

extension PodTopologySpreadPlugin {
    func preFilter(_ state: inout CycleState, pod: SchedulingPod, cache: SchedulerCache) -> PreFilterOutcome {
        let constraints = constraints(for: pod, doNotSchedule: true)
        if constraints.isEmpty { return .skip }
        var counts = [[String: Int]](repeating: [:], count: constraints.count)
        for node in cache.nodeList where Self.hasAllTopologyKeys(node.node, constraints) {
            for (index, constraint) in constraints.enumerated() where Self.includes(node.node, for: constraint, pod: pod) {
                let value = node.node.label(constraint.topologyKey) ?? ""
                counts[index][value, default: 0] += Self.countMatching(node, constraint.selector, namespace: pod.namespace)
            }
        }
        var paths = [TopologySpreadFilterState.CriticalPaths](repeating: .init(), count: constraints.count)
        for index in constraints.indices {
            for (value, count) in counts[index] { paths[index].update(value, count) }
        }
        state.topologySpreadFilter = TopologySpreadFilterState(constraints: constraints, matchCounts: counts, criticalPaths: paths,
                                                               selfMatches: constraints.map { $0.selector.matches(pod) ? 1 : 0 })
        return .success
    }

    func filter(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status {
        guard let spread = state.topologySpreadFilter else { return .success }
        for (index, constraint) in spread.constraints.enumerated() {
            guard let value = node.node.label(constraint.topologyKey) else {
                return Status(.unschedulableAndUnresolvable, Self.missingLabelReason)
            }
            let skew = (spread.matchCounts[index][value] ?? 0) + spread.selfMatches[index] - spread.minMatch(index)
            if skew > constraint.maxSkew { return Status(.unschedulable, Self.reason) }
        }
        return .success
    }

    func addPod(_ state: inout CycleState, pod: SchedulingPod, adding other: SchedulingPod, on node: NodeInfo) {
        update(&state, pod: pod, changed: other, node: node, delta: 1)
    }

    func removePod(_ state: inout CycleState, pod: SchedulingPod, removing other: SchedulingPod, from node: NodeInfo) {
        update(&state, pod: pod, changed: other, node: node, delta: -1)
    }

    private func update(_ state: inout CycleState, pod: SchedulingPod, changed other: SchedulingPod, node: NodeInfo, delta: Int) {
        guard var spread = state.topologySpreadFilter, other.namespace == pod.namespace,
              Self.hasAllTopologyKeys(node.node, spread.constraints) else { return }
        state.topologySpreadFilter = nil  // keeps `spread` uniquely referenced while it changes
        for (index, constraint) in spread.constraints.enumerated() {
            guard constraint.selector.matches(other), Self.includes(node.node, for: constraint, pod: pod) else { continue }
            let value = node.node.label(constraint.topologyKey) ?? ""
            let count = (spread.matchCounts[index][value] ?? 0) + delta
            spread.matchCounts[index][value] = count
            spread.criticalPaths[index].update(value, count)
        }
        state.topologySpreadFilter = spread
    }
}
