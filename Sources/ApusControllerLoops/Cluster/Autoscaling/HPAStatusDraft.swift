import ApusMachinery

/// An autoscaling/v2 HPA status being rebuilt (setStatus / setCondition).
struct HPAStatusDraft {
    var currentReplicas: Int64
    var desiredReplicas: Int64
    var lastScaleTime: Double?
    var currentMetrics: [JSON]?
    var conditions: [JSON]
    /// Fields kept as they were until the status is rebuilt.
    private var original: JSON
    private var rebuilt = false
    let now: Double

    init(_ status: JSON, now: Double) {
        original = status
        self.now = now
        currentReplicas = status["currentReplicas"].int ?? 0
        desiredReplicas = status["desiredReplicas"].int ?? 0
        lastScaleTime = status["lastScaleTime"].string.flatMap(Timestamp.parse)
        currentMetrics = status["currentMetrics"].array
        conditions = status["conditions"].array ?? []
    }

    /// setConditionInList: the transition time moves only when the status changes.
    mutating func setCondition(_ type: String, _ status: String, _ reason: String, _ message: String) {
        var index = ClusterLoopSupport.index(ofCondition: type, in: conditions)
        if index == nil {
            conditions.append(["type": .string(type)])
            index = conditions.count - 1
        }
        guard let index else { return }
        if conditions[index]["status"].string != status { conditions[index]["lastTransitionTime"] = ClusterLoopSupport.time(now) }
        conditions[index]["status"] = .string(status)
        conditions[index]["reason"] = .string(reason)
        conditions[index]["message"] = .string(message)
    }

    /// setStatus: replicas and metrics replace the old status (conditions and lastScaleTime stay).
    mutating func setReplicas(current: Int64, desired: Int64, metrics: [JSON]?) {
        currentReplicas = current
        desiredReplicas = desired
        currentMetrics = metrics
        rebuilt = true
    }

    var json: JSON {
        var status = rebuilt ? JSON.emptyObject : original
        status["currentReplicas"] = currentReplicas == 0 ? .null : .int(currentReplicas)
        status["desiredReplicas"] = .int(desiredReplicas)
        status["lastScaleTime"] = lastScaleTime.map(ClusterLoopSupport.time) ?? .null
        status["currentMetrics"] = currentMetrics.map { .array($0) } ?? .null
        status["conditions"] = conditions.isEmpty ? .null : .array(conditions)
        return status
    }
}
