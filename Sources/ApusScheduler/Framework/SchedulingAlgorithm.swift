/// One pod's placement (Kubernetes' schedulePod): PreFilter, then the nominated node if any, then
/// filters over enough nodes (starting where the last cycle stopped), then scores and the best node.
struct SchedulingAlgorithm {
    enum Outcome {
        case scheduled(node: String)
        case noNodes
        case unfit(FitError, CycleState)
        case error(String)
    }

    let framework: SchedulingFramework
    var percentageOfNodesToScore: Int
    var random: SplitMix64
    private(set) var nextStartNodeIndex = 0

    init(framework: SchedulingFramework, percentageOfNodesToScore: Int = 0, random: SplitMix64) {
        self.framework = framework
        self.percentageOfNodesToScore = percentageOfNodesToScore
        self.random = random
    }

    mutating func schedule(_ pod: SchedulingPod, cache: SchedulerCache, nominator: Nominator) -> Outcome {
        let allNodes = cache.nodeList
        if allNodes.isEmpty { return .noNodes }
        var state = framework.newCycleState(cache: cache)
        var diagnosis = Diagnosis()

        let preFilter = framework.runPreFilter(&state, pod: pod, cache: cache)
        if !preFilter.status.isSuccess {
            guard preFilter.status.isRejected else { return .error(preFilter.status.message) }
            // Every node gets the PreFilter's status (so preemption sees it), but the message
            // shows the PreFilter's reason once.
            diagnosis.nodeStatuses.absent = preFilter.status
            diagnosis.preFilterMessage = preFilter.status.message
            diagnosis.record(preFilter.status)
            return .unfit(FitError(numAllNodes: allNodes.count, diagnosis: diagnosis), state)
        }

        // A node nominated by an earlier preemption is likely the only fit: try it first.
        let nominatedName = nominator.node(of: pod.uid) ?? pod.nominatedNodeName
        if !nominatedName.isEmpty, let nominated = cache.nodeInfo(nominatedName) {
            let status = framework.runFilters(state, pod: pod, node: nominated, nominated: nominator.pods(on: nominatedName))
            if status.isSuccess { return .scheduled(node: nominatedName) }
            diagnosis.nodeStatuses.set(nominatedName, status)
            diagnosis.record(status)
        }

        var nodes = allNodes
        if let names = preFilter.nodeNames {
            nodes = allNodes.filter { names.contains($0.name) }
            diagnosis.nodeStatuses.absent = Status(.unschedulableAndUnresolvable,
                                                   "node(s) didn't satisfy plugin(s) [\(preFilter.pluginsWithNodes.sorted().joined(separator: " "))]")
        }
        let feasible = findFeasibleNodes(state, pod: pod, nodes: nodes, nominator: nominator, diagnosis: &diagnosis)
        let processed = feasible.count + diagnosis.nodeStatuses.count
        nextStartNodeIndex = (nextStartNodeIndex + processed) % allNodes.count

        if feasible.isEmpty { return .unfit(FitError(numAllNodes: allNodes.count, diagnosis: diagnosis), state) }
        if feasible.count == 1 { return .scheduled(node: feasible[0].name) }
        let totals = framework.prioritize(&state, pod: pod, nodes: feasible, cache: cache)
        guard let best = NodeSelection.selectHost(totals, using: &random) else { return .error("empty priorityList") }
        return .scheduled(node: feasible[best].name)
    }

    /// Filters nodes from the round-robin start until enough feasible ones are found.
    private func findFeasibleNodes(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], nominator: Nominator,
                                   diagnosis: inout Diagnosis) -> [NodeInfo] {
        guard !nodes.isEmpty else { return [] }
        let wanted = framework.hasScorePlugins
            ? NodeSelection.numFeasibleNodesToFind(percentage: percentageOfNodesToScore, numAllNodes: nodes.count) : 1
        var feasible: [NodeInfo] = []
        feasible.reserveCapacity(wanted)
        let checkNominated = !nominator.isEmpty
        let start = nextStartNodeIndex % nodes.count
        var offset = 0
        while offset < nodes.count && feasible.count < wanted {
            var index = start + offset
            if index >= nodes.count { index -= nodes.count }
            let node = nodes[index]
            let status = checkNominated
                ? framework.runFilters(state, pod: pod, node: node, nominated: nominator.pods(on: node.name))
                : framework.runFilters(state, pod: pod, node: node)
            if status.isSuccess {
                feasible.append(node)
            } else {
                diagnosis.nodeStatuses.set(node.name, status)
                diagnosis.record(status)
            }
            offset += 1
        }
        return feasible
    }
}
