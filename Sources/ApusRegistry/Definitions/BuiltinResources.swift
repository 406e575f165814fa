import ApusMachinery
import ApusValidation

/// The resources Apus serves out of the box, with Kubernetes' names, short names, categories and
/// subresources. Adding a kind is one entry here plus, if it needs one, a defaults function.
public enum BuiltinResources {
    public static func all(admission: AdmissionSettings = AdmissionSettings()) -> [ResourceDefinition] {
        core(admission: admission) + apps() + batch() + others()
    }

    static func strategy(_ group: String, _ kind: String, namespaced: Bool = true, nameRule: NameRule = .dns1123Subdomain,
                         generation: Bool = true, status: Bool = false, clearStatus: Bool = false, createOnUpdate: Bool = false,
                         fields: [String] = [],
                         defaults: @escaping @Sendable (inout JSON, WriteContext) async throws(APIError) -> Void = { _, _ in },
                         onCreate: @escaping @Sendable (inout JSON, WriteContext) async throws(APIError) -> Void = { _, _ in },
                         onUpdate: @escaping @Sendable (inout JSON, JSON, WriteContext) async throws(APIError) -> Void = { _, _, _ in })
        -> KindStrategy {
        KindStrategy(group: group, kind: kind, namespaced: namespaced, nameRule: nameRule, tracksGeneration: generation,
                     hasStatusSubresource: status, statusOnCreate: clearStatus ? .clear : .keep, allowCreateOnUpdate: createOnUpdate,
                     selectableFields: fields, defaults: defaults, onCreate: onCreate, onUpdate: onUpdate)
    }

    static let readOnlyVerbs = ["get", "list"]

