/// A scheduling plugin; it takes part in the extension points whose protocols it adopts.
protocol SchedulingPlugin: Sendable {
    var name: String { get }
}

/// Runs once per scheduling cycle before filtering: computes state for Filter, may restrict the
/// nodes to look at (`nodeNames`), or rejects the pod outright, or skips its Filter (`.skip`).
protocol PreFilterPlugin: SchedulingPlugin {
    func preFilter(_ state: inout CycleState, pod: SchedulingPod, cache: SchedulerCache) -> PreFilterOutcome
    /// Updates the PreFilter state as if `other` ran on `node` (nominated pods, preemption).
    func addPod(_ state: inout CycleState, pod: SchedulingPod, adding other: SchedulingPod, on node: NodeInfo)
    /// Updates the PreFilter state as if `other` were gone from `node`.
    func removePod(_ state: inout CycleState, pod: SchedulingPod, removing other: SchedulingPod, from node: NodeInfo)
}

extension PreFilterPlugin {
    func addPod(_ state: inout CycleState, pod: SchedulingPod, adding other: SchedulingPod, on node: NodeInfo) {}
    func removePod(_ state: inout CycleState, pod: SchedulingPod, removing other: SchedulingPod, from node: NodeInfo) {}
}

struct PreFilterOutcome {
    var status: Status
    /// Only these nodes can fit (nil: all nodes).
    var nodeNames: Set<String>?

    init(_ status: Status = .success, nodeNames: Set<String>? = nil) {
        self.status = status
        self.nodeNames = nodeNames
    }

    static let success = PreFilterOutcome()
    static let skip = PreFilterOutcome(.skip)
}

/// Decides whether one node can run the pod.
protocol FilterPlugin: SchedulingPlugin {
    func filter(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status
}

/// Runs once before scoring, over the nodes that passed the filters.
protocol PreScorePlugin: SchedulingPlugin {
    func preScore(_ state: inout CycleState, pod: SchedulingPod, nodes: [NodeInfo], cache: SchedulerCache) -> Status
}

/// Ranks one feasible node; `normalize` then maps the plugin's scores onto 0...100.
protocol ScorePlugin: SchedulingPlugin {
    func score(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Int64
    /// Scores every node (`scores[i]` for `nodes[i]`); plugins may do it in one pass.
    func score(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], into scores: inout [Int64])
    func normalize(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], scores: inout [Int64])
}

extension ScorePlugin {
    func score(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], into scores: inout [Int64]) {
        for index in nodes.indices { scores[index] = score(state, pod: pod, node: nodes[index]) }
    }

    func normalize(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], scores: inout [Int64]) {}
}

enum NodeScore {
    static let max: Int64 = 100

    /// Scales scores so the highest becomes 100 (or, `reverse`, the lowest), as Kubernetes'
    /// DefaultNormalizeScore.
    static func defaultNormalize(_ scores: inout [Int64], reverse: Bool) {
        let highest = scores.max() ?? 0
        if highest == 0 {
            if reverse { for i in scores.indices { scores[i] = max } }
            return
        }
        for i in scores.indices {
            let scaled = max * scores[i] / highest
            scores[i] = reverse ? max - scaled : scaled
        }
    }
}
