import ApusMachinery

/// One object as the cache keeps it: the serialized bytes with `metadata.resourceVersion` already
/// set, plus the attributes selectors need, so lists and watches never parse.
public struct CachedObject: Sendable {
    public let key: String
    public let bytes: [UInt8]
    public let revision: Int64
    public let namespace: String
    public let name: String
    public let labels: [String: String]
    /// Field-selector values, filled for the fields the kind supports.
    public let fields: [String: String]

    public var object: JSON { (try? JSON.parse(bytes)) ?? .null }
}

/// A change as the cache publishes it to watchers.
public struct CacheEvent: Sendable {
    public enum Kind: Sendable { case added, modified, deleted }
    public let kind: Kind
    public let object: CachedObject
    /// The object before the change (modifications and deletions), for selector transitions.
    public let previous: CachedObject?
    public var revision: Int64 { object.revision }
}

/// Turns stored bytes into cached objects; given by the registry, which knows each kind's fields.
public struct ObjectDecoder: Sendable {
    let fieldsForKey: @Sendable (String) -> (prefix: String, fields: [String], strategy: any ResourceStrategy)?

    func decode(key: String, value: [UInt8], revision: Int64) -> CachedObject? {
        guard var object = try? JSON.parse(value) else { return nil }
        object[path: ["metadata", "resourceVersion"]] = .string(String(revision))
        let metadata = object["metadata"]
        var labels: [String: String] = [:]
        for (k, v) in metadata["labels"].object ?? [:] { labels[k] = v.string ?? "" }
        let namespace = metadata["namespace"].string ?? ""
        let name = metadata["name"].string ?? ""
        var fields = ["metadata.name": name, "metadata.namespace": namespace]
        if let info = fieldsForKey(key) {
            for field in info.fields { fields[field] = info.strategy.fieldValue(field, of: object) ?? "" }
        }
        return CachedObject(key: key, bytes: Self.exactCopy(object.serialized()), revision: revision, namespace: namespace, name: name,
                            labels: labels, fields: fields)
    }

    /// The serializer grows its buffer by doubling, so up to half of it is spare; a cached object
    /// lives long, so it keeps a copy of exactly its size.
    static func exactCopy(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.capacity > bytes.count + bytes.count / 16 else { return bytes }
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: bytes)
        }
    }
}
