/// Whether the node's allocatable resources hold the pod's requests on top of what its pods
/// already request (and one more pod); scores with the LeastAllocated strategy.
struct NodeResourcesFitPlugin: FilterPlugin, ScorePlugin {
    let name = "NodeResourcesFit"
    /// Resource weights of the LeastAllocated score (Kubernetes' default: cpu 1, memory 1).
    var cpuWeight: Int64 = 1
    var memoryWeight: Int64 = 1

    static let tooManyPods = "Too many pods"
    private static let tooManyPodsStatus = Status(.unschedulable, tooManyPods)
    private static let insufficientCPU = Status(.unschedulable, "Insufficient cpu")

    func filter(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Status {
        // The common case (everything fits) is decided on plain integers, without building reasons.
        let allocatable = node.node.allocatable
        let request = pod.requests
        let used = node.requested
        let podsFit = Int64(node.pods.count) + 1 <= allocatable.allowedPods
        let cpuFits = request.milliCPU <= 0 || request.milliCPU <= allocatable.milliCPU - used.milliCPU
        let memoryFits = request.memory <= 0 || request.memory <= allocatable.memory - used.memory
        let storageFits = request.ephemeralStorage <= 0 || request.ephemeralStorage <= allocatable.ephemeralStorage - used.ephemeralStorage
        if podsFit && cpuFits && memoryFits && storageFits && request.scalars.isEmpty { return .success }
        if podsFit && !cpuFits && memoryFits && storageFits && request.scalars.isEmpty { return Self.insufficientCPU }
        let reasons = Self.insufficientResources(pod: pod, node: node)
        if reasons.isEmpty { return .success }
        if reasons == [Self.tooManyPods] { return Self.tooManyPodsStatus }
        return Status(.unschedulable, reasons)
    }

    /// The reasons the pod does not fit, in Kubernetes' order: pods, cpu, memory, ephemeral
    /// storage, then scalar resources (by name).
    static func insufficientResources(pod: SchedulingPod, node: NodeInfo) -> [String] {
        var reasons: [String] = []
        let allocatable = node.node.allocatable
        if Int64(node.pods.count) + 1 > allocatable.allowedPods { reasons.append(tooManyPods) }
        let request = pod.requests
        if request.milliCPU == 0 && request.memory == 0 && request.ephemeralStorage == 0 && request.scalars.isEmpty {
            return reasons
        }
        let used = node.requested
        if request.milliCPU > 0 && request.milliCPU > allocatable.milliCPU - used.milliCPU { reasons.append("Insufficient cpu") }
        if request.memory > 0 && request.memory > allocatable.memory - used.memory { reasons.append("Insufficient memory") }
        if request.ephemeralStorage > 0 && request.ephemeralStorage > allocatable.ephemeralStorage - used.ephemeralStorage {
            reasons.append("Insufficient ephemeral-storage")
        }
        for (resource, quantity) in request.scalars.sorted(by: { $0.key < $1.key }) where quantity != 0 {
            if quantity > (allocatable.scalars[resource] ?? 0) - (used.scalars[resource] ?? 0) {
                reasons.append("Insufficient \(resource)")
            }
        }
        return reasons
    }

    /// LeastAllocated: the free share of each resource after placing the pod, weighted. Pods
    /// without cpu/memory requests count as 100m / 200Mi here.
    func score(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Int64 {
        let allocatable = node.node.allocatable
        var total: Int64 = 0
        var weights: Int64 = 0
        if allocatable.milliCPU != 0 {
            total += Self.leastRequested(node.nonZeroMilliCPU + pod.nonZeroMilliCPU, allocatable.milliCPU) * cpuWeight
            weights += cpuWeight
        }
        if allocatable.memory != 0 {
            total += Self.leastRequested(node.nonZeroMemory + pod.nonZeroMemory, allocatable.memory) * memoryWeight
            weights += memoryWeight
        }
        return weights == 0 ? 0 : total / weights
    }

    static func leastRequested(_ requested: Int64, _ capacity: Int64) -> Int64 {
        if capacity == 0 || requested > capacity { return 0 }
        let free = capacity - requested
        // Multiplying first (as Kubernetes does) could overflow for byte counts; split it.
        let (high, low) = free.multipliedFullWidth(by: NodeScore.max)
        if high == 0 && low <= UInt64(Int64.max) { return Int64(low) / capacity }
        return Int64(Double(free) / Double(capacity) * Double(NodeScore.max))
    }
}
