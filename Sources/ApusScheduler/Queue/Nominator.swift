/// Pods nominated to a node (by preemption, or `status.nominatedNodeName`): filters treat them as
/// already running there when checking pods of lower or equal priority.
struct Nominator {
    private(set) var nodeOf: [String: String] = [:]
    private var podsOn: [String: [SchedulingPod]] = [:]

    var isEmpty: Bool { nodeOf.isEmpty }

    func node(of uid: String) -> String? { nodeOf[uid] }

    func pods(on node: String) -> [SchedulingPod] { podsOn[node] ?? [] }

    mutating func set(_ pod: SchedulingPod, node: String) {
        remove(uid: pod.uid)
        guard !node.isEmpty else { return }
        nodeOf[pod.uid] = node
        podsOn[node, default: []].append(pod)
    }

    mutating func remove(uid: String) {
        guard let node = nodeOf.removeValue(forKey: uid) else { return }
        podsOn[node]?.removeAll { $0.uid == uid }
        if podsOn[node]?.isEmpty ?? false { podsOn[node] = nil }
    }

    /// Follows an informer update of an unscheduled pod: its status decides, except that an
    /// update without a nominated node keeps one this scheduler set and the API has not shown yet.
    mutating func update(old: SchedulingPod?, new: SchedulingPod) {
        if !new.nominatedNodeName.isEmpty {
            set(new, node: new.nominatedNodeName)
        } else if let node = nodeOf[new.uid], (old?.nominatedNodeName ?? "").isEmpty {
            set(new, node: node)
        } else {
            remove(uid: new.uid)
        }
    }
}
