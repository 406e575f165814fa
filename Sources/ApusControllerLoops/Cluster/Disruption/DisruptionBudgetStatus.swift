import ApusMachinery

/// PodDisruptionBudget status arithmetic and its DisruptionAllowed condition.
enum DisruptionBudgetStatus {
    /// DeletionTimeout: how long a pod listed in disruptedPods may take to be seen deleted.
    static let deletionTimeout: Double = 120

    /// buildDisruptedPodMap: entries still awaiting their pod's deletion, pods overdue (for a
    /// NotDeleted event), and when to look again.
    static func disruptedPods(_ pdb: JSON, pods: [JSON], now: Double) -> (kept: JSONObject, overdue: [JSON], recheck: Double?) {
        let listed = pdb["status"]["disruptedPods"].object ?? [:]
        var kept: JSONObject = [:]
        var overdue: [JSON] = []
        var recheck: Double?
        for pod in pods where pod["metadata"]["deletionTimestamp"].isNull {
            let name = pod["metadata"]["name"].string ?? ""
            guard let entry = listed[name], let since = entry.string.flatMap(Timestamp.parse) else { continue }
            let expectedDeletion = since + deletionTimeout
            if expectedDeletion < now {
                overdue.append(pod)
            } else {
                kept[name] = entry
                recheck = min(recheck ?? expectedDeletion, expectedDeletion)
            }
        }
        return (kept, overdue, recheck)
    }

    /// countHealthyPods: ready pods that are neither being deleted nor about to be.
    static func healthyCount(_ pods: [JSON], disrupted: JSONObject, now: Double) -> Int64 {
        var healthy: Int64 = 0
        for pod in pods where pod["metadata"]["deletionTimestamp"].isNull {
            if let since = disrupted[pod["metadata"]["name"].string ?? ""]?.string.flatMap(Timestamp.parse),
               since + deletionTimeout > now { continue }
            if ClusterLoopSupport.condition("Ready", of: pod)?["status"].string == "True" { healthy += 1 }
        }
        return healthy
    }

    /// SetStatusCondition (metav1.Condition): the transition time moves only when the status changes.
    static func setCondition(_ conditions: [JSON], type: String, status: String, reason: String, message: String,
                             observedGeneration: Int64?, now: Double) -> [JSON] {
        var conditions = conditions
        var condition: JSON = ["type": .string(type), "status": .string(status), "reason": .string(reason),
                               "message": .string(message), "lastTransitionTime": ClusterLoopSupport.time(now)]
        if let observedGeneration, observedGeneration != 0 { condition["observedGeneration"] = .int(observedGeneration) }
        guard let index = ClusterLoopSupport.index(ofCondition: type, in: conditions) else {
            conditions.append(condition)
            return conditions
        }
        if conditions[index]["status"].string == status { condition["lastTransitionTime"] = conditions[index]["lastTransitionTime"] }
        conditions[index] = condition
        return conditions
    }

    /// ConditionsAreUpToDate.
    static func conditionUpToDate(_ pdb: JSON) -> Bool {
        guard let condition = ClusterLoopSupport.condition("DisruptionAllowed", of: pdb),
              pdb["status"]["observedGeneration"].int ?? 0 == pdb["metadata"]["generation"].int ?? 0 else { return false }
        if pdb["status"]["disruptionsAllowed"].int ?? 0 > 0 {
            return condition["status"].string == "True" && condition["reason"].string == "SufficientPods"
        }
        return condition["status"].string == "False" && condition["reason"].string == "InsufficientPods"
    }
}
