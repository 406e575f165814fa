import ApusControllerKit
import ApusMachinery

/// Which active pods a Job removes first (controller.ActivePods): unscheduled before scheduled,
/// Pending before Unknown before Running, not ready before ready, ready for less time before more,
/// more container restarts before fewer, newer before older.
enum JobPodOrdering {
    static func sortedForRemoval(_ pods: [JSON]) -> [JSON] {
        // Decorate with the original position so equal pods keep their order (a stable sort).
        pods.enumerated().sorted { a, b in
            if removeFirst(a.element, b.element) { return true }
            if removeFirst(b.element, a.element) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Whether `a` should be removed before `b`.
    static func removeFirst(_ a: JSON, _ b: JSON) -> Bool {
        let nodeA = a["spec"]["nodeName"].string ?? ""
        let nodeB = b["spec"]["nodeName"].string ?? ""
        if nodeA != nodeB, nodeA.isEmpty || nodeB.isEmpty { return nodeA.isEmpty }
        let phaseA = phaseRank(a)
        let phaseB = phaseRank(b)
        if phaseA != phaseB { return phaseA < phaseB }
        let readyA = PodState.isReady(a)
        let readyB = PodState.isReady(b)
        if readyA != readyB { return !readyA }
        if readyA, readyB {
            let sinceA = PodState.readySince(a)
            let sinceB = PodState.readySince(b)
            if sinceA != sinceB { return laterOrUnset(sinceA, sinceB) }
        }
        let restartsA = PodState.maxRestarts(a)
        let restartsB = PodState.maxRestarts(b)
        if restartsA != restartsB { return restartsA > restartsB }
        let createdA = a["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse)
        let createdB = b["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse)
        if createdA != createdB { return laterOrUnset(createdA, createdB) }
        return false
    }

    private static func phaseRank(_ pod: JSON) -> Int {
        switch PodState.phase(pod) {
        case "Pending": 0
        case "Unknown": 1
        case "Running": 2
        default: 3
        }
    }

    /// An unset time sorts first, then the later time.
    private static func laterOrUnset(_ a: Double?, _ b: Double?) -> Bool {
        guard let a else { return true }
        guard let b else { return false }
        return a > b
    }
}
