// The kinds a protobuf envelope may carry, with the message their raw bytes hold. These are what
// kubectl's typed clients send as protobuf (`kubectl create <kind>`, `create token`), plus the
// other workload kinds whose messages are already in the tables.
extension ProtobufSchema {
    static let kinds: [KindEntry] = [
        KindEntry(apiVersion: "v1", kind: "Namespace", message: "core.v1.Namespace"),
        KindEntry(apiVersion: "v1", kind: "ConfigMap", message: "core.v1.ConfigMap"),
        KindEntry(apiVersion: "v1", kind: "Secret", message: "core.v1.Secret"),
        KindEntry(apiVersion: "v1", kind: "Service", message: "core.v1.Service"),
        KindEntry(apiVersion: "v1", kind: "ServiceAccount", message: "core.v1.ServiceAccount"),
        KindEntry(apiVersion: "v1", kind: "ResourceQuota", message: "core.v1.ResourceQuota"),
        KindEntry(apiVersion: "v1", kind: "Pod", message: "core.v1.Pod"),
        KindEntry(apiVersion: "apps/v1", kind: "Deployment", message: "apps.v1.Deployment"),
        KindEntry(apiVersion: "apps/v1", kind: "StatefulSet", message: "apps.v1.StatefulSet"),
        KindEntry(apiVersion: "apps/v1", kind: "DaemonSet", message: "apps.v1.DaemonSet"),
        KindEntry(apiVersion: "apps/v1", kind: "ReplicaSet", message: "apps.v1.ReplicaSet"),
        KindEntry(apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", message: "autoscaling.v1.HorizontalPodAutoscaler"),
        KindEntry(apiVersion: "batch/v1", kind: "Job", message: "batch.v1.Job"),
        KindEntry(apiVersion: "batch/v1", kind: "CronJob", message: "batch.v1.CronJob"),
        KindEntry(apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", message: "rbac.v1.Role"),
        KindEntry(apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", message: "rbac.v1.RoleBinding"),
        KindEntry(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", message: "rbac.v1.ClusterRole"),
        KindEntry(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", message: "rbac.v1.ClusterRoleBinding"),
        KindEntry(apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", message: "scheduling.v1.PriorityClass"),
        KindEntry(apiVersion: "policy/v1", kind: "PodDisruptionBudget", message: "policy.v1.PodDisruptionBudget"),
        KindEntry(apiVersion: "networking.k8s.io/v1", kind: "Ingress", message: "networking.v1.Ingress"),
        KindEntry(apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", message: "authentication.v1.TokenRequest"),
    ]
}
