import ApusMachinery
import ApusValidation

/// The strategy of one kind, assembled from parts: the name rule, the status handling, the defaults
/// and the selectable fields. Most kinds differ only in those, so they are configuration here.
public struct KindStrategy: ResourceStrategy {
    public enum StatusOnCreate: Sendable { case keep, clear }

    public var group: String
    public var kind: String
    public var namespaced: Bool
    public var nameRule: NameRule
    public var tracksGeneration: Bool
    public var hasStatusSubresource: Bool
    public var statusOnCreate: StatusOnCreate
    public var allowCreateOnUpdate: Bool
    public var selectableFields: [String]
    /// Write defaults, applied on create and on every update (Kubernetes defaults on decode).
    public var defaults: @Sendable (inout JSON, WriteContext) async throws(APIError) -> Void
    /// Extra create-time preparation (status for new pods, allocation for services).
    public var onCreate: @Sendable (inout JSON, WriteContext) async throws(APIError) -> Void
    /// Extra update-time preparation, given the stored object.
    public var onUpdate: @Sendable (inout JSON, JSON, WriteContext) async throws(APIError) -> Void

    public init(group: String, kind: String, namespaced: Bool, nameRule: NameRule = .dns1123Subdomain,
                tracksGeneration: Bool = true, hasStatusSubresource: Bool = false, statusOnCreate: StatusOnCreate = .keep,
                allowCreateOnUpdate: Bool = false, selectableFields: [String] = [],
                defaults: @escaping @Sendable (inout JSON, WriteContext) async throws(APIError) -> Void = { _, _ in },
                onCreate: @escaping @Sendable (inout JSON, WriteContext) async throws(APIError) -> Void = { _, _ in },
                onUpdate: @escaping @Sendable (inout JSON, JSON, WriteContext) async throws(APIError) -> Void = { _, _, _ in }) {
        self.group = group
        self.kind = kind
        self.namespaced = namespaced
        self.nameRule = nameRule
        self.tracksGeneration = tracksGeneration
        self.hasStatusSubresource = hasStatusSubresource
        self.statusOnCreate = statusOnCreate
        self.allowCreateOnUpdate = allowCreateOnUpdate
        self.selectableFields = selectableFields
        self.defaults = defaults
        self.onCreate = onCreate
        self.onUpdate = onUpdate
    }

    public func prepareForCreate(_ object: inout JSON, context: WriteContext) async throws(APIError) {
        if statusOnCreate == .clear, hasStatusSubresource { object["status"] = .null }
        try await defaults(&object, context)
        try await onCreate(&object, context)
    }

    public func prepareForUpdate(_ object: inout JSON, old: JSON, context: WriteContext) async throws(APIError) {
        if hasStatusSubresource { object["status"] = old["status"] }
        try await defaults(&object, context)
        try await onUpdate(&object, old, context)
    }

    public func validate(_ object: JSON) -> [FieldError] {
        ObjectMetaValidation.validate(object["metadata"], namespaced: namespaced, nameRule: nameRule)
            + KindValidation.validate(group: group, kind: kind, object: object)
    }

    /// Kubernetes decodes into typed structs first, so a wrong type is a 400 naming the Go field.
    public func decodeError(_ object: JSON) -> APIError? {
        guard let first = TypeCheck.check(group: group, kind: kind, object: object).first else { return nil }
        let version = object["apiVersion"].string ?? ""
        return APIError.badRequest("\(kind) in version \"\(version.split(separator: "/").last.map(String.init) ?? version)\" cannot be handled as a \(kind): \(first.detail)")
    }

    public func validateUpdate(_ object: JSON, old: JSON) -> [FieldError] {
        ObjectMetaValidation.validate(object["metadata"], namespaced: namespaced, nameRule: nameRule)
            + ObjectMetaValidation.validateUpdate(new: object["metadata"], old: old["metadata"])
            + KindValidation.validate(group: group, kind: kind, object: object)
            + KindValidation.validateUpdate(group: group, kind: kind, new: object, old: old)
    }

    public func fieldValue(_ field: String, of object: JSON) -> String? {
        value(atDottedPath: field, of: object)
    }
}

/// The strategy used for the status subresource of a kind: only `status` changes, everything else
/// is kept from the stored object (Kubernetes' ResetObjectMetaForStatus plus spec reset).
public struct StatusStrategy: ResourceStrategy {
    public let main: any ResourceStrategy

    public init(main: any ResourceStrategy) { self.main = main }

    public var tracksGeneration: Bool { main.tracksGeneration }

    public func prepareForUpdate(_ object: inout JSON, old: JSON, context: WriteContext) async throws(APIError) {
        var merged = old
        merged["status"] = object["status"]
        // Status writers may still set these metadata fields, as in Kubernetes.
        merged["metadata"]["resourceVersion"] = object["metadata"]["resourceVersion"]
        object = merged
    }

    public func validateUpdate(_ object: JSON, old: JSON) -> [FieldError] {
        TypeCheckStatus.check(object)
    }
}

/// The minimal type sanity a status write needs: status must be an object when present.
enum TypeCheckStatus {
    static func check(_ object: JSON) -> [FieldError] {
        switch object["status"] {
        case .null, .object: return []
        default: return [FieldError(.typeInvalid, field: "status", detail: "must be an object")]
        }
    }
}
