/// Taints: NoSchedule/NoExecute taints the pod does not tolerate exclude the node; untolerated
/// PreferNoSchedule taints lower its score.
struct TaintTolerationPlugin: FilterPlugin, PreScorePlugin, ScorePlugin {
    let name = "TaintToleration"

    static func reason(for taint: Taint) -> String {
        "node(s) had untolerated taint {\(taint.key): \(taint.value)}"
    }

    func filter(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status {
        let taints = node.node.taints
        if taints.isEmpty { return .success }
        guard let taint = pod.tolerations.firstUntoleratedBlockingTaint(taints) else { return .success }
        return Status(.unschedulableAndUnresolvable, Self.reason(for: taint))
    }

    func preScore(_ state: inout CycleState, pod: SchedulingPod, nodes: [NodeInfo], cache: SchedulerCache) -> Status {
        state.preferNoScheduleTolerations = pod.tolerations.filter { $0.effect.isEmpty || $0.effect == Taint.preferNoSchedule }
        return .success
    }

    /// The number of PreferNoSchedule taints not tolerated (fewer is better: normalized in reverse).
    func score(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Int64 {
        var count: Int64 = 0
        for taint in node.node.taints where taint.effect == Taint.preferNoSchedule {
            if !state.preferNoScheduleTolerations.tolerate(taint) { count += 1 }
        }
        return count
    }

    func normalize(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], scores: inout [Int64]) {
        NodeScore.defaultNormalize(&scores, reverse: true)
    }
}
