/// What a strategic merge patch needs to know about an object's fields: how each list merges, and which
/// fields carry the `retainKeys` strategy. Kubernetes reads this from the `patchStrategy` and
/// `patchMergeKey` struct tags of its Go types; Apus keeps it as tables keyed by field path.
///
/// A path lists member names from the object root and skips array levels, so the ports of every
/// container of a Deployment are `["spec", "template", "spec", "containers", "ports"]`.
public struct PatchSchema: Sendable, Equatable {
    /// How a list merges with the list it patches.
    public enum ListStrategy: Sendable, Equatable {
        /// The patch list replaces the list whole (the default, as for `args` or `tolerations`).
        case replace
        /// Lists of objects merge item by item, matched on `key`; lists of scalars (`key == nil`,
        /// e.g. `metadata.finalizers`) merge as a set union.
        case merge(key: String?)
    }

    /// The strategies of one field.
    public struct Field: Sendable, Equatable {
        public var list: ListStrategy
        /// Set for fields tagged `retainKeys` (a Deployment's `spec.strategy`, pod `volumes`). Kubernetes
        /// only uses it when computing patches; applying honours any `$retainKeys` directive it finds.
        public var retainKeys: Bool

        public init(list: ListStrategy = .replace, retainKeys: Bool = false) {
            self.list = list
            self.retainKeys = retainKeys
        }
    }

    private var fields: [[String]: Field]

    public init(fields: [[String]: Field] = [:]) {
        self.fields = fields
    }

    /// No field known: maps merge, lists are replaced.
    public static let empty = PatchSchema()

    public func field(at path: [String]) -> Field {
        fields[path] ?? Field()
    }

    public func listStrategy(at path: [String]) -> ListStrategy {
        field(at: path).list
    }

    /// The merge key of the list at `path`, or nil when that list is replaced or is a set of scalars.
    public func mergeKey(at path: [String]) -> String? {
        if case .merge(let key) = listStrategy(at: path) { return key }
        return nil
    }

    public func retainsKeys(at path: [String]) -> Bool {
        field(at: path).retainKeys
    }

    /// This schema with one more field.
    public func adding(_ list: ListStrategy, at path: [String], retainKeys: Bool = false) -> PatchSchema {
        var copy = self
        copy.fields[path] = Field(list: list, retainKeys: retainKeys)
        return copy
    }

    /// This schema with all fields of `other`, placed under `prefix` (later entries win).
    public func including(_ other: PatchSchema, under prefix: [String] = []) -> PatchSchema {
        var copy = self
        for (path, field) in other.fields {
            copy.fields[prefix + path] = field
        }
        return copy
    }
}
