/// Changes in the cluster that can make an unschedulable pod schedulable.
enum ClusterEvent: Hashable, Sendable {
    case nodeAdd
    case nodeDelete
    case nodeLabelChange
    case nodeTaintChange
    case nodeAllocatableChange
    case nodeImageChange
    case assignedPodAdd
    case assignedPodUpdate
    case assignedPodDelete

    /// Which events can resolve a rejection by each filter plugin (Kubernetes' EventsToRegister).
    static let interest: [String: Set<ClusterEvent>] = [
        "NodeUnschedulable": [.nodeAdd, .nodeTaintChange],
        "NodeName": [.nodeAdd, .nodeLabelChange, .nodeTaintChange, .nodeAllocatableChange],
        "TaintToleration": [.nodeAdd, .nodeTaintChange],
        "NodeAffinity": [.nodeAdd, .nodeLabelChange],
        "NodePorts": [.nodeAdd, .assignedPodDelete],
        "NodeResourcesFit": [.nodeAdd, .nodeAllocatableChange, .nodeTaintChange, .nodeLabelChange, .assignedPodDelete, .assignedPodUpdate],
        "PodTopologySpread": [.nodeAdd, .nodeDelete, .nodeLabelChange, .nodeTaintChange, .assignedPodAdd, .assignedPodUpdate, .assignedPodDelete],
        "InterPodAffinity": [.nodeAdd, .nodeLabelChange, .assignedPodAdd, .assignedPodUpdate, .assignedPodDelete],
    ]

    /// Whether this event may help a pod the given plugins rejected.
    func mayHelp(podRejectedBy plugins: Set<String>) -> Bool {
        if plugins.isEmpty { return true }
        // A plugin we know nothing about: retry on anything.
        return plugins.contains { Self.interest[$0]?.contains(self) ?? true }
    }
}
