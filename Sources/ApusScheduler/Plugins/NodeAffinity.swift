/// `spec.nodeSelector` and node affinity: required terms filter nodes (a `metadata.name` field
/// term limits the nodes examined at PreFilter), preferred terms add their weights.
struct NodeAffinityPlugin: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    let name = "NodeAffinity"
    static let reason = "node(s) didn't match Pod's node affinity/selector"
    static let conflictReason = "pod affinity terms conflict"
    private static let rejection = Status(.unschedulableAndUnresolvable, reason)

    func preFilter(_ state: inout CycleState, pod: SchedulingPod, cache: SchedulerCache) -> PreFilterOutcome {
        let required = pod.requiredNodeAffinity
        if required.isEmpty { return .skip }
        guard let terms = required.terms, !terms.isEmpty else { return .success }
        // Terms are ORed: only if every term names nodes can the node list be narrowed.
        var names: Set<String> = []
        for term in terms {
            var termNames: Set<String>?
            for field in term.matchFields where field.op == .in {
                let values = Set(field.values)
                termNames = termNames.map { $0.intersection(values) } ?? values
            }
            guard let termNames else { return .success }
            names.formUnion(termNames)
        }
        if names.isEmpty { return PreFilterOutcome(Status(.unschedulableAndUnresolvable, Self.conflictReason)) }
        return PreFilterOutcome(.success, nodeNames: names)
    }

    func filter(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status {
        pod.requiredNodeAffinity.matches(node.node) ? .success : Self.rejection
    }

    func preScore(_ state: inout CycleState, pod: SchedulingPod, nodes: [NodeInfo], cache: SchedulerCache) -> Status {
        pod.preferredNodeAffinity.isEmpty ? .skip : .success
    }

    func score(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Int64 {
        var total: Int64 = 0
        for preferred in pod.preferredNodeAffinity where preferred.weight != 0 {
            if preferred.term.matches(labels: node.node.labels, nodeName: node.name) { total += preferred.weight }
        }
        return total
    }

    func normalize(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], scores: inout [Int64]) {
        NodeScore.defaultNormalize(&scores, reverse: false)
    }
}
