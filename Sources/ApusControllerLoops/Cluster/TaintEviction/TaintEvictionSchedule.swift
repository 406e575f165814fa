/// Scheduled pod deletions of the taint eviction controller (its TimedWorkerQueue): one entry per
/// pod, pending until `fireAt`, then kept as fired so the pod is not deleted twice.
actor TaintEvictionSchedule {
    struct Work: Sendable, Equatable {
        var node: String
        var createdAt: Double
        var fireAt: Double
        var fired = false
    }

    private var works: [String: Work] = [:]

    func work(_ pod: String) -> Work? { works[pod] }

    /// AddWork: nothing when the pod already has an entry (pending or fired).
    func add(_ pod: String, node: String, createdAt: Double, fireAt: Double) {
        guard works[pod] == nil else { return }
        works[pod] = Work(node: node, createdAt: createdAt, fireAt: fireAt)
    }

    /// CancelWork: removes the entry; true when a pending deletion was cancelled.
    func cancel(_ pod: String) -> Bool {
        guard let work = works.removeValue(forKey: pod) else { return false }
        return !work.fired
    }

    func markFired(_ pod: String) { works[pod]?.fired = true }

    /// Pods with an entry for `node`.
    func pods(on node: String) -> [String] { works.filter { $0.value.node == node }.map(\.key).sorted() }

    /// Pending deletions of `node`'s pods that are due at `now`, and the next later one.
    func due(on node: String, now: Double) -> (due: [String], next: Double?) {
        var due: [String] = []
        var next: Double?
        for (pod, work) in works where work.node == node && !work.fired {
            if work.fireAt <= now { due.append(pod) } else { next = min(next ?? work.fireAt, work.fireAt) }
        }
        return (due.sorted(), next)
    }

    func forget(node: String) { works = works.filter { $0.value.node != node } }
}
