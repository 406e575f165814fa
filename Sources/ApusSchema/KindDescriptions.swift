/// One-line descriptions of the kinds for `kubectl explain`, written for Apus (field descriptions
/// are not published).
enum KindDescriptions {
    static func text(for gvk: GroupVersionKind) -> String? {
        if let text = byKind[gvk.group + "/" + gvk.kind] { return text }
        if gvk.kind.hasSuffix("List"), gvk.kind.count > 4 {
            return "A list of \(gvk.kind.dropLast(4)) objects."
        }
        return nil
    }

    private static let byKind: [String: String] = [
        "/Binding": "Assigns a pod to a node.",
        "/ComponentStatus": "The health of a control plane component.",
        "/ConfigMap": "Configuration data as string or binary values, by key.",
        "/Endpoints": "The network addresses behind a service.",
        "/Event": "A report of something that happened to an object.",
        "/LimitRange": "Default and maximum resource amounts for the objects of a namespace.",
        "/Namespace": "A scope for the names of namespaced objects.",
        "/Node": "A machine that runs pods.",
        "/PersistentVolume": "A piece of storage provisioned in the cluster.",
        "/PersistentVolumeClaim": "A request for storage by a user.",
        "/Pod": "A group of containers that run together on one node.",
        "/PodTemplate": "A reusable description of pods.",
        "/ReplicationController": "Keeps a number of copies of a pod running.",
        "/ResourceQuota": "Limits on the total resources of a namespace.",
        "/Secret": "Sensitive data, by key.",
        "/Service": "A stable network name and address for a set of pods.",
        "/ServiceAccount": "An identity for processes that run in pods.",
        "apps/ControllerRevision": "An immutable snapshot of a controller's template.",
        "apps/DaemonSet": "Runs a copy of a pod on every eligible node.",
        "apps/Deployment": "Declarative, rolling updates of replicated pods.",
        "apps/ReplicaSet": "Keeps a number of identical pods running.",
        "apps/StatefulSet": "Pods with stable identities and storage, started in order.",
        "authentication.k8s.io/TokenRequest": "Requests a token for a service account.",
        "autoscaling/HorizontalPodAutoscaler": "Scales a workload by observed metrics.",
        "autoscaling/Scale": "The desired and observed replica count of a scalable resource.",
        "batch/CronJob": "Runs jobs on a schedule.",
        "batch/Job": "Runs pods until a number of them complete.",
        "coordination.k8s.io/Lease": "A lock with a holder and an expiry.",
        "discovery.k8s.io/EndpointSlice": "A subset of the endpoints of a service.",
        "events.k8s.io/Event": "A report of something that happened to an object.",
        "networking.k8s.io/Ingress": "HTTP routing from outside the cluster to services.",
        "networking.k8s.io/IngressClass": "The controller that implements a class of ingresses.",
        "networking.k8s.io/NetworkPolicy": "Which traffic may reach or leave a set of pods.",
        "policy/Eviction": "A request to evict a pod, subject to disruption budgets.",
        "policy/PodDisruptionBudget": "How many pods of a set may be down at once.",
        "rbac.authorization.k8s.io/ClusterRole": "A cluster-wide set of permissions.",
        "rbac.authorization.k8s.io/ClusterRoleBinding": "Grants a cluster role to subjects cluster-wide.",
        "rbac.authorization.k8s.io/Role": "A set of permissions within a namespace.",
        "rbac.authorization.k8s.io/RoleBinding": "Grants a role or cluster role to subjects in a namespace.",
        "scheduling.k8s.io/PriorityClass": "A named scheduling priority for pods.",
        "storage.k8s.io/CSIDriver": "A CSI volume driver installed in the cluster.",
        "storage.k8s.io/CSINode": "The CSI drivers installed on a node.",
        "storage.k8s.io/CSIStorageCapacity": "Storage capacity available to a storage class in a topology segment.",
        "storage.k8s.io/StorageClass": "A class of dynamically provisioned storage.",
        "storage.k8s.io/VolumeAttachment": "A request to attach a volume to a node.",
        "apiextensions.k8s.io/CustomResourceDefinition": "Defines a custom resource and the API that serves it.",
    ]
}
