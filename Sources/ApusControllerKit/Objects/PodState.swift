import ApusMachinery

/// How controllers read a pod's state, with Kubernetes' definitions.
public enum PodState {
    public static func phase(_ pod: JSON) -> String { pod["status"]["phase"].string ?? "Pending" }

    public static func isTerminating(_ pod: JSON) -> Bool { !pod["metadata"]["deletionTimestamp"].isNull }

    /// Not finished and not being deleted (controller.IsPodActive).
    public static func isActive(_ pod: JSON) -> Bool {
        let phase = phase(pod)
        return phase != "Succeeded" && phase != "Failed" && !isTerminating(pod)
    }

    public static func condition(_ pod: JSON, _ type: String) -> JSON? {
        (pod["status"]["conditions"].array ?? []).first { $0["type"].string == type }
    }

    /// The Ready condition is True.
    public static func isReady(_ pod: JSON) -> Bool {
        condition(pod, "Ready")?["status"].string == "True"
    }

    /// Ready for at least `minReadySeconds` at `now` (podutil.IsPodAvailable).
    public static func isAvailable(_ pod: JSON, minReadySeconds: Int64, now: Double) -> Bool {
        guard let ready = condition(pod, "Ready"), ready["status"].string == "True" else { return false }
        if minReadySeconds <= 0 { return true }
        guard let since = ready["lastTransitionTime"].string.flatMap(Timestamp.parse) else { return false }
        return since + Double(minReadySeconds) <= now
    }

    /// When the Ready condition last changed, if known (the "ready since" controllers rank by).
    public static func readySince(_ pod: JSON) -> Double? {
        condition(pod, "Ready")?["lastTransitionTime"].string.flatMap(Timestamp.parse)
    }

    /// The highest restart count among the pod's containers.
    public static func maxRestarts(_ pod: JSON) -> Int64 {
        (pod["status"]["containerStatuses"].array ?? []).compactMap { $0["restartCount"].int }.max() ?? 0
    }

    /// The node the pod is bound to, nil while unscheduled.
    public static func nodeName(_ pod: JSON) -> String? {
        guard let name = pod["spec"]["nodeName"].string, !name.isEmpty else { return nil }
        return name
    }

    /// The labels of an object as a dictionary.
    public static func labels(_ object: JSON) -> [String: String] {
        (object["metadata"]["labels"].object ?? [:]).compactMapValues(\.string)
    }
}
