import ApusControllerKit
import ApusMachinery

/// A ReplicaSet's status as its controller computes it from the pods it owns.
enum ReplicaSetStatusReport {
    static let replicaFailure = "ReplicaFailure"

    /// The new status: counts of owned active pods (all, fully labelled, ready, available after
    /// minReadySeconds) and the ReplicaFailure condition while creating or deleting pods fails.
    static func calculate(_ rs: JSON, pods: [JSON], manageError: (any Error)?, now: Double) -> JSON {
        var status = rs["status"].object.map(JSON.object) ?? .emptyObject
        let templateLabels = PodState.labels(rs["spec"]["template"])
        let minReady = DeploymentsFields.minReadySeconds(rs)
        var fullyLabeled = 0, ready = 0, available = 0
        for pod in pods {
            let labels = PodState.labels(pod)
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { fullyLabeled += 1 }
            if PodState.isReady(pod) {
                ready += 1
                if PodState.isAvailable(pod, minReadySeconds: minReady, now: now) { available += 1 }
            }
        }

        let hasFailure = condition(status, replicaFailure) != nil
        if let manageError, !hasFailure {
            let diff = pods.count - DeploymentsFields.specReplicas(rs)
            let reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : ""
            setCondition(&status, ["type": .string(replicaFailure), "status": "True", "lastTransitionTime": .string(Timestamp.rfc3339(now)),
                                   "reason": .string(reason), "message": .string(DeploymentsFields.message(manageError))])
        } else if manageError == nil, hasFailure {
            removeCondition(&status, replicaFailure)
        }

        status["replicas"] = .int(Int64(pods.count))
        setCount(&status, "fullyLabeledReplicas", fullyLabeled)
        setCount(&status, "readyReplicas", ready)
        setCount(&status, "availableReplicas", available)
        return status
    }

    /// Whether the stored status differs from `status` in what the controller owns.
    static func needsUpdate(_ rs: JSON, _ status: JSON) -> Bool {
        let current = rs["status"]
        for field in ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas"]
        where (current[field].int ?? 0) != (status[field].int ?? 0) {
            return true
        }
        return DeploymentsFields.generation(rs) != (current["observedGeneration"].int ?? 0)
            || (current["conditions"].array ?? []) != (status["conditions"].array ?? [])
    }

    static func condition(_ status: JSON, _ type: String) -> JSON? {
        (status["conditions"].array ?? []).first { $0["type"].string == type }
    }

    /// Adds or replaces a condition, unless one with the same status and reason is there already.
    static func setCondition(_ status: inout JSON, _ condition: JSON) {
        let type = condition["type"].string ?? ""
        if let current = self.condition(status, type), current["status"] == condition["status"], current["reason"] == condition["reason"] {
            return
        }
        removeCondition(&status, type)
        status["conditions"] = .array((status["conditions"].array ?? []) + [condition])
    }

    static func removeCondition(_ status: inout JSON, _ type: String) {
        let remaining = (status["conditions"].array ?? []).filter { $0["type"].string != type }
        status["conditions"] = remaining.isEmpty ? .null : .array(remaining)
    }

    /// Sets an omitempty count (absent when zero, as Kubernetes serialises it).
    private static func setCount(_ status: inout JSON, _ field: String, _ value: Int) {
        status[field] = value == 0 ? .null : .int(Int64(value))
    }
}
