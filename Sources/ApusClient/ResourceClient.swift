import ApusMachinery
import ApusPatch
import ApusControllerKit
import NIOHTTP1

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
