/// A scheduling profile: the plugins at each extension point, in order, and the score weights.
struct SchedulingFramework: Sendable {
    struct WeightedScorePlugin: Sendable {
        var plugin: any ScorePlugin
        var weight: Int64
    }

    var preFilterPlugins: [any PreFilterPlugin]
    var filterPlugins: [any FilterPlugin]
    var preScorePlugins: [any PreScorePlugin]
    var scorePlugins: [WeightedScorePlugin]

    /// Kubernetes' default profile (the in-tree plugins Apus has, volume plugins aside), with the
    /// default weights: TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1, PodTopologySpread 2,
    /// InterPodAffinity 2, NodeResourcesBalancedAllocation 1, ImageLocality 1.
    static func defaultProfile(weights: PluginWeights = PluginWeights(), hardPodAffinityWeight: Int64 = 1) -> SchedulingFramework {
        let taints = TaintTolerationPlugin()
        let nodeAffinity = NodeAffinityPlugin()
        let ports = NodePortsPlugin()
        let fit = NodeResourcesFitPlugin()
        let spread = PodTopologySpreadPlugin()
        let interPod = InterPodAffinityPlugin(hardPodAffinityWeight: hardPodAffinityWeight)
        return SchedulingFramework(
            preFilterPlugins: [nodeAffinity, ports, spread, interPod],
            filterPlugins: [NodeUnschedulablePlugin(), NodeNamePlugin(), taints, nodeAffinity, ports, fit, spread, interPod],
            preScorePlugins: [taints, nodeAffinity, spread, interPod],
            scorePlugins: [
                WeightedScorePlugin(plugin: taints, weight: weights.taintToleration),
                WeightedScorePlugin(plugin: nodeAffinity, weight: weights.nodeAffinity),
                WeightedScorePlugin(plugin: fit, weight: weights.nodeResourcesFit),
                WeightedScorePlugin(plugin: spread, weight: weights.podTopologySpread),
                WeightedScorePlugin(plugin: interPod, weight: weights.interPodAffinity),
                WeightedScorePlugin(plugin: NodeResourcesBalancedAllocationPlugin(), weight: weights.nodeResourcesBalancedAllocation),
                WeightedScorePlugin(plugin: ImageLocalityPlugin(), weight: weights.imageLocality),
            ].filter { $0.weight > 0 })
    }

    /// A cycle state seeded with what every plugin may read.
    func newCycleState(cache: SchedulerCache) -> CycleState {
        var state = CycleState()
        state.namespaceLabels = cache.namespaceLabels
        state.totalNodeCount = cache.nodeCount
        state.imageNodeCounts = cache.imageNodeCounts
        return state
    }

    // MARK: PreFilter

    struct PreFilterResult {
        var status: Status
        /// Nodes the PreFilter plugins narrowed the search to (nil: all).
        var nodeNames: Set<String>?
        var pluginsWithNodes: [String]
    }

    /// Runs every PreFilter plugin. UnschedulableAndUnresolvable stops at once; Unschedulable is
    /// remembered while the others still run (preemption needs their state).
    func runPreFilter(_ state: inout CycleState, pod: SchedulingPod, cache: SchedulerCache) -> PreFilterResult {
        var result = PreFilterResult(status: .success, nodeNames: nil, pluginsWithNodes: [])
        for plugin in preFilterPlugins {
            let outcome = plugin.preFilter(&state, pod: pod, cache: cache)
            if outcome.status.isSkip {
                state.skippedFilters.insert(plugin.name)
                continue
            }
            if !outcome.status.isSuccess {
                let status = outcome.status.with(plugin: plugin.name)
                if status.code == .unschedulable {
                    result.status = status
                    continue
                }
                result.status = status.code == .unschedulableAndUnresolvable
                    ? status : Status(.error, "running PreFilter plugin \"\(plugin.name)\": \(status.message)", plugin: plugin.name)
                return result
            }
            if let names = outcome.nodeNames {
                result.pluginsWithNodes.append(plugin.name)
                result.nodeNames = result.nodeNames.map { $0.intersection(names) } ?? names
                if result.nodeNames?.isEmpty ?? false {
                    let message = result.pluginsWithNodes.count == 1
                        ? "node(s) didn't satisfy plugin \(result.pluginsWithNodes[0])"
                        : "node(s) didn't satisfy plugin(s) [\(result.pluginsWithNodes.joined(separator: " "))] simultaneously"
                    result.status = Status(.unschedulableAndUnresolvable, message, plugin: plugin.name)
                    return result
                }
            }
        }
        state.activeFilters = filterPlugins.filter { !state.skippedFilters.contains($0.name) }
        return result
    }

    /// PreFilter extensions: account `other` as running on `node` (for plugins not skipped).
    func addPod(_ state: inout CycleState, pod: SchedulingPod, adding other: SchedulingPod, on node: NodeInfo) {
        for plugin in preFilterPlugins where !state.skippedFilters.contains(plugin.name) {
            plugin.addPod(&state, pod: pod, adding: other, on: node)
        }
    }

    func removePod(_ state: inout CycleState, pod: SchedulingPod, removing other: SchedulingPod, from node: NodeInfo) {
        for plugin in preFilterPlugins where !state.skippedFilters.contains(plugin.name) {
            plugin.removePod(&state, pod: pod, removing: other, from: node)
        }
    }

    // MARK: Filter

    /// The first rejection among the active filters, or success.
    func runFilters(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status {
        for plugin in state.activeFilters {
            let status = plugin.filter(state, pod: pod, node: node)
            if !status.isSuccess { return status.with(plugin: plugin.name) }
        }
        return .success
    }

    /// Filters as if pods nominated to the node with at least this pod's priority already ran
    /// there; when they pass, again without them (affinity may need them absent).
    func runFilters(_ state: CycleState, pod: SchedulingPod, node: NodeInfo, nominated: [SchedulingPod]) -> Status {
        let relevant = nominated.filter { $0.priority >= pod.priority && $0.uid != pod.uid }
        if relevant.isEmpty { return runFilters(state, pod: pod, node: node) }
        var withNominated = state
        let nodeWithNominated = node.clone()
        for other in relevant {
            nodeWithNominated.add(other)
            addPod(&withNominated, pod: pod, adding: other, on: nodeWithNominated)
        }
        let first = runFilters(withNominated, pod: pod, node: nodeWithNominated)
        if !first.isSuccess { return first }
        return runFilters(state, pod: pod, node: node)
    }

    // MARK: Score

    var hasScorePlugins: Bool { !scorePlugins.isEmpty }

    /// Weighted sum of every (normalized) score per node.
    func prioritize(_ state: inout CycleState, pod: SchedulingPod, nodes: [NodeInfo], cache: SchedulerCache) -> [Int64] {
        if !hasScorePlugins { return Array(repeating: 1, count: nodes.count) }
        for plugin in preScorePlugins where plugin.preScore(&state, pod: pod, nodes: nodes, cache: cache).isSkip {
            state.skippedScores.insert(plugin.name)
        }
        var totals = [Int64](repeating: 0, count: nodes.count)
        var scores = [Int64](repeating: 0, count: nodes.count)
        for weighted in scorePlugins where !state.skippedScores.contains(weighted.plugin.name) {
            let plugin = weighted.plugin
            plugin.score(state, pod: pod, nodes: nodes, into: &scores)
            plugin.normalize(state, pod: pod, nodes: nodes, scores: &scores)
            for index in nodes.indices { totals[index] += scores[index] * weighted.weight }
        }
        return totals
    }
}
