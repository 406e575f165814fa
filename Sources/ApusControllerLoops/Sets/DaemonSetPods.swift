import ApusControllerKit
import ApusMachinery

/// The pods of a DaemonSet: how they are made for a node and grouped by node.
enum DaemonSetPods {
    /// Pods carry the DaemonSet's template generation (extensions.DaemonSetTemplateGenerationKey).
    static let templateGenerationLabel = "pod-template-generation"
    /// Where apps/v1 keeps the template generation.
    static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"

    /// The template generation: the annotation the API server keeps, else the object's generation.
    static func templateGeneration(of daemonSet: JSON) -> Int64? {
        if let text = daemonSet["metadata"]["annotations"][templateGenerationAnnotation].string { return Int64(text) }
        return daemonSet["metadata"]["generation"].int
    }

    /// A new daemon pod for `nodeName` (util.CreatePodTemplate, then the node-name affinity the
    /// default scheduler binds it by).
    static func newPod(for daemonSet: JSON, nodeName: String, hash: String) -> JSON {
        var template = daemonSet["spec"]["template"]
        var spec = DaemonSetNodeEligibility.withDaemonTolerations(template["spec"])
        spec["affinity"] = withNodeNameAffinity(spec["affinity"], nodeName: nodeName)
        template["spec"] = spec
        var extraLabels: [String: String] = [:]
        if let generation = templateGeneration(of: daemonSet) { extraLabels[templateGenerationLabel] = String(generation) }
        if !hash.isEmpty { extraLabels[SetControllerRevisions.revisionHashLabel] = hash }
        return PodTemplates.pod(from: template, namespace: SetSupport.namespace(daemonSet), owner: daemonSet,
                                ownerAPIVersion: "apps/v1", ownerKind: "DaemonSet", extraLabels: extraLabels)
    }

    /// `affinity` whose required node affinity selects only `nodeName` (ReplaceDaemonSetPodNodeNameNodeAffinity).
    static func withNodeNameAffinity(_ affinity: JSON, nodeName: String) -> JSON {
        let terms: JSON = [["matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(nodeName)]]]]]
        var affinity = affinity
        if case .object = affinity {} else { affinity = .emptyObject }
        affinity[path: ["nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]] = terms
        return affinity
    }

    /// The node a daemon pod is for: where it is bound, else the node its affinity names (GetTargetNodeName).
    static func targetNodeName(_ pod: JSON) -> String? {
        if let node = PodState.nodeName(pod) { return node }
        let terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
        for term in terms.array ?? [] {
            for requirement in term["matchFields"].array ?? []
            where requirement["key"].string == "metadata.name" && requirement["operator"].string == "In" {
                let values = requirement["values"].array ?? []
                return values.count == 1 ? values[0].string : nil
            }
        }
        return nil
    }

    /// Pods by target node. Terminal pods already being deleted are left out unless asked for.
    static func byNode(_ pods: [JSON], includeDeletedTerminal: Bool) -> [String: [JSON]] {
        var result: [String: [JSON]] = [:]
        for pod in pods {
            let phase = PodState.phase(pod)
            if !includeDeletedTerminal, phase == "Failed" || phase == "Succeeded", SetSupport.isTerminating(pod) { continue }
            guard let node = targetNodeName(pod) else { continue }
            result[node, default: []].append(pod)
        }
        return result
    }

    /// The pod runs the current template (util.IsPodUpdated; the generation comparison Kubernetes
    /// makes there never matches, so the hash decides).
    static func isUpdated(_ pod: JSON, hash: String) -> Bool {
        !hash.isEmpty && PodState.labels(pod)[SetControllerRevisions.revisionHashLabel] == hash
    }

    /// Scheduled before unscheduled, then oldest first, then by name (podByCreationTimestampAndPhase).
    static func orderedOldestFirst(_ pods: [JSON]) -> [JSON] {
        pods.sorted { lhs, rhs in
            let (lBound, rBound) = (PodState.nodeName(lhs) != nil, PodState.nodeName(rhs) != nil)
            if lBound != rBound { return lBound }
            let lt = lhs["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse) ?? 0
            let rt = rhs["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse) ?? 0
            if lt != rt { return lt < rt }
            return SetSupport.name(lhs) < SetSupport.name(rhs)
        }
    }
}
