/// What the scheduler knows of the cluster: nodes, the pods assigned to them (including pods it
/// assumed after choosing a node, until the informer confirms or the binding fails), and indexes
/// the plugins use. Pods being deleted keep counting until they are gone.
final class SchedulerCache {
    struct PodEntry {
        var pod: SchedulingPod
        var nodeName: String
        /// Placed by this scheduler and not yet confirmed by the informer.
        var assumed: Bool
    }

    private(set) var nodes: [String: NodeInfo] = [:]
    private(set) var podEntries: [String: PodEntry] = [:]
    /// Pods bound to nodes the scheduler has not seen (or that were deleted), by node name.
    private var podsOnUnknownNodes: [String: [String: SchedulingPod]] = [:]
    private var ordering = NodeOrdering()
    private var orderedNodes: [NodeInfo] = []
    private var orderIsStale = false
    /// How many nodes have each image (ImageLocality spreads a score by it).
    private(set) var imageNodeCounts: [String: Int] = [:]
    /// Controller uid → node name → live (not terminating) pods of that controller there.
    private(set) var controllerPlacement: [String: [String: Int]] = [:]
    private(set) var podsWithAffinityCount = 0
    private(set) var podsWithRequiredAntiAffinityCount = 0
    private var freeSlots: [Int] = []
    /// Zone label value → number (numbers are never reused; zones are few).
    private var zoneNumbers: [String: Int] = [:]
    var zoneCount: Int { zoneNumbers.count }
    /// One more than the highest slot in use: the size of arrays indexed by `NodeInfo.slot`.
    private(set) var slotCapacity = 0
    /// Namespace name → labels, for namespaceSelector in pod affinity terms.
    var namespaceLabels: [String: [String: String]] = [:]

    init() {}

    /// Nodes in examination order (zones interleaved).
    var nodeList: [NodeInfo] {
        if orderIsStale {
            orderedNodes = ordering.list().compactMap { nodes[$0] }
            orderIsStale = false
        }
        return orderedNodes
    }

    var nodeCount: Int { nodes.count }

    func nodeInfo(_ name: String) -> NodeInfo? { nodes[name] }

    // MARK: Nodes

    func setNode(_ node: SchedulingNode) {
        if let existing = nodes[node.name] {
            adjustImages(existing.node, by: -1)
            existing.setNode(node)
        } else {
            let pods = podsOnUnknownNodes.removeValue(forKey: node.name).map { Array($0.values) } ?? []
            let slot: Int
            if let free = freeSlots.popLast() {
                slot = free
            } else {
                slot = slotCapacity
                slotCapacity += 1
            }
            nodes[node.name] = NodeInfo(node: node, slot: slot, pods: pods)
        }
        adjustImages(node, by: 1)
        nodes[node.name]?.zoneNumber = node.zoneValue.map(zoneNumber(for:)) ?? -1
        if ordering.add(node.name, zone: node.zoneKey) { orderIsStale = true }
    }

    func removeNode(_ name: String) {
        guard let info = nodes.removeValue(forKey: name) else { return }
        freeSlots.append(info.slot)
        adjustImages(info.node, by: -1)
        if !info.pods.isEmpty {
            podsOnUnknownNodes[name] = Dictionary(info.pods.map { ($0.uid, $0) }, uniquingKeysWith: { _, last in last })
        }
        ordering.remove(name)
        orderIsStale = true
    }

    private func zoneNumber(for zone: String) -> Int {
        if let number = zoneNumbers[zone] { return number }
        let number = zoneNumbers.count
        zoneNumbers[zone] = number
        return number
    }

    private func adjustImages(_ node: SchedulingNode, by delta: Int) {
        for name in node.images.keys {
            let count = (imageNodeCounts[name] ?? 0) + delta
            imageNodeCounts[name] = count > 0 ? count : nil
        }
    }

    // MARK: Pods

    func entry(uid: String) -> PodEntry? { podEntries[uid] }

    func isAssumed(uid: String) -> Bool { podEntries[uid]?.assumed ?? false }

    /// Adds or replaces an assigned pod as the informer reports it (confirming an assumed one).
    func setAssignedPod(_ pod: SchedulingPod) {
        removePod(uid: pod.uid)
        place(pod, on: pod.nodeName, assumed: false)
    }

    /// Accounts `pod` on `nodeName` before the binding is confirmed.
    func assume(_ pod: SchedulingPod, on nodeName: String) {
        removePod(uid: pod.uid)
        place(pod, on: nodeName, assumed: true)
    }

    /// Drops an assumed pod whose binding failed.
    func forget(uid: String) {
        guard podEntries[uid]?.assumed == true else { return }
        removePod(uid: uid)
    }

    @discardableResult
    func removePod(uid: String) -> PodEntry? {
        guard let entry = podEntries.removeValue(forKey: uid) else { return nil }
        if let info = nodes[entry.nodeName] {
            info.remove(uid: uid)
        } else {
            podsOnUnknownNodes[entry.nodeName]?[uid] = nil
            if podsOnUnknownNodes[entry.nodeName]?.isEmpty ?? false { podsOnUnknownNodes[entry.nodeName] = nil }
        }
        account(entry.pod, on: entry.nodeName, delta: -1)
        return entry
    }

    private func place(_ pod: SchedulingPod, on nodeName: String, assumed: Bool) {
        podEntries[pod.uid] = PodEntry(pod: pod, nodeName: nodeName, assumed: assumed)
        if let info = nodes[nodeName] {
            info.add(pod)
        } else {
            podsOnUnknownNodes[nodeName, default: [:]][pod.uid] = pod
        }
        account(pod, on: nodeName, delta: 1)
    }

    private func account(_ pod: SchedulingPod, on nodeName: String, delta: Int) {
        if pod.hasPodAffinity { podsWithAffinityCount += delta }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinityCount += delta }
        if let controller = pod.controllerUID, !pod.isTerminating {
            let count = (controllerPlacement[controller]?[nodeName] ?? 0) + delta
            controllerPlacement[controller, default: [:]][nodeName] = count > 0 ? count : nil
            if controllerPlacement[controller]?.isEmpty ?? false { controllerPlacement[controller] = nil }
        }
    }
}
