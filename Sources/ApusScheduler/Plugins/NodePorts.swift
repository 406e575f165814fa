/// Host ports: a pod cannot go where another pod already binds the same port (and address).
struct NodePortsPlugin: PreFilterPlugin, FilterPlugin {
    let name = "NodePorts"
    static let reason = "node(s) didn't have free ports for the requested pod ports"
    private static let rejection = Status(.unschedulable, reason)

    func preFilter(_ state: inout CycleState, pod: SchedulingPod, cache: SchedulerCache) -> PreFilterOutcome {
        pod.hostPorts.isEmpty ? .skip : .success
    }

    func filter(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status {
        if node.usedPorts.isEmpty { return .success }
        for port in pod.hostPorts where node.usedPorts.conflicts(with: port) { return Self.rejection }
        return .success
    }
}
