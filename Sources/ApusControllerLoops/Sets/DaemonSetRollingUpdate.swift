import ApusControllerKit
import ApusMachinery

/// The RollingUpdate strategy (daemon/update.go rollingUpdate). Without surge, old pods are deleted
/// while fewer than maxUnavailable nodes are unavailable, and manage recreates them at the new
/// revision. With maxSurge, a new pod is started next to an old one (at most maxSurge at a time,
/// at once where the old one is unavailable), and the old pod goes when the new one is available.
extension DaemonSetController {
    func rollingUpdate(_ daemonSet: JSON, nodes: [JSON], hash: String) async throws {
        var podsByNode = try await podsByNode(daemonSet)
        let counts = try desiredNodeCounts(daemonSet, nodes: nodes, podsByNode: &podsByNode)
        let minReady = daemonSet["spec"]["minReadySeconds"].int ?? 0
        let now = now
        func available(_ pod: JSON) -> Bool { PodState.isAvailable(pod, minReadySeconds: minReady, now: now) }
        // Kubernetes walks a map; a fixed order keeps the choice of candidates reproducible.
        let byNode = podsByNode.sorted { $0.key < $1.key }

        if counts.maxSurge == 0 {
            var unavailable = 0
            var replacements: [String] = []
            var candidates: [String] = []
            for (_, pods) in byNode {
                // More than one old or new pod: manage prunes them first; count the node as unavailable.
                guard let (newPod, oldPod) = Self.updatedPodsOnNode(pods, hash: hash) else { unavailable += 1; continue }
                switch (newPod, oldPod) {
                case (nil, nil), (.some, .some):
                    unavailable += 1
                case (let newPod?, nil):
                    if !available(newPod) { unavailable += 1 }
                case (nil, let oldPod?):
                    if !available(oldPod) {
                        replacements.append(SetSupport.name(oldPod))
                        unavailable += 1
                    } else if unavailable < counts.maxUnavailable {
                        candidates.append(SetSupport.name(oldPod))
                    }
                }
            }
            let allowed = max(0, min(counts.maxUnavailable - unavailable, candidates.count))
            try await syncNodes(daemonSet, podsToDelete: replacements + candidates.prefix(allowed), nodesNeedingPods: [], hash: hash)
            return
        }

        let nodesByName = Dictionary(nodes.map { (SetSupport.name($0), $0) }, uniquingKeysWith: { first, _ in first })
        func shouldRun(_ nodeName: String) throws -> Bool {
            guard let node = nodesByName[nodeName] else { throw SetSyncError("couldn't get node for nodeName \"\(nodeName)\"") }
            return DaemonSetNodeEligibility.evaluate(node: node, daemonSet: daemonSet).shouldRun
        }
        var oldPodsToDelete: [String] = []
        var leavingPods: [String] = []
        var candidateNodes: [String] = []
        var allowedNodes: [String] = []
        var surging = 0
        var availableCount = 0
        for (nodeName, pods) in byNode {
            guard let (newPod, oldPod) = Self.updatedPodsOnNode(pods, hash: hash) else { surging += 1; continue }
            if let pod = oldPod ?? newPod, available(pod) { availableCount += 1 }
            switch (newPod, oldPod) {
            case (_, nil):
                break
            case (nil, let oldPod?):
                if !available(oldPod) {
                    if try shouldRun(nodeName) {
                        allowedNodes.append(nodeName)
                    } else {
                        oldPodsToDelete.append(SetSupport.name(oldPod))
                    }
                } else if try !shouldRun(nodeName) {
                    leavingPods.append(SetSupport.name(oldPod))
                } else if surging < counts.maxSurge {
                    candidateNodes.append(nodeName)
                }
            case (let newPod?, let oldPod?):
                if available(newPod) {
                    oldPodsToDelete.append(SetSupport.name(oldPod))
                } else {
                    surging += 1
                }
            }
        }
        // Pods on nodes the set no longer selects go only while enough others are available.
        let deletable = min(availableCount - counts.desired, leavingPods.count)
        if deletable > 0 {
            let existing = Set(podsByNode.values.joined().map(SetSupport.name))
            oldPodsToDelete += leavingPods.prefix(deletable).filter(existing.contains)
        }
        let allowedSurge = max(0, min(counts.maxSurge - surging, candidateNodes.count))
        try await syncNodes(daemonSet, podsToDelete: oldPodsToDelete,
                            nodesNeedingPods: allowedNodes + candidateNodes.prefix(allowedSurge), hash: hash)
    }

    /// The non-terminating new and old pod on a node; nil when there are several of either.
    static func updatedPodsOnNode(_ pods: [JSON], hash: String) -> (new: JSON?, old: JSON?)? {
        var newPod: JSON?
        var oldPod: JSON?
        for pod in pods where !SetSupport.isTerminating(pod) {
            if DaemonSetPods.isUpdated(pod, hash: hash) {
                if newPod != nil { return nil }
                newPod = pod
            } else {
                if oldPod != nil { return nil }
                oldPod = pod
            }
        }
        return (newPod, oldPod)
    }

    /// maxSurge and maxUnavailable for the number of nodes that should run the pod; every such node
    /// gets an entry in `podsByNode` (updatedDesiredNodeCounts).
    func desiredNodeCounts(_ daemonSet: JSON, nodes: [JSON], podsByNode: inout [String: [JSON]]) throws
        -> (maxSurge: Int, maxUnavailable: Int, desired: Int) {
        var desired = 0
        for node in nodes where DaemonSetNodeEligibility.evaluate(node: node, daemonSet: daemonSet).shouldRun {
            desired += 1
            if podsByNode[SetSupport.name(node)] == nil { podsByNode[SetSupport.name(node)] = [] }
        }
        guard var maxUnavailable = Self.unavailableCount(daemonSet, total: desired) else {
            throw SetSyncError("invalid value for MaxUnavailable")
        }
        guard let maxSurge = Self.surgeCount(daemonSet, total: desired) else {
            throw SetSyncError("invalid value for MaxSurge")
        }
        // Neither surge nor unavailability configured: accept one unavailable node, as Kubernetes does.
        if desired > 0 && maxUnavailable == 0 && maxSurge == 0 { maxUnavailable = 1 }
        return (maxSurge, maxUnavailable, desired)
    }
}
