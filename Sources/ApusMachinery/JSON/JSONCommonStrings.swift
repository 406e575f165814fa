/// Member names and values that nearly every Kubernetes object repeats and that are too long for
/// Swift's inline small strings (more than 15 UTF-8 bytes). The parser hands out one shared copy of
/// each instead of a fresh heap string per occurrence: in an informer holding 10,000 pods that is
/// hundreds of thousands of allocations fewer.
enum JSONCommonStrings {
    static func shared(_ string: String) -> String {
        let length = string.utf8.count
        guard length > 15, length <= longest, let index = table.firstIndex(of: string) else { return string }
        return table[index]
    }

    private static let longest = 48

    private static let table: Set<String> = [
        // metadata
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "blockOwnerDeletion",
        "pod-template-hash", "controller-revision-hash", "pod-template-generation",
        "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
        "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name",
        "kubernetes.io/hostname", "kubernetes.io/metadata.name", "topology.kubernetes.io/zone",
        "topology.kubernetes.io/region", "node.kubernetes.io/instance-type",
        "deployment.kubernetes.io/revision", "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas", "kubernetes.io/service-account.name",
        "kubernetes.io/service-account.uid", "endpointslice.kubernetes.io/managed-by",
        "endpointslice-controller.k8s.io", "kubernetes.io/service-name",
        "node-role.kubernetes.io/control-plane",
        // pod spec
        "terminationMessagePath", "terminationMessagePolicy", "/dev/termination-log",
        "terminationGracePeriodSeconds", "activeDeadlineSeconds", "serviceAccountName",
        "automountServiceAccountToken", "enableServiceLinks", "preemptionPolicy",
        "PreemptLowerPriority", "priorityClassName", "default-scheduler", "tolerationSeconds",
        "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
        "node.kubernetes.io/unschedulable", "node.kubernetes.io/memory-pressure",
        "node.kubernetes.io/disk-pressure", "node.kubernetes.io/pid-pressure",
        "node.kubernetes.io/network-unavailable", "topologySpreadConstraints",
        "shareProcessNamespace",
        "initialDelaySeconds", "successThreshold", "failureThreshold", "ephemeralContainers",
        "imagePullSecrets", "runtimeClassName",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "preferredDuringSchedulingIgnoredDuringExecution",
        // pod status
        "containerStatuses", "initContainerStatuses", "lastTransitionTime", "PodReadyToStartContainers",
        "observedGeneration", "nominatedNodeName", "allocatedResources",
        // workloads
        "revisionHistoryLimit", "progressDeadlineSeconds", "availableReplicas",
        "fullyLabeledReplicas", "unavailableReplicas",
        "NewReplicaSetAvailable", "MinimumReplicasAvailable",
        "Deployment has minimum availability.", "updatedNumberScheduled",
        "desiredNumberScheduled", "currentNumberScheduled", "numberMisscheduled",
        // nodes
        "kubeProxyVersion", "containerRuntimeVersion",
        "KubeletHasSufficientMemory", "KubeletHasNoDiskPressure",
        "KubeletHasSufficientPID", "lastHeartbeatTime",
    ]
}
