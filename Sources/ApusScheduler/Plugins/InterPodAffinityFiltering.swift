/// Per topology domain: existing pods whose required anti-affinity selects the incoming pod, and
/// existing pods the incoming pod's required affinity / anti-affinity terms select.
struct InterPodAffinityFilterState {
    var existingAntiAffinityCounts: [TopologyPair: Int64] = [:]
    var affinityCounts: [TopologyPair: Int64] = [:]
    var antiAffinityCounts: [TopologyPair: Int64] = [:]
    /// Whether the incoming pod's own required affinity terms select it (the first pod of a group
    /// with affinity to itself); decided once per cycle, not once per node.
    var podMatchesOwnAffinity = false
}

extension InterPodAffinityPlugin {
    func preFilter(_ state: inout CycleState, pod: SchedulingPod, cache: SchedulerCache) -> PreFilterOutcome {
        let hasOwnTerms = !pod.requiredAffinityTerms.isEmpty || !pod.requiredAntiAffinityTerms.isEmpty
        if !hasOwnTerms && cache.podsWithRequiredAntiAffinityCount == 0 { return .skip }
        let namespaceLabels = state.namespaceLabels
        var filterState = InterPodAffinityFilterState()
        filterState.podMatchesOwnAffinity = Self.matchesAll(pod.requiredAffinityTerms, pod, namespaceLabels: namespaceLabels)
        for node in cache.nodeList {
            let labels = node.node.labels
            for existing in node.podsWithRequiredAntiAffinity {
                Self.countExisting(&filterState, existing: existing, pod: pod, labels: labels, namespaceLabels: namespaceLabels, delta: 1)
            }
            guard hasOwnTerms else { continue }
            for existing in node.pods {
                Self.count(&filterState, pod: pod, other: existing, labels: labels, namespaceLabels: namespaceLabels, delta: 1)
            }
        }
        if filterState.existingAntiAffinityCounts.isEmpty && !hasOwnTerms { return .skip }
        state.interPodAffinityFilter = filterState
        return .success
    }

    /// Counts the domains where `existing` (on a node with `labels`) refuses the incoming pod by its
    /// required anti-affinity.
    private static func countExisting(_ filterState: inout InterPodAffinityFilterState, existing: SchedulingPod, pod: SchedulingPod,
                                      labels: [String: String], namespaceLabels: [String: [String: String]], delta: Int64) {
        for term in existing.requiredAntiAffinityTerms where term.matches(pod, namespaceLabels: namespaceLabels) {
            guard let value = labels[term.topologyKey] else { continue }
            adjust(&filterState.existingAntiAffinityCounts, TopologyPair(key: term.topologyKey, value: value), delta)
        }
    }

    /// Counts `other` (on a node with `labels`) into the incoming pod's affinity/anti-affinity domains.
    private static func count(_ filterState: inout InterPodAffinityFilterState, pod: SchedulingPod, other: SchedulingPod,
                              labels: [String: String], namespaceLabels: [String: [String: String]], delta: Int64) {
        if matchesAll(pod.requiredAffinityTerms, other, namespaceLabels: namespaceLabels) {
            for term in pod.requiredAffinityTerms {
                guard let value = labels[term.topologyKey] else { continue }
                adjust(&filterState.affinityCounts, TopologyPair(key: term.topologyKey, value: value), delta)
            }
        }
        for term in pod.requiredAntiAffinityTerms where term.matches(other, namespaceLabels: namespaceLabels) {
            guard let value = labels[term.topologyKey] else { continue }
            adjust(&filterState.antiAffinityCounts, TopologyPair(key: term.topologyKey, value: value), delta)
        }
    }

    private static func adjust(_ counts: inout [TopologyPair: Int64], _ pair: TopologyPair, _ delta: Int64) {
        let value = (counts[pair] ?? 0) + delta
        counts[pair] = value == 0 ? nil : value
    }

    func filter(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status {
        guard let filterState = state.interPodAffinityFilter else { return .success }
        let labels = node.node.labels
        if !satisfiesAffinity(filterState, pod: pod, labels: labels) {
            return Self.affinityRejection
        }
        if !filterState.antiAffinityCounts.isEmpty {
            for term in pod.requiredAntiAffinityTerms {
                if let value = labels[term.topologyKey], filterState.antiAffinityCounts[TopologyPair(key: term.topologyKey, value: value), default: 0] > 0 {
                    return Self.antiAffinityRejection
                }
            }
        }
        if !filterState.existingAntiAffinityCounts.isEmpty {
            for (key, value) in labels where filterState.existingAntiAffinityCounts[TopologyPair(key: key, value: value), default: 0] > 0 {
                return Self.existingAntiAffinityRejection
            }
        }
        return .success
    }

    private func satisfiesAffinity(_ filterState: InterPodAffinityFilterState, pod: SchedulingPod, labels: [String: String]) -> Bool {
        var podsExist = true
        for term in pod.requiredAffinityTerms {
            // Every topology label must exist on the node.
            guard let value = labels[term.topologyKey] else { return false }
            if filterState.affinityCounts[TopologyPair(key: term.topologyKey, value: value), default: 0] <= 0 { podsExist = false }
        }
        if podsExist { return true }
        // The first pod of a group with affinity to itself may go anywhere its terms' topologies exist.
        return filterState.affinityCounts.isEmpty && filterState.podMatchesOwnAffinity
    }

    func addPod(_ state: inout CycleState, pod: SchedulingPod, adding other: SchedulingPod, on node: NodeInfo) {
        update(&state, pod: pod, other: other, node: node, delta: 1)
    }

    func removePod(_ state: inout CycleState, pod: SchedulingPod, removing other: SchedulingPod, from node: NodeInfo) {
        update(&state, pod: pod, other: other, node: node, delta: -1)
    }

    private func update(_ state: inout CycleState, pod: SchedulingPod, other: SchedulingPod, node: NodeInfo, delta: Int64) {
        guard var filterState = state.interPodAffinityFilter else { return }
        state.interPodAffinityFilter = nil
        let labels = node.node.labels
        Self.countExisting(&filterState, existing: other, pod: pod, labels: labels, namespaceLabels: state.namespaceLabels, delta: delta)
        Self.count(&filterState, pod: pod, other: other, labels: labels, namespaceLabels: state.namespaceLabels, delta: delta)
        state.interPodAffinityFilter = filterState
    }
}
