/// A node with what the scheduler accounts on it: its pods (assumed ones included), the resources
/// they request, the host ports they use, and which of them carry pod (anti-)affinity.
/// Updated incrementally as pods come and go, so filters and scores only read numbers.
final class NodeInfo {
    private(set) var node: SchedulingNode
    private(set) var pods: [SchedulingPod] = []
    private(set) var podsWithAffinity: [SchedulingPod] = []
    private(set) var podsWithRequiredAntiAffinity: [SchedulingPod] = []
    private(set) var requested = ResourceAmounts()
    private(set) var nonZeroMilliCPU: Int64 = 0
    private(set) var nonZeroMemory: Int64 = 0
    private(set) var usedPorts = HostPortUsage()
    /// A small number unique among the cache's nodes, for per-cycle arrays indexed by node.
    let slot: Int
    /// The cache's number for the node's zone label value (-1 without one), so topology spreading
    /// can count zones in arrays.
    var zoneNumber = -1

    var name: String { node.name }

    init(node: SchedulingNode, slot: Int = 0, pods: [SchedulingPod] = []) {
        self.node = node
        self.slot = slot
        for pod in pods { add(pod) }
    }

    func setNode(_ node: SchedulingNode) { self.node = node }

    func add(_ pod: SchedulingPod) {
        pods.append(pod)
        if pod.hasPodAffinity { podsWithAffinity.append(pod) }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity.append(pod) }
        requested.add(pod.requests)
        nonZeroMilliCPU &+= pod.nonZeroMilliCPU
        nonZeroMemory &+= pod.nonZeroMemory
        for port in pod.hostPorts { usedPorts.add(port) }
    }

    @discardableResult
    func remove(uid: String) -> SchedulingPod? {
        guard let index = pods.firstIndex(where: { $0.uid == uid }) else { return nil }
        let pod = pods.remove(at: index)
        if pod.hasPodAffinity { podsWithAffinity.removeAll { $0.uid == uid } }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity.removeAll { $0.uid == uid } }
        requested.subtract(pod.requests)
        requested.scalars = requested.scalars.filter { $0.value != 0 }
        nonZeroMilliCPU &-= pod.nonZeroMilliCPU
        nonZeroMemory &-= pod.nonZeroMemory
        for port in pod.hostPorts { usedPorts.remove(port) }
        return pod
    }

    /// An independent copy, for what-if evaluation (nominated pods, preemption).
    func clone() -> NodeInfo {
        let copy = NodeInfo(node: node, slot: slot)
        copy.zoneNumber = zoneNumber
        copy.pods = pods
        copy.podsWithAffinity = podsWithAffinity
        copy.podsWithRequiredAntiAffinity = podsWithRequiredAntiAffinity
        copy.requested = requested
        copy.nonZeroMilliCPU = nonZeroMilliCPU
        copy.nonZeroMemory = nonZeroMemory
        copy.usedPorts = usedPorts
        return copy
    }
}
