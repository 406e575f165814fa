import ApusMachinery

/// Pod status rules the kubelet and the simulated nodes share.
public enum PodConditions {
    /// Sets a pod condition; the transition time moves only when the status changes.
    public static func set(_ conditions: inout [JSON], type: String, status: String, reason: String?, at now: Double) {
        let stamp = JSON.string(Timestamp.rfc3339(now))
        var condition: JSON = ["type": .string(type), "status": .string(status), "lastProbeTime": .null, "lastTransitionTime": stamp]
        if let reason { condition["reason"] = .string(reason) }
        if let index = conditions.firstIndex(where: { $0["type"].string == type }) {
            if conditions[index]["status"].string == status { condition["lastTransitionTime"] = conditions[index]["lastTransitionTime"] }
            conditions[index] = condition
        } else {
            conditions.append(condition)
        }
    }

    /// Kubernetes' QoS class: Guaranteed when every container's requests equal its limits for cpu
    /// and memory, BestEffort without any requests or limits, else Burstable.
    public static func qosClass(_ pod: JSON) -> String {
        let containers = (pod["spec"]["containers"].array ?? []) + (pod["spec"]["initContainers"].array ?? [])
        var any = false
        var guaranteed = true
        for container in containers {
            let requests = container["resources"]["requests"].object ?? [:]
            let limits = container["resources"]["limits"].object ?? [:]
            if !requests.isEmpty || !limits.isEmpty { any = true }
            for resource in ["cpu", "memory"] {
                guard let limit = limits[resource] else { guaranteed = false; continue }
                if let request = requests[resource], request != limit { guaranteed = false }
            }
        }
        if !any { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
