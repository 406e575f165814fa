import ApusControllerKit
import ApusMachinery

/// The identity of a StatefulSet's pods (stateful_set_utils.go): pod `<set>-<ordinal>` with hostname
/// and subdomain for the governing service, its PersistentVolumeClaims `<claim>-<set>-<ordinal>`, and the
/// revision label.
enum StatefulSetPods {
    static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    static let podIndexLabel = "apps.kubernetes.io/pod-index"

    // MARK: Names and ordinals

    /// The parent set's name and the ordinal of `<parent>-<digits>`; ordinal -1 when the name has none.
    static func parentAndOrdinal(_ podName: String) -> (parent: String, ordinal: Int) {
        let digits = podName.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, podName.dropLast(digits.count).hasSuffix("-") else { return ("", -1) }
        let parent = String(podName.dropLast(digits.count + 1))
        guard let ordinal = Int32(String(digits.reversed())) else { return (parent, -1) }
        return (parent, Int(ordinal))
    }

    static func ordinal(_ pod: JSON) -> Int { parentAndOrdinal(SetSupport.name(pod)).ordinal }

    static func isMember(_ pod: JSON, of set: JSON) -> Bool {
        parentAndOrdinal(SetSupport.name(pod)).parent == SetSupport.name(set)
    }

    /// `spec.replicas`, 1 when unset.
    static func replicas(_ set: JSON) -> Int { Int(set["spec"]["replicas"].int ?? 1) }

    /// `spec.ordinals.start`, 0 when unset.
    static func startOrdinal(_ set: JSON) -> Int { Int(set["spec"]["ordinals"]["start"].int ?? 0) }

    static func endOrdinal(_ set: JSON) -> Int { startOrdinal(set) + replicas(set) - 1 }

