/// What one scheduling cycle computes once and its plugins read per node. A value: preemption and
/// nominated-pod checks work on copies.
struct CycleState {
    /// Filters whose PreFilter said `.skip`, and the filters to run (the rest, in order).
    var skippedFilters: Set<String> = []
    var activeFilters: [any FilterPlugin] = []
    var skippedScores: Set<String> = []
    var namespaceLabels: [String: [String: String]] = [:]
    var totalNodeCount = 0
    var imageNodeCounts: [String: Int] = [:]

    // Plugin state (each plugin reads only its own).
    var topologySpreadFilter: TopologySpreadFilterState?
    var topologySpreadScore: TopologySpreadScoreState?
    var interPodAffinityFilter: InterPodAffinityFilterState?
    var interPodAffinityScore: InterPodAffinityScoreState?
    var preferNoScheduleTolerations: [Toleration] = []
}
