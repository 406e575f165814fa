import ApusControllerKit
import ApusControllerTesting
import ApusMachinery

/// A fake cluster with a manual clock and recorded events, for the cluster-level loops' tests.
struct ClusterHarness {
    let cluster = FakeCluster()
    let clock = ManualClock()
    let events = RecordedEvents()

    var context: ControllerContext { cluster.context(clock: clock, events: events) }
    var now: Double { clock.now() }

    func reasons() async -> [String] { await events.events.map(\.reason) }

    func calls(_ verb: String, _ resource: Resource) async -> [FakeCluster.Call] {
        await cluster.calls.filter { $0.verb == verb && $0.resource == resource }
    }
}

/// Objects as the API server would hold them.
enum ClusterFixtures {
    static func time(_ seconds: Double) -> JSON { .string(Timestamp.rfc3339(seconds)) }

    static func node(_ name: String, ready: String = "True", heartbeat: Double, labels: [String: String] = [:],
                     taints: [JSON] = [], unschedulable: Bool = false) -> JSON {
        var conditions: [JSON] = []
        for (type, status) in [("MemoryPressure", "False"), ("DiskPressure", "False"), ("PIDPressure", "False"), ("Ready", ready)] {
            conditions.append(["type": .string(type), "status": .string(status), "reason": "KubeletReady", "message": "kubelet is posting ready status",
                               "lastHeartbeatTime": time(heartbeat), "lastTransitionTime": time(heartbeat - 1000)])
        }
        var node: JSON = ["apiVersion": "v1", "kind": "Node",
                          "metadata": ["name": .string(name), "creationTimestamp": time(heartbeat - 1000),
                                       "labels": .object(JSONObject(labels.mapValues { .string($0) }))],
                          "spec": [:], "status": ["conditions": .array(conditions)]]
        if !taints.isEmpty { node[path: ["spec", "taints"]] = .array(taints) }
        if unschedulable { node[path: ["spec", "unschedulable"]] = true }
        return node
    }

    static func lease(_ node: String, renewed: Double) -> JSON {
        ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
         "metadata": ["name": .string(node), "namespace": "kube-node-lease"],
         "spec": ["holderIdentity": .string(node), "leaseDurationSeconds": 40, "renewTime": .string(Timestamp.rfc3339Micro(renewed))]]
    }

    static func pod(_ name: String, namespace: String = "default", node: String? = nil, labels: [String: String] = [:],
                    ready: Bool = true, ip: String? = "10.0.0.1", tolerations: [JSON] = [], owner: JSON? = nil,
                    phase: String = "Running", at: Double = 1_767_225_000) -> JSON {
        var pod: JSON = ["apiVersion": "v1", "kind": "Pod",
                         "metadata": ["name": .string(name), "namespace": .string(namespace), "uid": .string("uid-\(name)"),
                                      "labels": .object(JSONObject(labels.mapValues { .string($0) }))],
                         "spec": ["containers": [["name": "app", "image": "nginx"]]],
                         "status": ["phase": .string(phase),
                                    "conditions": [["type": "Ready", "status": ready ? "True" : "False", "lastTransitionTime": time(at)]]]]
        if let node { pod[path: ["spec", "nodeName"]] = .string(node) }
        if let ip {
            pod[path: ["status", "podIP"]] = .string(ip)
            pod[path: ["status", "podIPs"]] = [["ip": .string(ip)]]
        }
        if !tolerations.isEmpty { pod[path: ["spec", "tolerations"]] = .array(tolerations) }
        if let owner { pod[path: ["metadata", "ownerReferences"]] = [owner] }
        return pod
    }

    static func taint(_ key: String, _ effect: String) -> JSON { ["key": .string(key), "effect": .string(effect)] }

    static func toleration(_ key: String, seconds: Int64? = nil) -> JSON {
        var toleration: JSON = ["key": .string(key), "operator": "Exists", "effect": "NoExecute"]
        if let seconds { toleration["tolerationSeconds"] = .int(seconds) }
        return toleration
    }

    static func service(_ name: String, namespace: String = "default", selector: [String: String]?, ports: [JSON] = [["name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"]],
                        clusterIP: String = "10.96.0.10", labels: [String: String] = [:], created: Double = 1_767_225_000) -> JSON {
        var service: JSON = ["apiVersion": "v1", "kind": "Service",
                             "metadata": ["name": .string(name), "namespace": .string(namespace), "uid": .string("uid-svc-\(name)"),
                                          "creationTimestamp": time(created)],
                             "spec": ["clusterIP": .string(clusterIP), "ports": .array(ports), "type": "ClusterIP"]]
        if let selector { service[path: ["spec", "selector"]] = .object(JSONObject(selector.mapValues { .string($0) })) }
        if !labels.isEmpty { service[path: ["metadata", "labels"]] = .object(JSONObject(labels.mapValues { .string($0) })) }
        if clusterIP != "None" { service[path: ["spec", "ipFamilies"]] = ["IPv4"] }
        return service
    }

    static func condition(_ object: JSON, _ type: String) -> JSON? {
        (object["status"]["conditions"].array ?? []).first { $0["type"].string == type }
    }
}
