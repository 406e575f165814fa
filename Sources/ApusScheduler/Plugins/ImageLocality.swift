/// Prefers nodes that already have the pod's images, weighting each image by its size and by how
/// many nodes have it (an image present everywhere says little about this node).
struct ImageLocalityPlugin: ScorePlugin {
    let name = "ImageLocality"
    static let megabyte: Int64 = 1024 * 1024
    static let minThreshold: Int64 = 23 * megabyte
    static let maxContainerThreshold: Int64 = 1000 * megabyte

    func score(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Int64 {
        let images = node.node.images
        var sum: Int64 = 0
        if !images.isEmpty && state.totalNodeCount > 0 {
            for image in pod.images {
                guard let size = images[image] else { continue }
                let spread = Double(state.imageNodeCounts[image] ?? 0) / Double(state.totalNodeCount)
                sum += Int64(Double(size) * spread)
            }
        }
        return Self.priority(sumScores: sum, containers: pod.containerCount)
    }

    static func priority(sumScores: Int64, containers: Int) -> Int64 {
        let maxThreshold = maxContainerThreshold * Int64(max(containers, 1))
        let clamped = min(max(sumScores, minThreshold), maxThreshold)
        return NodeScore.max * (clamped - minThreshold) / (maxThreshold - minThreshold)
    }
}
