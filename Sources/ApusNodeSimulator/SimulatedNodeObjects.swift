import ApusControllerKit
import ApusMachinery

/// The Node and Lease objects a simulated kubelet registers and renews.
enum SimulatedNodeObjects {
    /// The node as a kubelet registers it: capacity, addresses, labels, Ready conditions.
    static func node(name: String, index: Int, settings: SimulationSettings, now: Double) -> JSON {
        var labels: JSONObject = [
            "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64", "type": "simulated",
        ]
        for (key, value) in settings.labels { labels[key] = .string(value) }
        let cidr = podCIDR(index: index)
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": .object(labels),
                         "annotations": [.init(stringLiteral: SimulationAnnotations.simulated): "true", "node.alpha.kubernetes.io/ttl": "0"]],
            "spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]],
            "status": status(name: name, index: index, settings: settings, now: now, previous: nil),
        ]
    }

    /// The node's status with fresh heartbeats; transition times stay unless a condition changes.
    static func status(name: String, index: Int, settings: SimulationSettings, now: Double, previous: JSON?) -> JSON {
        let resources: JSON = ["cpu": .string(settings.cpu), "memory": .string(settings.memory),
                               "pods": .string(String(settings.pods)), "ephemeral-storage": .string(settings.ephemeralStorage)]
        let stamp = JSON.string(Timestamp.rfc3339(now))
        let wanted: [(String, String, String, String)] = [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
        let conditions: [JSON] = wanted.map { type, status, reason, message in
            let old = (previous?["conditions"].array ?? []).first { $0["type"].string == type }
            let since = old?["status"].string == status ? old?["lastTransitionTime"] ?? stamp : stamp
            return ["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                    "lastHeartbeatTime": stamp, "lastTransitionTime": since]
        }
        return [
            "capacity": resources, "allocatable": resources, "conditions": .array(conditions),
            "addresses": [["type": "InternalIP", "address": .string(address(index: index))], ["type": "Hostname", "address": .string(name)]],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
            "nodeInfo": ["machineID": .string(name), "systemUUID": .string(name), "bootID": .string(name),
                         "kernelVersion": "simulated", "osImage": "Apus simulated node", "containerRuntimeVersion": "simulated://1.0",
                         "kubeletVersion": "v1.32.0-apus", "kubeProxyVersion": "", "operatingSystem": "linux", "architecture": "amd64"],
        ]
    }

    /// Whether the posted status is due for a refresh: a condition is not as a healthy kubelet
    /// reports it, or the last heartbeat is older than the report interval.
    static func statusIsStale(_ node: JSON, settings: SimulationSettings, now: Double) -> Bool {
        let conditions = node["status"]["conditions"].array ?? []
        guard let ready = conditions.first(where: { $0["type"].string == "Ready" }), ready["status"].string == "True" else { return true }
        for type in ["MemoryPressure", "DiskPressure", "PIDPressure"] {
            if conditions.first(where: { $0["type"].string == type })?["status"].string != "False" { return true }
        }
        guard let heartbeat = ready["lastHeartbeatTime"].string.flatMap(Timestamp.parse) else { return true }
        return now - heartbeat >= settings.statusReportSeconds
    }

    /// Node `index` (from 0) gets pod CIDR 10.42.<index>.0/24 (the cluster CIDR is 10.42.0.0/16).
    static func podCIDR(index: Int) -> String { "10.42.\(index % 256).0/24" }

    /// A loopback address per node: simulated nodes are never reached over the network, and any
    /// stray connection stays on this machine.
    static func address(index: Int) -> String { "127.1.\(index / 250).\(index % 250 + 1)" }
}
