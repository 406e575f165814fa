import ApusMachinery

/// Lenient field access for printing: a missing or mistyped field reads as Go's zero value,
/// because printers must never fail on odd objects.
enum Read {
    static func string(_ value: JSON, _ path: String...) -> String {
        value[path: path].string ?? ""
    }

    /// The string at `path`, or nil when it is absent or not a string (Go's `*string`).
    static func optionalString(_ value: JSON, _ path: String...) -> String? {
        value[path: path].string
    }

    static func int(_ value: JSON, _ path: String...) -> Int64 {
        value[path: path].int ?? 0
    }

    static func optionalInt(_ value: JSON, _ path: String...) -> Int64? {
        value[path: path].int
    }

    static func bool(_ value: JSON, _ path: String...) -> Bool {
        value[path: path].bool ?? false
    }

    static func array(_ value: JSON, _ path: String...) -> [JSON] {
        value[path: path].array ?? []
    }

    static func object(_ value: JSON, _ path: String...) -> JSONObject {
        value[path: path].object ?? [:]
    }

    /// A map of strings (labels, annotations, selectors); non-string values are skipped.
    static func stringMap(_ value: JSON, _ path: String...) -> [String: String] {
        var result: [String: String] = [:]
        for (key, item) in value[path: path].object ?? [:] {
            if let text = item.string { result[key] = text }
        }
        return result
    }

    /// Whether a member is present with a non-null value (Go's non-nil pointer).
    static func isSet(_ value: JSON, _ path: String...) -> Bool {
        !value[path: path].isNull
    }

    static func name(_ object: JSON) -> String { string(object, "metadata", "name") }

    /// The object's age as Kubernetes' Age column prints it.
    static func age(_ object: JSON, now: Double) -> String {
        TablePrinters.timeSince(object["metadata"]["creationTimestamp"], now: now)
    }

    /// Whether the object is being deleted (`metadata.deletionTimestamp` is set).
    static func isDeleting(_ object: JSON) -> Bool { isSet(object, "metadata", "deletionTimestamp") }

    /// The status of the first condition of `type` in `conditions`, if any.
    static func condition(_ conditions: [JSON], type: String) -> JSON? {
        conditions.first { $0["type"].string == type }
    }
}
