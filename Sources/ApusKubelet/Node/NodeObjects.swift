import ApusControllerKit
import ApusMachinery

/// The Node a kubelet registers and the status and Lease it keeps current.
enum NodeObjects {
    static let kubeletVersion = "v1.32.0-apus"
    /// The kubelet's default `--max-pods`.
    static let maxPods = 110
    /// The kubelet's default hard eviction thresholds, which allocatable leaves aside.
    static let evictionMemoryBytes: Int64 = 100 << 20
    static let evictionStorageFraction = 0.10

    static func node(_ settings: NodeSettings, facts: HostFacts, runtime: RuntimeHealth, now: Double) -> JSON {
        var labels: JSONObject = [
            "kubernetes.io/hostname": .string(settings.name), "kubernetes.io/os": "linux", "kubernetes.io/arch": .string(facts.architecture),
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": .string(facts.architecture),
        ]
        if settings.controlPlane {
            labels["node-role.kubernetes.io/control-plane"] = "true"
        }
        for (key, value) in settings.labels { labels[key] = .string(value) }
        var node: JSON = [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(settings.name), "labels": .object(labels),
                         "annotations": ["node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"]],
            "spec": [:],
            "status": status(settings, facts: facts, runtime: runtime, now: now, previous: nil),
        ]
        if !settings.taints.isEmpty { node["spec"]["taints"] = .array(settings.taints) }
        return node
    }

    static func capacity(_ facts: HostFacts) -> JSON {
        ["cpu": .string(String(facts.cpus)), "memory": .string("\(facts.memoryBytes / 1024)Ki"),
         "ephemeral-storage": .string("\(facts.ephemeralStorageBytes / 1024)Ki"), "pods": .string(String(maxPods))]
    }

    static func allocatable(_ facts: HostFacts) -> JSON {
        let memory = max(0, facts.memoryBytes - evictionMemoryBytes)
        let storage = Int64(Double(facts.ephemeralStorageBytes) * (1 - evictionStorageFraction))
        return ["cpu": .string(String(facts.cpus)), "memory": .string("\(memory / 1024)Ki"),
                "ephemeral-storage": .string(String(storage)), "pods": .string(String(maxPods))]
    }

    /// The node's status with fresh heartbeats; a condition's transition time moves only when it changes.
    static func status(_ settings: NodeSettings, facts: HostFacts, runtime: RuntimeHealth, now: Double, previous: JSON?) -> JSON {
        let stamp = JSON.string(Timestamp.rfc3339(now))
        let ready: (String, String, String) = runtime.problem.map { ("False", "KubeletNotReady", $0) }
            ?? ("True", "KubeletReady", "kubelet is posting ready status")
        let wanted: [(String, String, String, String)] = [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", ready.0, ready.1, ready.2),
        ]
        let conditions: [JSON] = wanted.map { type, status, reason, message in
            let old = (previous?["conditions"].array ?? []).first { $0["type"].string == type }
            let since = old?["status"].string == status ? old?["lastTransitionTime"] ?? stamp : stamp
            return ["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                    "lastHeartbeatTime": stamp, "lastTransitionTime": since]
        }
        var status: JSON = [
            "capacity": capacity(facts), "allocatable": allocatable(facts), "conditions": .array(conditions),
            "addresses": [["type": "InternalIP", "address": .string(facts.internalIP)], ["type": "Hostname", "address": .string(settings.name)]],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": .int(Int64(settings.kubeletPort))]],
            "nodeInfo": ["machineID": .string(facts.machineID), "systemUUID": .string(facts.machineID), "bootID": .string(facts.bootID),
                         "kernelVersion": .string(facts.kernelVersion), "osImage": .string(facts.osImage),
                         "containerRuntimeVersion": .string(runtime.version), "kubeletVersion": .string(kubeletVersion),
                         "kubeProxyVersion": "", "operatingSystem": "linux", "architecture": .string(facts.architecture)],
        ]
        if let images = previous?["images"], !images.isNull { status["images"] = images }
        return status
    }

    /// Whether the posted status must be refreshed: it differs from what the kubelet would post now
    /// (other than heartbeats), or its heartbeat is older than the report interval.
    static func statusIsStale(_ node: JSON, wanted: JSON, reportSeconds: Double, now: Double) -> Bool {
        func withoutHeartbeats(_ status: JSON) -> JSON {
            var copy = status
            copy["conditions"] = .array((status["conditions"].array ?? []).map { condition in
                var c = condition
                c["lastHeartbeatTime"] = .null
                return c
            })
            return copy
        }
        if withoutHeartbeats(node["status"]) != withoutHeartbeats(wanted) { return true }
        let ready = (node["status"]["conditions"].array ?? []).first { $0["type"].string == "Ready" }
        guard let heartbeat = ready?["lastHeartbeatTime"].string.flatMap(Timestamp.parse) else { return true }
        return now - heartbeat >= reportSeconds
    }
}

/// What the runtime says about itself, for the node's Ready condition and nodeInfo.
struct RuntimeHealth: Sendable, Equatable {
    /// `containerd://1.6.20`.
    var version: String
    /// Why the node is not ready (runtime or network not ready), nil when it is.
    var problem: String?
}
