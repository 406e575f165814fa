import ApusMachinery

/// The Job conditions the controller writes. Since 1.31 a finishing Job first gets an interim
/// condition (SuccessCriteriaMet or FailureTarget); Complete or Failed follows, with the same reason
/// and message, once no pod of the Job is terminating any more.
struct BatchJobCondition: Sendable, Equatable {
    var type: String
    var status: String = "True"
    var reason: String
    var message: String
    var time: Double

    static let completionsReachedReason = "CompletionsReached"
    static let completionsReachedMessage = "Reached expected number of succeeded pods"
    static let backoffLimitExceeded = (reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit")
    static let deadlineExceeded = (reason: "DeadlineExceeded", message: "Job was active longer than specified deadline")

    var json: JSON {
        var condition: JSON = ["type": .string(type), "status": .string(status),
                               "lastProbeTime": .string(Timestamp.rfc3339(time)),
                               "lastTransitionTime": .string(Timestamp.rfc3339(time))]
        if !reason.isEmpty { condition["reason"] = .string(reason) }
        if !message.isEmpty { condition["message"] = .string(message) }
        return condition
    }

    init(type: String, status: String = "True", reason: String, message: String, time: Double) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.time = time
    }

    init(_ json: JSON, fallbackTime: Double) {
        self.init(type: json["type"].string ?? "", status: json["status"].string ?? "", reason: json["reason"].string ?? "",
                  message: json["message"].string ?? "",
                  time: json["lastTransitionTime"].string.flatMap(Timestamp.parse) ?? fallbackTime)
    }

    static func failureTarget(_ cause: (reason: String, message: String), at time: Double) -> BatchJobCondition {
        BatchJobCondition(type: "FailureTarget", reason: cause.reason, message: cause.message, time: time)
    }

    static func successCriteriaMet(at time: Double) -> BatchJobCondition {
        BatchJobCondition(type: "SuccessCriteriaMet", reason: completionsReachedReason, message: completionsReachedMessage, time: time)
    }

    var isSuccessCriteriaMet: Bool { type == "SuccessCriteriaMet" && status == "True" }

    /// The terminal condition that follows an interim one.
    var terminal: BatchJobCondition {
        switch type {
        case "FailureTarget": BatchJobCondition(type: "Failed", reason: reason, message: message, time: time)
        case "SuccessCriteriaMet": BatchJobCondition(type: "Complete", reason: reason, message: message, time: time)
        default: self
        }
    }

    /// Sets the condition of `type` in a Job's status to `status`/`reason`/`message`: an existing one is
    /// replaced only if something differs; a missing one is added unless it would be False.
    /// Returns whether the conditions changed.
    @discardableResult
    static func ensure(_ conditions: inout [JSON], type: String, status: String, reason: String, message: String,
                       now: Double) -> Bool {
        let replacement = BatchJobCondition(type: type, status: status, reason: reason, message: message, time: now).json
        if let index = conditions.firstIndex(where: { $0["type"].string == type }) {
            let existing = conditions[index]
            if existing["status"].string != status || (existing["reason"].string ?? "") != reason
                || (existing["message"].string ?? "") != message {
                conditions[index] = replacement
                return true
            }
            return false
        }
        guard status != "False" else { return false }
        conditions.append(replacement)
        return true
    }
}
