import ApusMachinery

/// The mutating admission Kubernetes applies to every new pod, in its order: the service account
/// (ServiceAccount), the NoExecute tolerations for unready and unreachable nodes
/// (DefaultTolerationSeconds), and the priority from the pod's PriorityClass (Priority).
enum PodAdmission {
    static let priorityClassPrefix = "/registry/scheduling.k8s.io/priorityclasses/"

    static func admit(_ pod: inout JSON, context: WriteContext, settings: AdmissionSettings) async throws(APIError) {
        var spec = pod["spec"]
        guard case .object = spec else { return }
        defaultServiceAccount(&spec)
        addDefaultTolerations(&spec, settings: settings)
        try await resolvePriority(&spec, podName: pod["metadata"]["name"].string ?? "", context: context)
        pod["spec"] = spec
    }

    /// `default` unless named; `serviceAccount` is the deprecated mirror Kubernetes keeps in step.
    static func defaultServiceAccount(_ spec: inout JSON) {
        let name = spec["serviceAccountName"].string.flatMap { $0.isEmpty ? nil : $0 } ?? spec["serviceAccount"].string.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        spec["serviceAccountName"] = .string(name)
        spec["serviceAccount"] = .string(name)
    }

    /// Tolerate `node.kubernetes.io/not-ready` and `unreachable` NoExecute taints for the configured
    /// seconds (300 by default) unless the pod already tolerates them.
    static func addDefaultTolerations(_ spec: inout JSON, settings: AdmissionSettings) {
        var tolerations = spec["tolerations"].array ?? []
        let defaults = [("node.kubernetes.io/not-ready", settings.notReadyTolerationSeconds),
                        ("node.kubernetes.io/unreachable", settings.unreachableTolerationSeconds)]
        for (key, seconds) in defaults {
            let tolerated = tolerations.contains { toleration in
                let effect = toleration["effect"].string ?? ""
                let tolKey = toleration["key"].string ?? ""
                let exists = toleration["operator"].string == "Exists"
                return (effect.isEmpty || effect == "NoExecute") && (tolKey == key || (tolKey.isEmpty && exists))
            }
            if tolerated { continue }
            tolerations.append(["key": .string(key), "operator": "Exists", "effect": "NoExecute",
                                "tolerationSeconds": .int(seconds)])
        }
        spec["tolerations"] = .array(tolerations)
    }

    /// `spec.priority` (and `preemptionPolicy`) from the named PriorityClass, or from the global
    /// default class, or 0.
    static func resolvePriority(_ spec: inout JSON, podName: String, context: WriteContext) async throws(APIError) {
        guard let cache = context.cache else { return }
        let className = spec["priorityClassName"].string ?? ""
        var priorityClass: JSON?
        if !className.isEmpty {
            guard let found = await cache.get(priorityClassPrefix + className) else {
                throw APIError(code: 403, reason: "Forbidden",
                               message: "pods \"\(podName)\" is forbidden: no PriorityClass with name \(className) was found",
                               details: .init(name: podName, group: "", kind: "pods"))
            }
            priorityClass = found.object
        } else {
            let defaults = await cache.values(prefix: priorityClassPrefix).map(\.object).filter { $0["globalDefault"].bool == true }
            // Several global defaults: Kubernetes takes the lowest value.
            priorityClass = defaults.min { ($0["value"].int ?? 0) < ($1["value"].int ?? 0) }
            if let priorityClass { spec["priorityClassName"] = priorityClass["metadata"]["name"] }
        }
        let value = priorityClass?["value"].int ?? 0
        if let requested = spec["priority"].int, requested != value {
            throw APIError(code: 403, reason: "Forbidden",
                           message: "pods \"\(podName)\" is forbidden: the integer value of priority (\(requested)) must not be provided in pod spec; priority admission controller computed \(value) from the given PriorityClass name",
                           details: .init(name: podName, group: "", kind: "pods"))
        }
        spec["priority"] = .int(value)
        if spec["preemptionPolicy"].isNull {
            spec["preemptionPolicy"] = .string(priorityClass?["preemptionPolicy"].string ?? "PreemptLowerPriority")
        }
    }

    /// The classes kube-apiserver creates at start-up.
    static let systemPriorityClasses: [JSON] = [
        ["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": "system-node-critical"],
         "value": 2_000_001_000, "description": "Used for system critical pods that must not be moved from their current node."],
        ["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": "system-cluster-critical"],
         "value": 2_000_000_000, "description": "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."],
    ]
}
