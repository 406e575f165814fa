import ApusManagedFields
import ApusMachinery
import ApusStorage
import Foundation

extension Store {
    /// The characters Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
    static let nameSuffixAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func generateName(_ base: String) -> String {
        let trimmed = base.count > 58 ? String(base.prefix(58)) : base
        return trimmed + String((0..<5).map { _ in nameSuffixAlphabet.randomElement()! })
    }

    static func newUID() -> String { UUID().uuidString.lowercased() }

    /// Kubernetes never stores an empty `ownerReferences`, `finalizers`, `labels` or `annotations`
    /// (they are omitempty): a patch that removes the last element removes the field.
    static func dropEmptyMetadataLists(_ object: inout JSON) {
        for field in ["ownerReferences", "finalizers", "labels", "annotations"] {
            switch object["metadata"][field] {
            case .array(let items) where items.isEmpty: object[path: ["metadata", field]] = .null
            case .object(let members) where members.isEmpty: object[path: ["metadata", field]] = .null
            default: break
            }
        }
    }

    /// Objects may be created only in a namespace that exists and is not being deleted.
    func checkNamespaceAccepts(_ def: ResourceDefinition, _ namespace: String?) async throws(APIError) {
        guard def.namespaced, let namespace else { return }
        guard let ns = await cache.get("/registry/core/namespaces/\(namespace)") else {
            throw APIError.notFound(GroupResource(group: "", resource: "namespaces"), name: namespace)
        }
        let object = ns.object
        if object["status"]["phase"].string == "Terminating" || !object["metadata"]["deletionTimestamp"].isNull {
            throw APIError(code: 403, reason: "Forbidden",
                           message: "\(def.resource) \"\(ns.name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                           details: .init(name: ns.name, group: def.group, kind: def.resource,
                                          causes: [.init(reason: "NamespaceTerminating", message: "namespace \(namespace) is being terminated", field: "metadata.namespace")]))
        }
    }

    /// Creates an object; returns it as stored (with resourceVersion).
    public func create(_ def: ResourceDefinition, namespace: String?, body: JSON, options: WriteOptions) async throws(APIError) -> JSON {
        if let conversion = def.conversion { return try await createConverted(def, conversion, namespace: namespace, body: body, options: options) }
        guard case .object = body else { throw APIError.badRequest("the body of the request must be a JSON object") }
        var object = body
        try checkTypeMeta(def, &object)
        var metadata = object["metadata"]
        if case .object = metadata {} else if !metadata.isNull {
            throw APIError.badRequest("metadata must be an object")
        }
        // Namespace: from the URL; a different one in the body is an error, as in Kubernetes.
        if def.namespaced {
            if let bodyNamespace = metadata["namespace"].string, !bodyNamespace.isEmpty, bodyNamespace != namespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            if let namespace { metadata["namespace"] = .string(namespace) }
        } else {
            metadata["namespace"] = .null
        }
        if (metadata["name"].string ?? "").isEmpty, let base = metadata["generateName"].string, !base.isEmpty {
            metadata["name"] = .string(Self.generateName(base))
        }
        let now = clock.now()
        metadata["uid"] = .string(Self.newUID())
        metadata["creationTimestamp"] = .string(Timestamp.rfc3339(now))
        metadata["resourceVersion"] = .null
        metadata["deletionTimestamp"] = .null
        metadata["deletionGracePeriodSeconds"] = .null
        metadata["selfLink"] = .null
        metadata["generation"] = def.strategy.tracksGeneration ? .int(1) : .null
        object["metadata"] = metadata
        Self.dropEmptyMetadataLists(&object)
        let name = metadata["name"].string ?? ""

        if let error = def.strategy.decodeError(object) { throw error }
        // Read the namespace and the name as of the latest write (a namespace created or deleted just
        // before must be seen).
        try await consistentCache()
        try await checkNamespaceAccepts(def, namespace)
        // An existing name is reported as such before any allocation (service IPs, node ports) is tried.
        if await cache.get(def.key(namespace: namespace, name: name)) != nil {
            throw APIError.alreadyExists(def.groupResource, name: name)
        }
        let context = WriteContext(namespace: namespace, now: now, allocator: allocator, dryRun: options.dryRun, cache: cache)
        try await def.strategy.prepareForCreate(&object, context: context)
        let errors = def.strategy.validate(object)
        if !errors.isEmpty { throw APIError.invalid(kind: def.kind, group: def.group, name: name, errors: errors) }
        if options.tracksManagedFields, let manager = options.fieldManager, !manager.isEmpty {
            object = fieldManager(def, options).update(live: nil, new: object, manager: manager, now: Timestamp.rfc3339(now))
        }
        if options.dryRun { return object }
        let revision: Int64
        do {
            revision = try await backend.create(def.key(namespace: namespace, name: name), value: object.serialized())
        } catch {
            throw Self.map(error, def, name: name)
        }
        object[path: ["metadata", "resourceVersion"]] = .string(String(revision))
        return object
    }

    /// Fills kind and apiVersion when absent, and rejects a body of another kind.
    func checkTypeMeta(_ def: ResourceDefinition, _ object: inout JSON) throws(APIError) {
        if let kind = object["kind"].string, !kind.isEmpty, kind != def.kind {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(def.kind)): object of kind \(kind)")
        }
        if let apiVersion = object["apiVersion"].string, !apiVersion.isEmpty {
            let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
            if group != def.group {
                throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(def.groupVersion))")
            }
        }
        object["kind"] = .string(def.kind)
        object["apiVersion"] = .string(def.groupVersion)
    }
}
