/// Lookup into the type model of the built-in kinds.
public enum KindSchemas {
    /// The type of a kind's objects, or nil for a kind the model does not know (custom resources).
    public static func root(group: String, version: String, kind: String) -> TypeRef? {
        rootsByKind[GroupVersionKind(group: group, version: version, kind: kind)]
    }

    public static func descriptor(_ ref: TypeRef) -> TypeDescriptor? {
        descriptorsByName[ref]
    }

    /// Every kind the model knows, in table order.
    public static var allKinds: [GroupVersionKind] { SchemaTables.everyKind.map(\.gvk) }

    /// The kinds of one group-version ("v1", "apps/v1").
    public static func kinds(groupVersion: String) -> [GroupVersionKind] {
        SchemaTables.everyKind.map(\.gvk).filter { $0.groupVersion == groupVersion }
    }

    /// The kinds whose objects have this type (for `x-kubernetes-group-version-kind`).
    public static func kinds(of ref: TypeRef) -> [GroupVersionKind] {
        kindsByType[ref] ?? []
    }

    static let descriptorsByName: [TypeRef: TypeDescriptor] = {
        var index: [TypeRef: TypeDescriptor] = [:]
        for table in SchemaTables.everyTable {
            for descriptor in table { index[descriptor.ref] = descriptor }
        }
        return index
    }()

    static let rootsByKind: [GroupVersionKind: TypeRef] =
        Dictionary(SchemaTables.everyKind.map { ($0.gvk, $0.type) }, uniquingKeysWith: { first, _ in first })

    static let kindsByType: [TypeRef: [GroupVersionKind]] =
        Dictionary(grouping: SchemaTables.everyKind, by: \.type).mapValues { $0.map(\.gvk) }
}
