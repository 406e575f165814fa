/// Keeps pods off cordoned nodes (`spec.unschedulable`) unless they tolerate the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint.
struct NodeUnschedulablePlugin: FilterPlugin {
    let name = "NodeUnschedulable"
    static let reason = "node(s) were unschedulable"
    private static let unschedulableTaint = Taint(key: "node.kubernetes.io/unschedulable", effect: Taint.noSchedule)
    private static let rejection = Status(.unschedulableAndUnresolvable, reason)

    func filter(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status {
        guard node.node.unschedulable else { return .success }
        return pod.tolerations.tolerate(Self.unschedulableTaint) ? .success : Self.rejection
    }
}