    static func core(admission: AdmissionSettings) -> [ResourceDefinition] {
        let podFields = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                         "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"]
        return [
            ResourceDefinition(group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false,
                               shortNames: ["ns"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
                               subresources: [.status],
                               strategy: strategy("", "Namespace", namespaced: false, nameRule: .dns1123Label, generation: false,
                                                  status: true, clearStatus: true, fields: ["status.phase"],
                                                  defaults: NamespaceDefaults.defaults)),
            ResourceDefinition(group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true, shortNames: ["po"],
                               categories: ["all"], subresources: [.status, .binding, .eviction, .log, .exec, .attach, .portforward],
                               strategy: strategy("", "Pod", generation: false, status: true, clearStatus: true, fields: podFields,
                                                  defaults: { o, _ in var spec = o["spec"]; PodDefaults.applyToSpec(&spec); o["spec"] = spec },
                                                  onCreate: { pod, context throws(APIError) in
                                                      try await PodAdmission.admit(&pod, context: context, settings: admission)
                                                      PodLifecycle.initialStatus(&pod, context)
                                                  })),
            ResourceDefinition(group: "", version: "v1", resource: "nodes", kind: "Node", namespaced: false, shortNames: ["no"],
                               subresources: [.status, .proxy],
                               strategy: strategy("", "Node", namespaced: false, generation: false, status: true,
                                                  fields: ["spec.unschedulable"])),
            ResourceDefinition(group: "", version: "v1", resource: "services", kind: "Service", namespaced: true, shortNames: ["svc"],
                               categories: ["all"], subresources: [.status, .proxy],
                               strategy: strategy("", "Service", nameRule: .dns1035Label, generation: false, status: true,
                                                  clearStatus: true, fields: ["spec.clusterIP", "spec.type"],
                                                  defaults: { o, c in ServiceDefaults.defaults(&o, c) },
                                                  onCreate: ServiceDefaults.allocateOnCreate, onUpdate: ServiceDefaults.prepareUpdate)),
            ResourceDefinition(group: "", version: "v1", resource: "endpoints", kind: "Endpoints", namespaced: true, shortNames: ["ep"],
                               strategy: strategy("", "Endpoints", generation: false, createOnUpdate: true)),
            ResourceDefinition(group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true, shortNames: ["cm"],
                               strategy: strategy("", "ConfigMap", generation: false)),
            ResourceDefinition(group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true,
                               strategy: strategy("", "Secret", generation: false, fields: ["type"],
                                                  defaults: { o, _ in setIfMissing(&o, "type", "Opaque") })),
            coreEvents,
            ResourceDefinition(group: "", version: "v1", resource: "serviceaccounts", kind: "ServiceAccount", namespaced: true,
                               shortNames: ["sa"], subresources: [],
                               strategy: strategy("", "ServiceAccount", generation: false)),
            ResourceDefinition(group: "", version: "v1", resource: "componentstatuses", kind: "ComponentStatus", namespaced: false,
                               shortNames: ["cs"], verbs: readOnlyVerbs,
                               strategy: strategy("", "ComponentStatus", namespaced: false, generation: false), isVirtual: true),
            ResourceDefinition(group: "", version: "v1", resource: "persistentvolumes", kind: "PersistentVolume", namespaced: false,
                               shortNames: ["pv"], subresources: [.status],
                               strategy: strategy("", "PersistentVolume", namespaced: false, generation: false, status: true,
                                                  clearStatus: true,
                                                  defaults: { o, _ in
                                                      setIfMissing(&o[path: ["spec"]], "persistentVolumeReclaimPolicy", "Retain")
                                                      setIfMissing(&o[path: ["spec"]], "volumeMode", "Filesystem")
                                                  },
                                                  onCreate: { o, _ in o["status"] = ["phase": "Pending"] })),
            ResourceDefinition(group: "", version: "v1", resource: "persistentvolumeclaims", kind: "PersistentVolumeClaim",
                               namespaced: true, shortNames: ["pvc"], subresources: [.status],
                               strategy: strategy("", "PersistentVolumeClaim", generation: false, status: true, clearStatus: true,
                                                  defaults: { o, _ in setIfMissing(&o[path: ["spec"]], "volumeMode", "Filesystem") },
                                                  onCreate: { o, _ in o["status"] = ["phase": "Pending"] })),
            ResourceDefinition(group: "", version: "v1", resource: "limitranges", kind: "LimitRange", namespaced: true, shortNames: ["limits"],
                               strategy: strategy("", "LimitRange", generation: false)),
            ResourceDefinition(group: "", version: "v1", resource: "resourcequotas", kind: "ResourceQuota", namespaced: true,
                               shortNames: ["quota"], subresources: [.status],
                               strategy: strategy("", "ResourceQuota", generation: false, status: true, clearStatus: true)),
            ResourceDefinition(group: "", version: "v1", resource: "replicationcontrollers", kind: "ReplicationController",
                               namespaced: true, shortNames: ["rc"], categories: ["all"], subresources: [.status, .scale],
                               strategy: strategy("", "ReplicationController", status: true, clearStatus: true,
                                                  fields: ["status.replicas"],
                                                  defaults: { o, c in WorkloadDefaults.replicationController(&o, c) })),
            ResourceDefinition(group: "", version: "v1", resource: "podtemplates", kind: "PodTemplate", namespaced: true,
                               strategy: strategy("", "PodTemplate", generation: false,
                                                  defaults: { o, _ in PodDefaults.applyToTemplate(&o, templatePath: ["template"]) })),
        ]
    }

    static func apps() -> [ResourceDefinition] {
        [
            ResourceDefinition(group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true,
                               shortNames: ["deploy"], categories: ["all"], subresources: [.status, .scale],
                               strategy: strategy("apps", "Deployment", status: true, clearStatus: true,
                                                  defaults: { o, c in WorkloadDefaults.deployment(&o, c) })),
            ResourceDefinition(group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true,
                               shortNames: ["rs"], categories: ["all"], subresources: [.status, .scale],
                               strategy: strategy("apps", "ReplicaSet", status: true, clearStatus: true, fields: ["status.replicas"],
                                                  defaults: { o, c in WorkloadDefaults.replicaSet(&o, c) })),
            ResourceDefinition(group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", namespaced: true,
                               shortNames: ["sts"], categories: ["all"], subresources: [.status, .scale],
                               strategy: strategy("apps", "StatefulSet", status: true, clearStatus: true,
                                                  defaults: { o, c in WorkloadDefaults.statefulSet(&o, c) })),
            ResourceDefinition(group: "apps", version: "v1", resource: "daemonsets", kind: "DaemonSet", namespaced: true,
                               shortNames: ["ds"], categories: ["all"], subresources: [.status],
                               strategy: strategy("apps", "DaemonSet", status: true, clearStatus: true,
                                                  defaults: { o, c in WorkloadDefaults.daemonSet(&o, c) })),
            ResourceDefinition(group: "apps", version: "v1", resource: "controllerrevisions", kind: "ControllerRevision",
                               namespaced: true, strategy: strategy("apps", "ControllerRevision", generation: false)),
        ]
    }

