import ApusMachinery

/// A resource's place in the API: `/api/v1/namespaces/{ns}/pods`, `/apis/apps/v1/deployments` …
public struct Resource: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    /// Plural, lower case.
    public var name: String
    public var namespaced: Bool

    public init(group: String, version: String, name: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.name = name
        self.namespaced = namespaced
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { group.isEmpty ? name : "\(name).\(group)" }
    public var groupResource: GroupResource { GroupResource(group: group, resource: name) }

    public func path(namespace: String? = nil, name objectName: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace, !namespace.isEmpty { path += "/namespaces/\(namespace)" }
        path += "/\(name)"
        if let objectName { path += "/\(objectName)" }
        if let subresource { path += "/\(subresource)" }
        return path
    }
}

extension Resource {
    public static let namespaces = Resource(group: "", version: "v1", name: "namespaces", namespaced: false)
    public static let nodes = Resource(group: "", version: "v1", name: "nodes", namespaced: false)
    public static let pods = Resource(group: "", version: "v1", name: "pods", namespaced: true)
    public static let services = Resource(group: "", version: "v1", name: "services", namespaced: true)
    public static let endpoints = Resource(group: "", version: "v1", name: "endpoints", namespaced: true)
    public static let configMaps = Resource(group: "", version: "v1", name: "configmaps", namespaced: true)
    public static let secrets = Resource(group: "", version: "v1", name: "secrets", namespaced: true)
    public static let serviceAccounts = Resource(group: "", version: "v1", name: "serviceaccounts", namespaced: true)
    public static let events = Resource(group: "", version: "v1", name: "events", namespaced: true)
    public static let persistentVolumeClaims = Resource(group: "", version: "v1", name: "persistentvolumeclaims", namespaced: true)
    public static let deployments = Resource(group: "apps", version: "v1", name: "deployments", namespaced: true)
    public static let replicaSets = Resource(group: "apps", version: "v1", name: "replicasets", namespaced: true)
    public static let statefulSets = Resource(group: "apps", version: "v1", name: "statefulsets", namespaced: true)
    public static let daemonSets = Resource(group: "apps", version: "v1", name: "daemonsets", namespaced: true)
    public static let controllerRevisions = Resource(group: "apps", version: "v1", name: "controllerrevisions", namespaced: true)
    public static let jobs = Resource(group: "batch", version: "v1", name: "jobs", namespaced: true)
    public static let cronJobs = Resource(group: "batch", version: "v1", name: "cronjobs", namespaced: true)
    public static let leases = Resource(group: "coordination.k8s.io", version: "v1", name: "leases", namespaced: true)
    public static let endpointSlices = Resource(group: "discovery.k8s.io", version: "v1", name: "endpointslices", namespaced: true)
    public static let podDisruptionBudgets = Resource(group: "policy", version: "v1", name: "poddisruptionbudgets", namespaced: true)
    public static let horizontalPodAutoscalers = Resource(group: "autoscaling", version: "v2", name: "horizontalpodautoscalers", namespaced: true)
    public static let priorityClasses = Resource(group: "scheduling.k8s.io", version: "v1", name: "priorityclasses", namespaced: false)
}
