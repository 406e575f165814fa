/// Built-in schemas for the kinds Apus serves, transcribed from the `patchStrategy`/`patchMergeKey`
/// tags of k8s.io/api (v1.32). Lists not named here (tolerations, node taints, endpoint subsets,
/// namespace finalizers, container args, …) carry no tag in Kubernetes and are replaced whole.
extension PatchSchema {
    /// The schema for objects of `group`/`kind`; any other kind gets the ObjectMeta fields only.
    public static func forKind(group: String, kind: String) -> PatchSchema {
        builtInKinds[KindName(group: group, kind: kind)] ?? objectOnly
    }

    private struct KindName: Hashable {
        var group: String
        var kind: String
    }

    private static let builtInKinds: [KindName: PatchSchema] = {
        let workloadStatus = objectOnly.including(conditionsByType, under: ["status"])
        let templated = workloadStatus.including(podTemplateSpec, under: ["spec", "template"])
        return [
            KindName(group: "", kind: "Pod"): objectOnly
                .including(podSpec, under: ["spec"])
                .including(podStatus, under: ["status"]),
            KindName(group: "", kind: "PodTemplate"): objectOnly.including(podTemplateSpec, under: ["template"]),
            KindName(group: "", kind: "ReplicationController"): templated,
            KindName(group: "apps", kind: "Deployment"): templated
                .adding(.replace, at: ["spec", "strategy"], retainKeys: true),
            KindName(group: "apps", kind: "ReplicaSet"): templated,
            KindName(group: "apps", kind: "StatefulSet"): templated,
            KindName(group: "apps", kind: "DaemonSet"): templated,
            KindName(group: "batch", kind: "Job"): templated,
            KindName(group: "batch", kind: "CronJob"): objectOnly
                .including(objectMeta, under: ["spec", "jobTemplate", "metadata"])
                .including(podTemplateSpec, under: ["spec", "jobTemplate", "spec", "template"]),
            KindName(group: "", kind: "Service"): objectOnly
                .adding(.merge(key: "port"), at: ["spec", "ports"])
                .including(conditionsByType, under: ["status"]),
            KindName(group: "", kind: "Node"): objectOnly
                .adding(.merge(key: nil), at: ["spec", "podCIDRs"])
                .including(conditionsByType, under: ["status"])
                .adding(.merge(key: "type"), at: ["status", "addresses"]),
            KindName(group: "", kind: "Namespace"): workloadStatus,
            KindName(group: "", kind: "ServiceAccount"): objectOnly.adding(.merge(key: "name"), at: ["secrets"]),
            KindName(group: "", kind: "PersistentVolumeClaim"): workloadStatus,
            KindName(group: "", kind: "ComponentStatus"): objectOnly.including(conditionsByType),
            KindName(group: "policy", kind: "PodDisruptionBudget"): workloadStatus,
            KindName(group: "autoscaling", kind: "HorizontalPodAutoscaler"): workloadStatus,
        ]
    }()

    /// Every object's metadata (ConfigMap, Secret, Endpoints and unknown kinds need nothing more).
    static let objectOnly = PatchSchema.empty.including(objectMeta, under: ["metadata"])

    /// ObjectMeta: owner references merge by uid, finalizers merge as a set.
    static let objectMeta = PatchSchema.empty
        .adding(.merge(key: "uid"), at: ["ownerReferences"])
        .adding(.merge(key: nil), at: ["finalizers"])

    /// Container (and EphemeralContainer) lists.
    static let container = PatchSchema.empty
        .adding(.merge(key: "containerPort"), at: ["ports"])
        .adding(.merge(key: "name"), at: ["env"])
        .adding(.merge(key: "mountPath"), at: ["volumeMounts"])
        .adding(.merge(key: "devicePath"), at: ["volumeDevices"])

    static let podSpec = PatchSchema.empty
        .adding(.merge(key: "name"), at: ["volumes"], retainKeys: true)
        .adding(.merge(key: "name"), at: ["initContainers"])
        .including(container, under: ["initContainers"])
        .adding(.merge(key: "name"), at: ["containers"])
        .including(container, under: ["containers"])
        .adding(.merge(key: "name"), at: ["ephemeralContainers"])
        .including(container, under: ["ephemeralContainers"])
        .adding(.merge(key: "name"), at: ["imagePullSecrets"])
        .adding(.merge(key: "ip"), at: ["hostAliases"])
        .adding(.merge(key: "topologyKey"), at: ["topologySpreadConstraints"])
        .adding(.merge(key: "name"), at: ["resourceClaims"], retainKeys: true)
        .adding(.merge(key: "name"), at: ["schedulingGates"])

    static let podStatus = conditionsByType
        .adding(.merge(key: "ip"), at: ["podIPs"])
        .adding(.merge(key: "ip"), at: ["hostIPs"])
        .adding(.merge(key: "name"), at: ["resourceClaimStatuses"], retainKeys: true)

    static let podTemplateSpec = PatchSchema.empty
        .including(objectMeta, under: ["metadata"])
        .including(podSpec, under: ["spec"])

    /// The `conditions` list of most statuses merges by condition type.
    static let conditionsByType = PatchSchema.empty.adding(.merge(key: "type"), at: ["conditions"])
}