    static func batch() -> [ResourceDefinition] {
        [
            ResourceDefinition(group: "batch", version: "v1", resource: "jobs", kind: "Job", namespaced: true,
                               categories: ["all"], subresources: [.status],
                               strategy: strategy("batch", "Job", status: true, clearStatus: true, fields: ["status.successful"],
                                                  defaults: { o, c in WorkloadDefaults.job(&o, c) },
                                                  onCreate: { o, c in WorkloadDefaults.jobSelector(&o, c) })),
            ResourceDefinition(group: "batch", version: "v1", resource: "cronjobs", kind: "CronJob", namespaced: true,
                               shortNames: ["cj"], categories: ["all"], subresources: [.status],
                               strategy: strategy("batch", "CronJob", status: true, clearStatus: true,
                                                  defaults: { o, c in WorkloadDefaults.cronJob(&o, c) })),
        ]
    }

    static func others() -> [ResourceDefinition] {
        let hpaV2 = ResourceDefinition(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers",
                                       kind: "HorizontalPodAutoscaler", namespaced: true, shortNames: ["hpa"], categories: ["all"],
                                       subresources: [.status],
                                       strategy: strategy("autoscaling", "HorizontalPodAutoscaler", status: true, clearStatus: true))
        let rbac = "rbac.authorization.k8s.io"
        return [
            // Resource metrics (what metrics-server serves), computed from the kubelets' summaries.
            ResourceDefinition(group: "metrics.k8s.io", version: "v1beta1", resource: "nodes", kind: "NodeMetrics", namespaced: false,
                               verbs: readOnlyVerbs,
                               strategy: strategy("metrics.k8s.io", "NodeMetrics", namespaced: false, generation: false), isVirtual: true),
            ResourceDefinition(group: "metrics.k8s.io", version: "v1beta1", resource: "pods", kind: "PodMetrics", namespaced: true,
                               verbs: readOnlyVerbs,
                               strategy: strategy("metrics.k8s.io", "PodMetrics", generation: false), isVirtual: true),
            ResourceDefinition(group: "coordination.k8s.io", version: "v1", resource: "leases", kind: "Lease", namespaced: true,
                               strategy: strategy("coordination.k8s.io", "Lease", generation: false)),
            ResourceDefinition(group: "discovery.k8s.io", version: "v1", resource: "endpointslices", kind: "EndpointSlice",
                               namespaced: true, strategy: strategy("discovery.k8s.io", "EndpointSlice", generation: false)),
            eventsV1(),
            ResourceDefinition(group: "networking.k8s.io", version: "v1", resource: "ingresses", kind: "Ingress", namespaced: true,
                               shortNames: ["ing"], subresources: [.status],
                               strategy: strategy("networking.k8s.io", "Ingress", status: true, clearStatus: true)),
            ResourceDefinition(group: "networking.k8s.io", version: "v1", resource: "ingressclasses", kind: "IngressClass",
                               namespaced: false, strategy: strategy("networking.k8s.io", "IngressClass", namespaced: false)),
            ResourceDefinition(group: "networking.k8s.io", version: "v1", resource: "networkpolicies", kind: "NetworkPolicy",
                               namespaced: true, shortNames: ["netpol"],
                               strategy: strategy("networking.k8s.io", "NetworkPolicy",
                                                  defaults: { o, _ in
                                                      if o["spec"]["policyTypes"].isNull, case .object = o["spec"] {
                                                          var types: [JSON] = ["Ingress"]
                                                          if o["spec"]["egress"].array != nil { types.append("Egress") }
                                                          o[path: ["spec", "policyTypes"]] = .array(types)
                                                      }
                                                  })),
            ResourceDefinition(group: rbac, version: "v1", resource: "roles", kind: "Role", namespaced: true,
                               strategy: strategy(rbac, "Role", nameRule: .pathSegment, generation: false)),
            ResourceDefinition(group: rbac, version: "v1", resource: "rolebindings", kind: "RoleBinding", namespaced: true,
                               strategy: strategy(rbac, "RoleBinding", nameRule: .pathSegment, generation: false)),
            ResourceDefinition(group: rbac, version: "v1", resource: "clusterroles", kind: "ClusterRole", namespaced: false,
                               strategy: strategy(rbac, "ClusterRole", namespaced: false, nameRule: .pathSegment, generation: false)),
            ResourceDefinition(group: rbac, version: "v1", resource: "clusterrolebindings", kind: "ClusterRoleBinding",
                               namespaced: false,
                               strategy: strategy(rbac, "ClusterRoleBinding", namespaced: false, nameRule: .pathSegment, generation: false)),
            hpaV2,
            converted(hpaV2, version: "v1") { HPAConversion(storage: $0) },
            ResourceDefinition(group: "policy", version: "v1", resource: "poddisruptionbudgets", kind: "PodDisruptionBudget",
                               namespaced: true, shortNames: ["pdb"], subresources: [.status],
                               strategy: strategy("policy", "PodDisruptionBudget", status: true, clearStatus: true)),
            ResourceDefinition(group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses", kind: "PriorityClass",
                               namespaced: false, shortNames: ["pc"],
                               strategy: strategy("scheduling.k8s.io", "PriorityClass", namespaced: false, generation: false,
                                                  defaults: { o, _ in setIfMissing(&o, "preemptionPolicy", "PreemptLowerPriority") })),
            ResourceDefinition(group: "storage.k8s.io", version: "v1", resource: "storageclasses", kind: "StorageClass",
                               namespaced: false, shortNames: ["sc"],
                               strategy: strategy("storage.k8s.io", "StorageClass", namespaced: false, generation: false,
                                                  defaults: { o, _ in
                                                      setIfMissing(&o, "reclaimPolicy", "Delete")
                                                      setIfMissing(&o, "volumeBindingMode", "Immediate")
                                                  })),
            ResourceDefinition(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions",
                               kind: "CustomResourceDefinition", namespaced: false, shortNames: ["crd", "crds"],
                               subresources: [.status],
                               strategy: CRDStrategy()),
        ]
    }
}

