import ApusMachinery

/// One object as the cache keeps it: the serialized bytes with `metadata.resourceVersion` already
/// set, plus the attributes selectors need, so lists and watches never parse.
///
/// The cache holds every object of the cluster, so the selector attributes are kept as arrays: a
/// dictionary per object cost about as much memory as the object's bytes.
public struct CachedObject: Sendable {
    public let key: String
    public let bytes: [UInt8]
    public let revision: Int64
    public let namespace: String
    public let name: String
    /// The labels as key/value pairs (an object has few).
    let labelPairs: [LabelPair]
    /// The kind's selectable fields (one array shared by all its objects) and this object's values
    /// for them, in the same order.
    let fieldNames: [String]
    let fieldValues: [String]

    struct LabelPair: Sendable {
        let key: String
        let value: String
    }

    public var object: JSON { (try? JSON.parse(bytes)) ?? .null }

    public func label(_ key: String) -> String? { labelPairs.first { $0.key == key }?.value }

    public var labels: [String: String] {
        Dictionary(labelPairs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The value a field selector compares (`""` for a field the kind does not have).
    public func field(_ name: String) -> String {
        switch name {
        case "metadata.name": return self.name
        case "metadata.namespace": return namespace
        default: return fieldNames.firstIndex(of: name).map { fieldValues[$0] } ?? ""
        }
    }
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
        let labels = (metadata["labels"].object ?? [:]).map { CachedObject.LabelPair(key: $0.key, value: $0.value.string ?? "") }
        let namespace = metadata["namespace"].string ?? ""
        let name = metadata["name"].string ?? ""
        var fieldNames: [String] = []
        var fieldValues: [String] = []
        if let info = fieldsForKey(key) {
            fieldNames = info.fields
            fieldValues = info.fields.map { info.strategy.fieldValue($0, of: object) ?? "" }
        }
        return CachedObject(key: key, bytes: Self.exactCopy(object.serialized()), revision: revision, namespace: namespace, name: name,
                            labelPairs: labels, fieldNames: fieldNames, fieldValues: fieldValues)
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
