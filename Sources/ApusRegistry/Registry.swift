import ApusMachinery
import ApusStorage
import Logging

/// The registry: the catalog of served resources and the generic store behind them, over one
/// backend and its watch cache.
public struct Registry: Sendable {
    public let catalog: ResourceCatalog
    public let store: Store
    public let cache: WatchCache
    let logger: Logger

    public init(backend: any KeyValueBackend, clock: any WallClock, serviceCIDR: String, admission: AdmissionSettings = AdmissionSettings(),
                logger: Logger) throws(APIError) {
        let builtin = BuiltinResources.all(admission: admission)
        let catalog = ResourceCatalog(builtin: builtin)
        // The decoder finds each key's field-selector data by its storage prefix. Only built-in kinds
        // have fields beyond metadata.name/namespace, so custom resources need no entry.
        let prefixes = PrefixTable(builtin)
        let decoder = ObjectDecoder { key in prefixes.lookup(key) }
        let cache = WatchCache(decoder: decoder, logger: logger)
        let servicePrefix = "/registry/core/services/"
        let allocator = try ServiceAllocator(cidr: serviceCIDR, clock: clock) { [cache] in
            var inUse = ServiceAllocator.InUse()
            for service in await cache.values(prefix: servicePrefix) {
                let spec = service.object["spec"]
                for ip in spec["clusterIPs"].array ?? [spec["clusterIP"]] {
                    if let text = ip.string, let value = IPv4.parse(text) { inUse.clusterIPs.insert(value) }
                }
                for port in spec["ports"].array ?? [] { if let p = port["nodePort"].int { inUse.nodePorts.insert(Int(p)) } }
            }
            return inUse
        }
        self.catalog = catalog
        self.cache = cache
        self.store = Store(backend: backend, cache: cache, clock: clock, allocator: allocator, logger: logger)
        self.logger = logger
    }

    /// Loads the cache from the backend. Call once before serving.
    public func load() async throws {
        try await cache.load(from: store.backend)
        // Serve the CRDs stored before this start.
        for crd in await cache.values(prefix: "/registry/apiextensions.k8s.io/customresourcedefinitions/") {
            await catalog.apply(crd: crd.object, deleted: false)
        }
    }

    /// Follows the backend and keeps the catalog in step with stored CRDs; runs until cancelled.
    public func run() async throws {
        let start = await cache.revision
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cache.follow(store.backend) }
            group.addTask { try await followCRDs(after: start) }
            try await group.next()
            group.cancelAll()
        }
    }

    private func followCRDs(after start: Int64) async throws {
        let prefix = "/registry/apiextensions.k8s.io/customresourcedefinitions/"
        let events = try await cache.watch(prefix: prefix, from: start)
        for await event in events {
            await catalog.apply(crd: event.object.object, deleted: event.kind == .deleted)
        }
    }
}

/// Maps a storage key to its definition's field-selector data, by the longest matching prefix.
struct PrefixTable: Sendable {
    let entries: [String: (prefix: String, fields: [String], strategy: any ResourceStrategy)]

    init(_ defs: [ResourceDefinition]) {
        var entries: [String: (prefix: String, fields: [String], strategy: any ResourceStrategy)] = [:]
        // Stored objects are in their storage version: converted definitions add nothing.
        for def in defs where def.conversion == nil {
            entries[def.keyPrefix] = (def.keyPrefix, def.strategy.selectableFields, def.strategy)
        }
        self.entries = entries
    }

    func lookup(_ key: String) -> (prefix: String, fields: [String], strategy: any ResourceStrategy)? {
        // Keys are /registry/<group>/<resource>/…: the prefix is the first three components.
        var slashes = 0
        var end = key.startIndex
        for index in key.indices where key[index] == "/" {
            slashes += 1
            if slashes == 4 { end = key.index(after: index); break }
        }
        return entries[String(key[..<end])]
    }
}
