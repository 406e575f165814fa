import ApusMachinery

/// One `metadata.managedFields` entry: who (manager, operation, subresource), through which API
/// version, when, and the fields it owns.
public struct ManagedFieldsEntry: Sendable, Equatable {
    public enum Operation: String, Sendable {
        case apply = "Apply"
        case update = "Update"
    }

    public var manager: String
    public var operation: Operation
    public var apiVersion: String
    public var subresource: String
    public var time: String?
    public var fields: FieldSet

    public init(manager: String, operation: Operation, apiVersion: String, subresource: String = "", time: String?,
                fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.subresource = subresource
        self.time = time
        self.fields = fields
    }

    /// Entries are one per identity. Appliers keep theirs across API versions; updaters have one per
    /// version, as Kubernetes keys them.
    public struct Identity: Hashable, Sendable {
        var manager: String
        var operation: Operation
        var subresource: String
        var apiVersion: String
    }

    public var identity: Identity {
        Identity(manager: manager, operation: operation, subresource: subresource,
                 apiVersion: operation == .apply ? "" : apiVersion)
    }

    public var json: JSON {
        var entry: JSON = [
            "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { entry["time"] = .string(time) }
        if !subresource.isEmpty { entry["subresource"] = .string(subresource) }
        return entry
    }

    init?(json: JSON) {
        guard let manager = json["manager"].string, let operation = json["operation"].string.flatMap(Operation.init(rawValue:)),
              let fields = json["fieldsV1"].isNull ? FieldSet() : FieldSet(fieldsV1: json["fieldsV1"]) else { return nil }
        self.init(manager: manager, operation: operation, apiVersion: json["apiVersion"].string ?? "",
                  subresource: json["subresource"].string ?? "", time: json["time"].string, fields: fields)
    }

    /// Reads `metadata.managedFields`; entries that cannot be read are dropped, as Kubernetes resets
    /// managed fields it cannot decode.
    public static func entries(of object: JSON) -> [ManagedFieldsEntry] {
        (object["metadata"]["managedFields"].array ?? []).compactMap(ManagedFieldsEntry.init(json:))
    }

    /// The entries in Kubernetes' order: appliers first, then by time, manager, version, subresource.
    public static func encode(_ entries: [ManagedFieldsEntry]) -> JSON {
        let sorted = entries.sorted { a, b in
            if a.operation != b.operation { return a.operation == .apply }
            if (a.time ?? "") != (b.time ?? "") { return (a.time ?? "") < (b.time ?? "") }
            if a.manager != b.manager { return a.manager < b.manager }
            if a.apiVersion != b.apiVersion { return a.apiVersion < b.apiVersion }
            return a.subresource < b.subresource
        }
        return .array(sorted.map(\.json))
    }
}
