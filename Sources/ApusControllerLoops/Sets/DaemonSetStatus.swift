import ApusControllerKit
import ApusMachinery

/// The status a DaemonSet reports (updateDaemonSetStatus), counted per node from the oldest pod there.
struct DaemonSetStatusCounts: Equatable {
    var desiredNumberScheduled = 0
    var currentNumberScheduled = 0
    var numberMisscheduled = 0
    var numberReady = 0
    var updatedNumberScheduled = 0
    var numberAvailable = 0
    var numberUnavailable: Int { desiredNumberScheduled - numberAvailable }

    init() {}

    init(status: JSON) {
        desiredNumberScheduled = Int(status["desiredNumberScheduled"].int ?? 0)
        currentNumberScheduled = Int(status["currentNumberScheduled"].int ?? 0)
        numberMisscheduled = Int(status["numberMisscheduled"].int ?? 0)
        numberReady = Int(status["numberReady"].int ?? 0)
        updatedNumberScheduled = Int(status["updatedNumberScheduled"].int ?? 0)
        numberAvailable = Int(status["numberAvailable"].int ?? 0)
    }

    /// `status` with these counts, the omitempty ones left out at zero as Go writes them.
    func applied(to status: JSON) -> JSON {
        var status = status
        if case .object = status {} else { status = .emptyObject }
        status["desiredNumberScheduled"] = .int(Int64(desiredNumberScheduled))
        status["currentNumberScheduled"] = .int(Int64(currentNumberScheduled))
        status["numberMisscheduled"] = .int(Int64(numberMisscheduled))
        status["numberReady"] = .int(Int64(numberReady))
        status["updatedNumberScheduled"] = updatedNumberScheduled == 0 ? .null : .int(Int64(updatedNumberScheduled))
        status["numberAvailable"] = numberAvailable == 0 ? .null : .int(Int64(numberAvailable))
        status["numberUnavailable"] = numberUnavailable == 0 ? .null : .int(Int64(numberUnavailable))
        return status
    }
}

extension DaemonSetController {
    func statusCounts(_ daemonSet: JSON, nodes: [JSON], podsByNode: [String: [JSON]], hash: String) -> DaemonSetStatusCounts {
        var counts = DaemonSetStatusCounts()
        let minReady = daemonSet["spec"]["minReadySeconds"].int ?? 0
        let now = now
        for node in nodes {
            let pods = podsByNode[SetSupport.name(node)] ?? []
            guard DaemonSetNodeEligibility.evaluate(node: node, daemonSet: daemonSet).shouldRun else {
                if !pods.isEmpty { counts.numberMisscheduled += 1 }
                continue
            }
            counts.desiredNumberScheduled += 1
            guard let pod = DaemonSetPods.orderedOldestFirst(pods).first else { continue }
            counts.currentNumberScheduled += 1
            if PodState.isReady(pod) {
                counts.numberReady += 1
                if PodState.isAvailable(pod, minReadySeconds: minReady, now: now) { counts.numberAvailable += 1 }
            }
            if DaemonSetPods.isUpdated(pod, hash: hash) { counts.updatedNumberScheduled += 1 }
        }
        return counts
    }

    /// Writes the status when a count changed or the generation is newer; `observeGeneration` is false
    /// while earlier writes are still unseen, since this generation was not acted upon.
    func updateStatus(_ daemonSet: JSON, nodes: [JSON], hash: String, observeGeneration: Bool,
                      requeue: inout SetRequeue) async throws {
        let podsByNode = try await podsByNode(daemonSet)
        let counts = statusCounts(daemonSet, nodes: nodes, podsByNode: podsByNode, hash: hash)
        let generation = daemonSet["metadata"]["generation"].int ?? 0
        let observed = daemonSet["status"]["observedGeneration"].int ?? 0
        let unchanged = DaemonSetStatusCounts(status: daemonSet["status"]) == counts
            && daemonSet["status"]["numberUnavailable"].int ?? 0 == Int64(counts.numberUnavailable)
        if !(unchanged && observed >= generation) {
            var updated = daemonSet
            var status = counts.applied(to: daemonSet["status"])
            if observeGeneration { status["observedGeneration"] = generation == 0 ? .null : .int(generation) }
            updated["status"] = status
            _ = try await context.writer.updateStatus(.daemonSets, updated)
        }
        // Availability after minReadySeconds changes no object: look again then.
        let minReady = daemonSet["spec"]["minReadySeconds"].int ?? 0
        if minReady > 0 && counts.numberReady != counts.numberAvailable { requeue.after(Double(minReady)) }
    }
}
