import ApusMachinery

/// Validation of an object's content beyond `metadata`, per kind, as Kubernetes' registry strategies
/// run it. Kinds without rules validate clean.
///
/// On create the server runs `ObjectMetaValidation.validate` and `KindValidation.validate`; on update
/// `ObjectMetaValidation.validateUpdate`, `KindValidation.validate` (on the new object) and
/// `KindValidation.validateUpdate`, which reports only what may not change.
public enum KindValidation {
    public static func validate(group: String, kind: String, object: JSON) -> [FieldError] {
        switch (group, kind) {
        case ("", "Pod"):
            let spec = object["spec"]
            return PodSpecValidation.spec(spec, FieldPath("spec"), isPod: true) + PodSpecValidation.podOnlyContainerChecks(spec, FieldPath("spec"))
        case ("", "PodTemplate"):
            return PodSpecValidation.template(object["template"], FieldPath("template"))
        case ("", "ReplicationController"): return WorkloadValidation.replicationController(object)
        case ("", "Service"): return ServiceValidation.validate(object)
        case ("", "ConfigMap"): return ConfigDataValidation.configMap(object)
        case ("", "Secret"): return ConfigDataValidation.secret(object)
        case ("", "Namespace"): return CoreMiscValidation.namespace(object)
        case ("", "Node"): return CoreMiscValidation.node(object)
        case ("", "Endpoints"): return CoreMiscValidation.endpoints(object)
        case ("", "Event"): return CoreMiscValidation.event(object)
        case ("apps", "Deployment"): return WorkloadValidation.deployment(object)
        case ("apps", "ReplicaSet"): return WorkloadValidation.replicaSet(object)
        case ("apps", "StatefulSet"): return WorkloadValidation.statefulSet(object)
        case ("apps", "DaemonSet"): return WorkloadValidation.daemonSet(object)
        case ("batch", "Job"): return BatchValidation.job(object)
        case ("batch", "CronJob"): return BatchValidation.cronJob(object)
        case ("networking.k8s.io", "Ingress"): return NetworkingValidation.ingress(object)
        case ("rbac.authorization.k8s.io", "Role"): return RBACValidation.role(object, namespaced: true)
        case ("rbac.authorization.k8s.io", "ClusterRole"): return RBACValidation.role(object, namespaced: false)
        case ("rbac.authorization.k8s.io", "RoleBinding"): return RBACValidation.binding(object, namespaced: true)
        case ("rbac.authorization.k8s.io", "ClusterRoleBinding"): return RBACValidation.binding(object, namespaced: false)
        case ("scheduling.k8s.io", "PriorityClass"): return PolicyValidation.priorityClass(object)
        case ("autoscaling", "HorizontalPodAutoscaler"): return PolicyValidation.horizontalPodAutoscaler(object)
        case ("policy", "PodDisruptionBudget"): return PolicyValidation.podDisruptionBudget(object)
        case ("coordination.k8s.io", "Lease"): return PolicyValidation.lease(object)
        default: return []
        }
    }

    /// Only the transition rules (immutable fields and the like); run `validate` on `new` as well.
    public static func validateUpdate(group: String, kind: String, new: JSON, old: JSON) -> [FieldError] {
        switch (group, kind) {
        case ("", "Pod"): return PodUpdateValidation.validate(new: new, old: old)
        case ("", "Service"): return ServiceValidation.update(new: new, old: old)
        case ("", "ConfigMap"): return ConfigDataValidation.immutableUpdate(new: new, old: old, keys: ["data", "binaryData"])
        case ("", "Secret"): return ConfigDataValidation.secretUpdate(new: new, old: old)
        case ("", "Node"): return CoreMiscValidation.nodeUpdate(new: new, old: old)
        case ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "DaemonSet"):
            return WorkloadValidation.selectorImmutable(new: new, old: old)
        case ("apps", "StatefulSet"): return WorkloadValidation.statefulSetUpdate(new: new, old: old)
        case ("batch", "Job"): return BatchValidation.jobUpdate(new: new, old: old)
        case ("rbac.authorization.k8s.io", "RoleBinding"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"):
            return RBACValidation.bindingUpdate(new: new, old: old)
        case ("scheduling.k8s.io", "PriorityClass"): return PolicyValidation.priorityClassUpdate(new: new, old: old)
        default: return []
        }
    }

    /// The rule `metadata.name` follows for a kind.
    public static func nameRule(group: String, kind: String) -> NameRule {
        switch (group, kind) {
        case ("", "Service"): return .dns1035Label
        case ("", "Namespace"), ("apps", "StatefulSet"): return .dns1123Label
        case ("rbac.authorization.k8s.io", _): return .pathSegment
        default: return .dns1123Subdomain
        }
    }
}
