import ApusMachinery
import ApusPatch
import NIOHTTP1

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

/// One page of a list: the items, the revision they are consistent at, and where to continue.
public struct ObjectList: Sendable {
    public var items: [JSON]
    public var resourceVersion: String
    public var continueToken: String?
}

/// Selection and paging options of a list or watch.
public struct ListQuery: Sendable {
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
    }

    var parameters: [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken { query.append(("continue", continueToken)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        return query
    }
}

/// The verbs on one resource, with objects as JSON trees.
public struct ResourceClient: Sendable {
    public let api: APIClient
    public let resource: Resource
    /// Recorded as the manager of this client's writes.
    public var fieldManager: String

    public init(_ api: APIClient, _ resource: Resource, fieldManager: String = "apus") {
        self.api = api
        self.resource = resource
        self.fieldManager = fieldManager
    }

    public func get(_ name: String, namespace: String? = nil) async throws(ClientError) -> JSON {
        try await api.request(.GET, resource.path(namespace: namespace, name: name))
    }

    /// One page as the query asks for it.
    public func list(namespace: String? = nil, _ query: ListQuery = ListQuery()) async throws(ClientError) -> ObjectList {
        let page = try await api.request(.GET, resource.path(namespace: namespace), query: query.parameters)
        let token = page["metadata"]["continue"].string ?? ""
        return ObjectList(items: page["items"].array ?? [], resourceVersion: page["metadata"]["resourceVersion"].string ?? "",
                          continueToken: token.isEmpty ? nil : token)
    }

    /// Every object, fetched in pages of `pageSize`; the whole list is one consistent snapshot.
    public func listAll(namespace: String? = nil, _ query: ListQuery = ListQuery(), pageSize: Int = 500) async throws(ClientError) -> ObjectList {
        var query = query
        query.limit = pageSize
        var result = try await list(namespace: namespace, query)
        while let token = result.continueToken {
            query.continueToken = token
            let page = try await list(namespace: namespace, query)
            result.items += page.items
            result.continueToken = page.continueToken
        }
        return result
    }

    public func create(_ object: JSON, namespace: String? = nil) async throws(ClientError) -> JSON {
        try await api.request(.POST, resource.path(namespace: namespace ?? object["metadata"]["namespace"].string),
                              query: [("fieldManager", fieldManager)], body: object)
    }

    /// PUT of the whole object (its resourceVersion makes the write conditional).
    public func update(_ object: JSON, subresource: String? = nil) async throws(ClientError) -> JSON {
        let name = object["metadata"]["name"].string ?? ""
        return try await api.request(.PUT, resource.path(namespace: object["metadata"]["namespace"].string, name: name,
                                                         subresource: subresource),
                                     query: [("fieldManager", fieldManager)], body: object)
    }

    public func patch(_ name: String, namespace: String? = nil, type: PatchType, _ patch: JSON, subresource: String? = nil,
                      force: Bool = false) async throws(ClientError) -> JSON {
        var query = [("fieldManager", fieldManager)]
        if force { query.append(("force", "true")) }
        return try await api.request(.PATCH, resource.path(namespace: namespace, name: name, subresource: subresource), query: query,
                                     body: patch, contentType: type.rawValue)
    }

    /// Deletes the object; returns what the server answered (the object while finalizers hold it,
    /// or a Status).
    @discardableResult
    public func delete(_ name: String, namespace: String? = nil, propagationPolicy: String? = nil, gracePeriodSeconds: Int? = nil,
                       preconditionUID: String? = nil) async throws(ClientError) -> JSON {
        var options: JSON = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { options["propagationPolicy"] = .string(propagationPolicy) }
        if let gracePeriodSeconds { options["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        if let preconditionUID { options["preconditions"] = ["uid": .string(preconditionUID)] }
        return try await api.request(.DELETE, resource.path(namespace: namespace, name: name), body: options)
    }
}
