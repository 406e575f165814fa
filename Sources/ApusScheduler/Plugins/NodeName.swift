/// A pod that names its node (`spec.nodeName`) fits only there.
struct NodeNamePlugin: FilterPlugin {
    let name = "NodeName"
    static let reason = "node(s) didn't match the requested node name"
    private static let rejection = Status(.unschedulableAndUnresolvable, reason)

    func filter(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status {
        pod.nodeName.isEmpty || pod.nodeName == node.name ? .success : Self.rejection
    }
}
