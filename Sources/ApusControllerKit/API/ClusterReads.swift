import ApusMachinery

/// What a control loop reads: one resource's cached objects (an informer's cache in a running
/// server, a seeded cache in tests). Keys are `namespace/name`, or `name` for cluster-scoped objects.
public protocol ObjectLister: Sendable {
    func get(_ key: String) async -> JSON?
    func list() async -> [JSON]
    func list(namespace: String) async -> [JSON]
}

extension ObjectLister {
    public func get(namespace: String?, name: String) async -> JSON? {
        await get(ObjectKey.make(namespace: namespace, name: name))
    }

    /// The object of `kind` that `dependent`'s controller reference names, in the dependent's
    /// namespace, if it is still that object (same uid): Kubernetes' resolveControllerRef.
    public func controller(of dependent: JSON, kind: String) async -> JSON? {
        guard let reference = OwnerReferences.controller(of: dependent), reference["kind"].string == kind,
              let name = reference["name"].string,
              let owner = await get(namespace: dependent["metadata"]["namespace"].string, name: name),
              (owner["metadata"]["uid"].string ?? "") == reference["uid"].string else { return nil }
        return owner
    }
}

/// How objects are keyed in caches and work queues.
public enum ObjectKey {
    public static func make(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return namespace + "/" + name
    }

    public static func of(_ object: JSON) -> String {
        make(namespace: object["metadata"]["namespace"].string, name: object["metadata"]["name"].string ?? "")
    }

    /// The namespace (empty for cluster-scoped keys) and name of a key.
    public static func split(_ key: String) -> (namespace: String, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return ("", key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }
}
