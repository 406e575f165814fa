import ApusMachinery

/// The set of resources served right now: the built-in ones plus those that stored
/// CustomResourceDefinitions define. Lookups are by group/version/resource as URLs name them.
public actor ResourceCatalog {
    private var builtin: [ResourceDefinition]
    private var custom: [String: [ResourceDefinition]] = [:]  // by CRD name
    private var index: [String: ResourceDefinition] = [:]
    private var snapshotCache: [ResourceDefinition]?
    /// Changes whenever the set changes, so discovery and OpenAPI documents get new hashes.
    public private(set) var generation = 0

    public init(builtin: [ResourceDefinition]) {
        self.builtin = builtin
        self.index = Self.makeIndex(builtin)
    }

    private static func indexKey(_ group: String, _ version: String, _ resource: String) -> String {
        "\(group)/\(version)/\(resource)"
    }

    private static func makeIndex(_ defs: [ResourceDefinition]) -> [String: ResourceDefinition] {
        var index: [String: ResourceDefinition] = [:]
        for def in defs { index[indexKey(def.group, def.version, def.resource)] = def }
        return index
    }

    private func rebuildIndex() {
        index = Self.makeIndex(builtin + custom.values.flatMap { $0 })
        snapshotCache = nil
        generation += 1
    }

    public func lookup(group: String, version: String, resource: String) -> ResourceDefinition? {
        index[Self.indexKey(group, version, resource)]
    }

    /// Every served definition, built-in first, in a stable order.
    public func all() -> [ResourceDefinition] {
        if let snapshotCache { return snapshotCache }
        let all = builtin + custom.keys.sorted().flatMap { custom[$0]! }
        snapshotCache = all
        return all
    }

    /// Serves (or stops serving) the resources of a CRD as it is now stored.
    public func apply(crd: JSON, deleted: Bool) {
        guard let name = crd["metadata"]["name"].string else { return }
        if deleted {
            custom.removeValue(forKey: name)
        } else {
            custom[name] = CustomResources.definitions(from: crd)
        }
        rebuildIndex()
    }
}
