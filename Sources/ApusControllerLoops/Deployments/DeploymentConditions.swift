import ApusMachinery

/// Deployment status conditions (Available, Progressing, ReplicaFailure) with Kubernetes' reasons,
/// and the rules by which they are set.
public enum DeploymentConditions {
    public static let available = "Available"
    public static let progressing = "Progressing"
    public static let replicaFailure = "ReplicaFailure"

    // Progressing reasons.
    public static let replicaSetUpdated = "ReplicaSetUpdated"
    public static let failedReplicaSetCreate = "ReplicaSetCreateError"
    public static let newReplicaSetCreated = "NewReplicaSetCreated"
    public static let foundNewReplicaSet = "FoundNewReplicaSet"
    public static let newReplicaSetAvailable = "NewReplicaSetAvailable"
    public static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
    public static let paused = "DeploymentPaused"
    public static let resumed = "DeploymentResumed"
    // Available reasons.
    public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
    public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"

    static func make(_ type: String, _ status: String, reason: String, message: String, now: Double) -> JSON {
        let time = JSON.string(Timestamp.rfc3339(now))
        return ["type": .string(type), "status": .string(status), "lastUpdateTime": time, "lastTransitionTime": time,
                "reason": .string(reason), "message": .string(message)]
    }

    static func get(_ status: JSON, _ type: String) -> JSON? {
        (status["conditions"].array ?? []).first { $0["type"].string == type }
    }

    /// Adds or replaces the condition of its type, unless the current one has the same status and
    /// reason; an unchanged status keeps its lastTransitionTime. The condition goes last.
    static func set(_ status: inout JSON, _ condition: JSON) {
        var condition = condition
        let type = condition["type"].string ?? ""
        if let current = get(status, type) {
            if current["status"] == condition["status"], current["reason"] == condition["reason"] { return }
            if current["status"] == condition["status"] { condition["lastTransitionTime"] = current["lastTransitionTime"] }
        }
        remove(&status, type)
        status["conditions"] = .array((status["conditions"].array ?? []) + [condition])
    }

    static func remove(_ status: inout JSON, _ type: String) {
        let remaining = (status["conditions"].array ?? []).filter { $0["type"].string != type }
        status["conditions"] = remaining.isEmpty ? .null : .array(remaining)
    }

    /// A ReplicaSet's ReplicaFailure condition as the Deployment shows it.
    static func fromReplicaSet(_ condition: JSON) -> JSON {
        let members: JSONObject = [
            "type": condition["type"], "status": condition["status"], "lastTransitionTime": condition["lastTransitionTime"],
            "lastUpdateTime": condition["lastTransitionTime"], "reason": condition["reason"], "message": condition["message"],
        ]
        return .object(members.filter { !$0.value.isNull })
    }
}
