import ApusControllerKit
import ApusMachinery

/// apps/v1 StatefulSetStatus as the controller computes it.
struct StatefulSetStatusValues: Equatable {
    var observedGeneration: Int64 = 0
    var replicas = 0
    var readyReplicas = 0
    var currentReplicas = 0
    var updatedReplicas = 0
    var availableReplicas = 0
    var currentRevision = ""
    var updateRevision = ""
    var collisionCount: Int64 = 0

    init(observedGeneration: Int64, currentRevision: String, updateRevision: String, collisionCount: Int64) {
        self.observedGeneration = observedGeneration
        self.currentRevision = currentRevision
        self.updateRevision = updateRevision
        self.collisionCount = collisionCount
    }

    /// Recounts the replica fields over `pods` (computeReplicaStatus): pods known to the API server,
    /// running and ready ones, available ones, and those at the current and update revisions.
    mutating func count(_ pods: [JSON], minReadySeconds: Int64, now: Double) {
        replicas = 0
        readyReplicas = 0
        availableReplicas = 0
        currentReplicas = 0
        updatedReplicas = 0
        for pod in pods {
            let created = StatefulSetPods.isCreated(pod)
            if created { replicas += 1 }
            if StatefulSetPods.isRunningAndReady(pod) {
                readyReplicas += 1
                if StatefulSetPods.isRunningAndAvailable(pod, minReadySeconds: minReadySeconds, now: now) { availableReplicas += 1 }
            }
            if created && !SetSupport.isTerminating(pod) {
                let revision = StatefulSetPods.revision(of: pod)
                if revision == currentRevision { currentReplicas += 1 }
                if revision == updateRevision { updatedReplicas += 1 }
            }
        }
    }

    /// Once every replica is updated and ready, the update revision becomes current (completeRollingUpdate).
    mutating func completeRollingUpdate(_ set: JSON) {
        let wanted = StatefulSetPods.replicas(set)
        guard StatefulSetUpdateStrategy.type(set) == "RollingUpdate", updatedReplicas == wanted,
              readyReplicas == wanted, replicas == wanted else { return }
        currentReplicas = updatedReplicas
        currentRevision = updateRevision
    }

    /// Differs from what the set reports (inconsistentStatus).
    func differs(from set: JSON) -> Bool {
        let status = set["status"]
        func int(_ key: String) -> Int { Int(status[key].int ?? 0) }
        return observedGeneration > status["observedGeneration"].int ?? 0
            || replicas != int("replicas") || currentReplicas != int("currentReplicas")
            || readyReplicas != int("readyReplicas") || updatedReplicas != int("updatedReplicas")
            || currentRevision != status["currentRevision"].string ?? "" || availableReplicas != int("availableReplicas")
            || updateRevision != status["updateRevision"].string ?? ""
    }

    /// The status object, omitting what Go's encoder omits when empty; the controller replaces the whole status.
    var json: JSON {
        var status: JSON = [
            "replicas": .int(Int64(replicas)),
            "availableReplicas": .int(Int64(availableReplicas)),
            "collisionCount": .int(collisionCount),
        ]
        if observedGeneration != 0 { status["observedGeneration"] = .int(observedGeneration) }
        if readyReplicas != 0 { status["readyReplicas"] = .int(Int64(readyReplicas)) }
        if currentReplicas != 0 { status["currentReplicas"] = .int(Int64(currentReplicas)) }
        if updatedReplicas != 0 { status["updatedReplicas"] = .int(Int64(updatedReplicas)) }
        if !currentRevision.isEmpty { status["currentRevision"] = .string(currentRevision) }
        if !updateRevision.isEmpty { status["updateRevision"] = .string(updateRevision) }
        return status
    }
}

/// The update strategy fields, with Kubernetes' defaults.
enum StatefulSetUpdateStrategy {
    static func type(_ set: JSON) -> String { set["spec"]["updateStrategy"]["type"].string ?? "RollingUpdate" }

    /// Pods below this index keep the current revision; nil without a rollingUpdate block.
    static func partition(_ set: JSON) -> Int? {
        let rolling = set["spec"]["updateStrategy"]["rollingUpdate"]
        guard case .object = rolling else { return nil }
        return Int(rolling["partition"].int ?? 0)
    }

    /// maxUnavailable of `replicas`, rounded down but at least 1 (getStatefulSetMaxUnavailable).
    static func maxUnavailable(_ set: JSON, replicas: Int) -> Int? {
        var value = set["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"]
        if value.isNull { value = 1 }
        guard let count = SetSupport.scaledValue(value, total: replicas, roundUp: false) else { return nil }
        return max(count, 1)
    }
}

extension StatefulSetController {
    /// Completes a finished rolling update and writes the status if it changed.
    func writeStatus(_ set: JSON, _ status: inout StatefulSetStatusValues) async throws {
        status.completeRollingUpdate(set)
        guard status.differs(from: set) else { return }
        var updated = set
        updated["status"] = status.json
        _ = try await context.writer.updateStatus(.statefulSets, updated)
    }
}
