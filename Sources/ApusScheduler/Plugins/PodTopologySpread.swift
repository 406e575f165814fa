/// Topology spread constraints: DoNotSchedule constraints filter nodes where placing the pod would
/// exceed maxSkew; ScheduleAnyway constraints (and, for pods without constraints, the system
/// defaults) score nodes by how few matching pods their domains hold.
struct PodTopologySpreadPlugin: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    struct DefaultConstraint: Sendable {
        var topologyKey: String
        var maxSkew: Int
    }

    let name = "PodTopologySpread"
    static let reason = "node(s) didn't match pod topology spread constraints"
    static let missingLabelReason = reason + " (missing required label)"

    /// Kubernetes' system defaults (ScheduleAnyway): hostname maxSkew 3, zone maxSkew 5.
    static let systemDefaults = [DefaultConstraint(topologyKey: SchedulingNode.hostnameLabel, maxSkew: 3),
                                 DefaultConstraint(topologyKey: SchedulingNode.zoneLabel, maxSkew: 5)]

    /// The constraints of one kind (DoNotSchedule for filtering, ScheduleAnyway for scoring).
    func constraints(for pod: SchedulingPod, doNotSchedule: Bool) -> [SpreadConstraint] {
        if !pod.spreadConstraints.isEmpty {
            return pod.spreadConstraints.filter { $0.doNotSchedule == doNotSchedule }
        }
        // The defaults are ScheduleAnyway and select the pod's siblings.
        guard !doNotSchedule, let controller = pod.controllerUID else { return [] }
        return Self.systemDefaults.map {
            SpreadConstraint(maxSkew: $0.maxSkew, topologyKey: $0.topologyKey, doNotSchedule: false, selector: .controller(controller), minDomains: 1,
                             honorNodeAffinity: true, honorNodeTaints: false)
        }
    }

    /// Whether `node` counts for `constraint` (nodeAffinityPolicy / nodeTaintsPolicy).
    static func includes(_ node: SchedulingNode, for constraint: SpreadConstraint, pod: SchedulingPod) -> Bool {
        if constraint.honorNodeAffinity && !pod.requiredNodeAffinity.matches(node) { return false }
        if constraint.honorNodeTaints && pod.tolerations.firstUntoleratedBlockingTaint(node.taints) != nil { return false }
        return true
    }

    static func hasAllTopologyKeys(_ node: SchedulingNode, _ constraints: [SpreadConstraint]) -> Bool {
        constraints.allSatisfy { node.label($0.topologyKey) != nil }
    }

    /// Live pods on `node` in `namespace` that `selector` selects (terminating pods don't count).
    static func countMatching(_ node: NodeInfo, _ selector: SpreadSelector, namespace: String) -> Int {
        var count = 0
        for pod in node.pods where !pod.isTerminating && pod.namespace == namespace && selector.matches(pod) { count += 1 }
        return count
    }
}
