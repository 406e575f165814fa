import ApusControllerKit
import ApusMachinery

/// Which pods a ReplicaSet deletes first when it has too many, in Kubernetes' order
/// (controller.ActivePodsWithRanks, with pod-deletion-cost and logarithmic scale-down on):
/// unassigned before assigned; Pending before Unknown before Running; not ready before ready;
/// lower pod-deletion-cost first; more pods of the same owner on the node first; ready for less
/// time first; more container restarts first; newer first. Times compare on a log2 scale, with
/// the uid as tie-breaker.
enum ReplicaSetPodRanking {
    static let deletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

    /// The first `count` pods of `pods` to delete. `related` are the pods of all ReplicaSets with the
    /// same owner, which rank pods on crowded nodes first.
    static func podsToDelete(_ pods: [JSON], related: [JSON], count: Int, now: Double) -> [JSON] {
        guard count < pods.count else { return Array(pods.prefix(count)) }
        var podsOnNode: [String: Int] = [:]
        for pod in related where PodState.isActive(pod) {
            podsOnNode[PodState.nodeName(pod) ?? "", default: 0] += 1
        }
        let ranked = pods.map { (pod: $0, rank: podsOnNode[PodState.nodeName($0) ?? ""] ?? 0) }
        return ranked.sorted { precedes($0.pod, $0.rank, $1.pod, $1.rank, now: now) }.prefix(count).map(\.pod)
    }

    /// Whether pod `a` (with rank `rankA`) should be deleted before pod `b`.
    static func precedes(_ a: JSON, _ rankA: Int, _ b: JSON, _ rankB: Int, now: Double) -> Bool {
        let (nodeA, nodeB) = (PodState.nodeName(a) ?? "", PodState.nodeName(b) ?? "")
        if nodeA != nodeB, nodeA.isEmpty || nodeB.isEmpty { return nodeA.isEmpty }

        let (phaseA, phaseB) = (phaseOrdinal(a), phaseOrdinal(b))
        if phaseA != phaseB { return phaseA < phaseB }

        let (readyA, readyB) = (PodState.isReady(a), PodState.isReady(b))
        if readyA != readyB { return !readyA }

        let (costA, costB) = (deletionCost(a), deletionCost(b))
        if costA != costB { return costA < costB }

        if rankA != rankB { return rankA > rankB }

        if readyA, readyB {
            let (sinceA, sinceB) = (PodState.readySince(a), PodState.readySince(b))
            if sinceA != sinceB { return laterOnLogScale(sinceA, sinceB, a, b, now: now) }
        }

        let (restartsA, restartsB) = (PodState.maxRestarts(a), PodState.maxRestarts(b))
        if restartsA != restartsB { return restartsA > restartsB }

        let (createdA, createdB) = (DeploymentsFields.creationTime(a), DeploymentsFields.creationTime(b))
        if createdA != createdB { return laterOnLogScale(createdA, createdB, a, b, now: now) }
        return false
    }

    /// A missing time first, then the later time, compared by the log2 of their age in nanoseconds;
    /// equal buckets order by uid.
    private static func laterOnLogScale(_ t1: Double?, _ t2: Double?, _ a: JSON, _ b: JSON, now: Double) -> Bool {
        guard let t1, let t2 else { return t1 == nil }
        let difference = logRank(t1, now: now) - logRank(t2, now: now)
        if difference == 0 { return DeploymentsFields.uid(a) < DeploymentsFields.uid(b) }
        return difference < 0
    }

    private static func logRank(_ time: Double, now: Double) -> Int64 {
        // The integer part of log2 is the binary exponent (ages under 1 ns count as 0).
        let nanoseconds = (now - time) * 1e9
        if nanoseconds <= 0 { return -1 }
        return nanoseconds < 1 ? 0 : Int64(nanoseconds.exponent)
    }

    private static func phaseOrdinal(_ pod: JSON) -> Int {
        switch pod["status"]["phase"].string {
        case "Unknown": 1
        case "Running": 2
        default: 0
        }
    }

    /// controller.kubernetes.io/pod-deletion-cost as an int32; 0 when absent or invalid ("+1", "08").
    static func deletionCost(_ pod: JSON) -> Int32 {
        guard let text = pod["metadata"]["annotations"][deletionCostAnnotation].string, let first = text.first else { return 0 }
        let validStart = first == "-" || text == "0" || ("1"..."9").contains(first)
        guard validStart, let value = Int32(text) else { return 0 }
        return value
    }
}
