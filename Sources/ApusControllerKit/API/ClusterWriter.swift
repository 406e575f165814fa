import ApusMachinery
import ApusPatch

/// The writes a control loop makes, as API calls. The running server's implementation sends them
/// to the API server; tests record them against a fake cluster.
public protocol ClusterWriter: Sendable {
    /// POST to the collection of the object's namespace.
    func create(_ resource: Resource, _ object: JSON) async throws(ClientError) -> JSON
    /// POST to a subresource of a named object: `pods/binding`, `pods/eviction`.
    func post(_ resource: Resource, namespace: String?, name: String, subresource: String, _ body: JSON) async throws(ClientError) -> JSON
    /// PUT of the whole object; its resourceVersion makes the write conditional.
    func update(_ resource: Resource, _ object: JSON, subresource: String?) async throws(ClientError) -> JSON
    func patch(_ resource: Resource, namespace: String?, name: String, type: PatchType, _ patch: JSON,
               subresource: String?) async throws(ClientError) -> JSON
    /// Returns what the server answered: the object while finalizers hold it, or a Status.
    @discardableResult
    func delete(_ resource: Resource, namespace: String?, name: String, options: DeleteOptions) async throws(ClientError) -> JSON
}

extension ClusterWriter {
    public func update(_ resource: Resource, _ object: JSON) async throws(ClientError) -> JSON {
        try await update(resource, object, subresource: nil)
    }

    public func updateStatus(_ resource: Resource, _ object: JSON) async throws(ClientError) -> JSON {
        try await update(resource, object, subresource: "status")
    }

    public func patch(_ resource: Resource, namespace: String?, name: String, type: PatchType, _ patch: JSON) async throws(ClientError) -> JSON {
        try await self.patch(resource, namespace: namespace, name: name, type: type, patch, subresource: nil)
    }

    @discardableResult
    public func delete(_ resource: Resource, namespace: String?, name: String) async throws(ClientError) -> JSON {
        try await delete(resource, namespace: namespace, name: name, options: DeleteOptions())
    }
}

/// metav1.DeleteOptions, the parts controllers use.
public struct DeleteOptions: Sendable, Equatable {
    public var propagationPolicy: String?
    public var gracePeriodSeconds: Int?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?

    public init(propagationPolicy: String? = nil, gracePeriodSeconds: Int? = nil, preconditionUID: String? = nil,
                preconditionResourceVersion: String? = nil) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
    }

    /// The request body.
    public var json: JSON {
        var options: JSON = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { options["propagationPolicy"] = .string(propagationPolicy) }
        if let gracePeriodSeconds { options["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        var preconditions: JSON = [:]
        if let preconditionUID { preconditions["uid"] = .string(preconditionUID) }
        if let preconditionResourceVersion { preconditions["resourceVersion"] = .string(preconditionResourceVersion) }
        if preconditions != [:] { options["preconditions"] = preconditions }
        return options
    }
}

/// Where control loops report what they did, as core/v1 Events (`type` is Normal or Warning).
public protocol EventSink: Sendable {
    func record(_ object: JSON, type: String, reason: String, message: String) async
}