enum NamespaceDefaults {
    @Sendable static func defaults(_ ns: inout JSON, _: WriteContext) {
        if ns["spec"]["finalizers"].isNull { ns[path: ["spec", "finalizers"]] = ["kubernetes"] }
        if ns["status"]["phase"].isNull { ns[path: ["status", "phase"]] = "Active" }
        // Kubernetes labels every namespace with its own name, so selectors can pick namespaces by name.
        if let name = ns["metadata"]["name"].string {
            ns[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
        }
    }
}

enum PodLifecycle {
    /// A new pod starts Pending with its QoS class, as the API server records it.
    @Sendable static func initialStatus(_ pod: inout JSON, _: WriteContext) {
        pod["status"] = ["phase": "Pending", "qosClass": .string(qosClass(pod["spec"]))]
    }

    static func qosClass(_ spec: JSON) -> String {
        let containers = (spec["containers"].array ?? []) + (spec["initContainers"].array ?? [])
        var anyRequest = false
        var guaranteed = !containers.isEmpty
        for c in containers {
            let requests = c["resources"]["requests"].object ?? [:]
            let limits = c["resources"]["limits"].object ?? [:]
            if !requests.isEmpty || !limits.isEmpty { anyRequest = true }
            for resource in ["cpu", "memory"] {
                guard let limit = limits[resource] else { guaranteed = false; continue }
                if let request = requests[resource], request != limit { guaranteed = false }
            }
        }
        if guaranteed && anyRequest { return "Guaranteed" }
        return anyRequest ? "Burstable" : "BestEffort"
    }
}

extension BuiltinResources {
    static let coreEvents: ResourceDefinition = {
        let eventFields = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                           "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                           "reason", "reportingComponent", "source", "type"]
        return ResourceDefinition(group: "", version: "v1", resource: "events", kind: "Event", namespaced: true, shortNames: ["ev"],
                                  strategy: strategy("", "Event", generation: false, createOnUpdate: true, fields: eventFields))
    }()

    /// events.k8s.io/v1 Events: core/v1 Events under the new API's field names.
    static func eventsV1() -> ResourceDefinition {
        var def = ResourceDefinition(group: "events.k8s.io", version: "v1", resource: "events", kind: "Event", namespaced: true,
                                     shortNames: ["ev"], strategy: coreEvents.strategy, storage: coreEvents.storage)
        def.conversion = EventConversion(storage: coreEvents)
        return def
    }

    /// `storage` served at another version of its group through `conversion`.
    static func converted(_ storage: ResourceDefinition, version: String,
                          _ conversion: (ResourceDefinition) -> any VersionConversion) -> ResourceDefinition {
        var def = storage
        def.version = version
        def.conversion = conversion(storage)
        return def
    }
}
