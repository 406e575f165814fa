/// Prefers nodes whose cpu and memory would be used in equal shares after placing the pod
/// (score = (1 − standard deviation of the shares) × 100), on actual requests.
struct NodeResourcesBalancedAllocationPlugin: ScorePlugin {
    let name = "NodeResourcesBalancedAllocation"

    func score(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Int64 {
        let allocatable = node.node.allocatable
        // Two resources (cpu, memory): the deviation is half their difference; with one, zero.
        guard allocatable.milliCPU != 0, allocatable.memory != 0 else { return NodeScore.max }
        let cpu = min(1, Double(node.requested.milliCPU + pod.requests.milliCPU) / Double(allocatable.milliCPU))
        let memory = min(1, Double(node.requested.memory + pod.requests.memory) / Double(allocatable.memory))
        return Int64((1 - abs((cpu - memory) / 2)) * Double(NodeScore.max))
    }
}