    static func inOrdinalRange(_ pod: JSON, of set: JSON) -> Bool {
        let ordinal = ordinal(pod)
        return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set)
    }

    static func podName(_ set: JSON, ordinal: Int) -> String { "\(SetSupport.name(set))-\(ordinal)" }

    static func claimName(_ claimTemplate: JSON, set: JSON, ordinal: Int) -> String {
        "\(SetSupport.name(claimTemplate))-\(SetSupport.name(set))-\(ordinal)"
    }

    static func claimTemplates(_ set: JSON) -> [JSON] { set["spec"]["volumeClaimTemplates"].array ?? [] }

    // MARK: Identity and storage

    /// Name, namespace and pod-name label are the set's (identityMatches).
    static func identityMatches(_ set: JSON, _ pod: JSON) -> Bool {
        let (parent, ordinal) = parentAndOrdinal(SetSupport.name(pod))
        return ordinal >= 0 && parent == SetSupport.name(set) && SetSupport.name(pod) == podName(set, ordinal: ordinal)
            && SetSupport.namespace(pod) == SetSupport.namespace(set) && PodState.labels(pod)[podNameLabel] == SetSupport.name(pod)
    }

    /// Every claim template has its volume, on this pod's claim (storageMatches).
    static func storageMatches(_ set: JSON, _ pod: JSON) -> Bool {
        let ordinal = ordinal(pod)
        guard ordinal >= 0 else { return false }
        let volumes = pod["spec"]["volumes"].array ?? []
        return claimTemplates(set).allSatisfy { template in
            volumes.contains {
                $0["name"] == template["metadata"]["name"]
                    && $0["persistentVolumeClaim"]["claimName"].string == claimName(template, set: set, ordinal: ordinal)
            }
        }
    }

    /// The claims of the pod with `ordinal`, by template name, in template order: the template with
    /// the pod's claim name, and the set's selector labels added (getPersistentVolumeClaims).
    static func claims(_ set: JSON, ordinal: Int) -> [(template: String, claim: JSON)] {
        let selectorLabels = set["spec"]["selector"]["matchLabels"].object ?? [:]
        return claimTemplates(set).map { template in
            var claim = template
            claim["apiVersion"] = "v1"
            claim["kind"] = "PersistentVolumeClaim"
            claim[path: ["metadata", "name"]] = .string(claimName(template, set: set, ordinal: ordinal))
            claim[path: ["metadata", "namespace"]] = .string(SetSupport.namespace(set))
            var labels = template["metadata"]["labels"].object ?? [:]
            for (key, value) in selectorLabels { labels[key] = value }
            claim[path: ["metadata", "labels"]] = labels.isEmpty ? .null : .object(labels)
            claim["status"] = .null
            return (SetSupport.name(template), claim)
        }
    }

    /// The pod with a volume per claim template on its own claim, other volumes kept (updateStorage).
    static func updatingStorage(_ set: JSON, _ pod: JSON) -> JSON {
        let claims = claims(set, ordinal: ordinal(pod))
        let names = Set(claims.map(\.template))
        var volumes: [JSON] = claims.map { entry in
            ["name": .string(entry.template), "persistentVolumeClaim": ["claimName": entry.claim["metadata"]["name"]]]
        }
        volumes += (pod["spec"]["volumes"].array ?? []).filter { !names.contains($0["name"].string ?? "") }
        var pod = pod
        pod[path: ["spec", "volumes"]] = volumes.isEmpty ? .null : .array(volumes)
        return pod
    }

    /// The pod renamed for its ordinal, with the pod-name and pod-index labels (updateIdentity).
    static func updatingIdentity(_ set: JSON, _ pod: JSON) -> JSON {
        let ordinal = ordinal(pod)
        var pod = pod
        let name = podName(set, ordinal: ordinal)
        pod[path: ["metadata", "name"]] = .string(name)
        pod[path: ["metadata", "namespace"]] = .string(SetSupport.namespace(set))
        pod[path: ["metadata", "labels", podNameLabel]] = .string(name)
        pod[path: ["metadata", "labels", podIndexLabel]] = .string(String(ordinal))
        return pod
    }

    /// A new pod of `set` for `ordinal` (newStatefulSetPod): hostname and subdomain are set only here,
    /// as they cannot change later.
    static func newPod(_ set: JSON, ordinal: Int) -> JSON {
        var pod = PodTemplates.pod(from: set["spec"]["template"], namespace: SetSupport.namespace(set), owner: set,
                                   ownerAPIVersion: "apps/v1", ownerKind: "StatefulSet", name: podName(set, ordinal: ordinal))
        // Kubernetes builds it as a generated-name pod, then names it.
        pod[path: ["metadata", "generateName"]] = .string(PodTemplates.generateNamePrefix(for: SetSupport.name(set)))
        pod = updatingIdentity(set, pod)
        pod[path: ["spec", "hostname"]] = .string(SetSupport.name(pod))
        if let service = set["spec"]["serviceName"].string, !service.isEmpty {
            pod[path: ["spec", "subdomain"]] = .string(service)
        }
        return updatingStorage(set, pod)
    }

    /// A new pod at the current revision below the partition, else at the update revision
    /// (newVersionedStatefulSetPod, with Kubernetes' operator precedence).
    static func newVersionedPod(currentSet: JSON, updateSet: JSON, currentRevision: String, updateRevision: String,
                                ordinal: Int) -> JSON {
        let strategy = currentSet["spec"]["updateStrategy"]
        let rolling = strategy["rollingUpdate"]
        let start = startOrdinal(currentSet)
        let atCurrent: Bool
        if case .object = rolling {
            atCurrent = ordinal < start + Int(rolling["partition"].int ?? 0)
        } else {
            atCurrent = (strategy["type"].string ?? "RollingUpdate") == "RollingUpdate"
                && ordinal < start + Int(currentSet["status"]["currentReplicas"].int ?? 0)
        }
        var pod = atCurrent ? newPod(currentSet, ordinal: ordinal) : newPod(updateSet, ordinal: ordinal)
        pod[path: ["metadata", "labels", SetControllerRevisions.revisionHashLabel]] = .string(atCurrent ? currentRevision : updateRevision)
        return pod
    }

    static func revision(of pod: JSON) -> String { PodState.labels(pod)[SetControllerRevisions.revisionHashLabel] ?? "" }

    // MARK: States

    /// Not yet known to the API server: a pod this sync is about to create.
    static func isCreated(_ pod: JSON) -> Bool { !(pod["status"]["phase"].string ?? "").isEmpty }
    static func isPending(_ pod: JSON) -> Bool { pod["status"]["phase"].string == "Pending" }
    static func isFailed(_ pod: JSON) -> Bool { pod["status"]["phase"].string == "Failed" }
    static func isSucceeded(_ pod: JSON) -> Bool { pod["status"]["phase"].string == "Succeeded" }
    static func isRunningAndReady(_ pod: JSON) -> Bool { pod["status"]["phase"].string == "Running" && PodState.isReady(pod) }

    static func isRunningAndAvailable(_ pod: JSON, minReadySeconds: Int64, now: Double) -> Bool {
        PodState.isAvailable(pod, minReadySeconds: minReadySeconds, now: now)
    }

    /// Not available, or on its way out.
    static func isUnavailable(_ pod: JSON, minReadySeconds: Int64, now: Double) -> Bool {
        !PodState.isAvailable(pod, minReadySeconds: minReadySeconds, now: now) || SetSupport.isTerminating(pod)
    }
}
