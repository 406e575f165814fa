import ApusMachinery

/// An object's coordinates as the collector knows them (Kubernetes' objectReference): the owner
/// reference fields plus the namespace. Observed objects take apiVersion from their informer's
/// resource; virtual ones take everything from a dependent's owner reference.
struct GarbageCollectorIdentity: Hashable, Sendable, CustomStringConvertible {
    var apiVersion: String
    var kind: String
    var name: String
    var uid: String
    var namespace: String

    /// Kubernetes' rendering, used in event messages.
    var description: String { "[\(apiVersion)/\(kind), namespace: \(namespace), name: \(name), uid: \(uid)]" }

    /// Ordering used to pick an alternate identity deterministically: kind, apiVersion, namespace,
    /// name, uid, most significant first.
    static func ordered(_ a: Self, before b: Self) -> Bool {
        if a.kind != b.kind { return a.kind < b.kind }
        if a.apiVersion != b.apiVersion { return a.apiVersion < b.apiVersion }
        if a.namespace != b.namespace { return a.namespace < b.namespace }
        if a.name != b.name { return a.name < b.name }
        return a.uid < b.uid
    }
}

/// One entry of metadata.ownerReferences, keeping the entry as sent (for patches and for the
/// "did the references change" comparisons, which compare whole entries).
struct GarbageCollectorOwnerReference: Equatable, Sendable {
    var raw: JSON

    var apiVersion: String { raw["apiVersion"].string ?? "" }
    var kind: String { raw["kind"].string ?? "" }
    var name: String { raw["name"].string ?? "" }
    var uid: String { raw["uid"].string ?? "" }
    var blocksOwnerDeletion: Bool { raw["blockOwnerDeletion"].bool == true }

    /// The references of an object, in order (entries without a uid cannot name anything).
    static func all(of object: JSON) -> [Self] {
        (object["metadata"]["ownerReferences"].array ?? []).compactMap { entry in
            guard let uid = entry["uid"].string, !uid.isEmpty else { return nil }
            return GarbageCollectorOwnerReference(raw: entry)
        }
    }

    /// The identity the reference points at, read in the dependent's namespace.
    func identity(inNamespace namespace: String) -> GarbageCollectorIdentity {
        GarbageCollectorIdentity(apiVersion: apiVersion, kind: kind, name: name, uid: uid, namespace: namespace)
    }

    /// Same uid, name, kind and apiVersion (the namespace is not part of a reference).
    func matchesCoordinates(of identity: GarbageCollectorIdentity) -> Bool {
        uid == identity.uid && name == identity.name && kind == identity.kind && apiVersion == identity.apiVersion
    }
}

/// Object metadata the collector reads, with Kubernetes' finalizer names.
enum GarbageCollectorMetadata {
    static let foregroundFinalizer = "foregroundDeletion"
    static let orphanFinalizer = "orphan"

    static func uid(_ object: JSON) -> String? {
        guard let uid = object["metadata"]["uid"].string, !uid.isEmpty else { return nil }
        return uid
    }

    static func isBeingDeleted(_ object: JSON) -> Bool { !object["metadata"]["deletionTimestamp"].isNull }

    static func finalizers(_ object: JSON) -> [String] {
        (object["metadata"]["finalizers"].array ?? []).compactMap(\.string)
    }

    static func hasFinalizer(_ object: JSON, _ finalizer: String) -> Bool { finalizers(object).contains(finalizer) }

    /// The object is being deleted with `finalizer`, and was not (or had not the finalizer) before.
    static func deletionStarts(old: JSON?, new: JSON, with finalizer: String) -> Bool {
        guard isBeingDeleted(new), hasFinalizer(new, finalizer) else { return false }
        guard let old else { return true }
        return !isBeingDeleted(old) || !hasFinalizer(old, finalizer)
    }
}
