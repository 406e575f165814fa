import ApusMachinery
import ApusStorage
import Foundation
import Logging

/// The one generic store behind every resource: reads from the watch cache, writes through the
/// backend with compare-and-swap, and asks the resource's strategy for everything kind-specific.
public struct Store: Sendable {
    public let backend: any KeyValueBackend
    public let cache: WatchCache
    public let clock: any WallClock
    public let allocator: ServiceAllocator?
    let logger: Logger
    /// How long a request for a revision the cache has not reached waits (kube-apiserver: 3 s).
    static let futureRevisionWait = 3.0

    public init(backend: any KeyValueBackend, cache: WatchCache, clock: any WallClock, allocator: ServiceAllocator?, logger: Logger) {
        self.backend = backend
        self.cache = cache
        self.clock = clock
        self.allocator = allocator
        self.logger = logger
    }

    // MARK: Reads

    /// Waits until the cache reflects every committed write, so reads after a write see it.
    func consistentCache() async throws(APIError) {
        let target: Int64
        do { target = try await backend.currentRevision() } catch { throw Self.map(error, nil, name: "") }
        await cache.waitFor(target)
    }

    public func get(_ def: ResourceDefinition, namespace: String?, name: String) async throws(APIError) -> CachedObject {
        try await consistentCache()
        guard let object = await cache.get(def.key(namespace: namespace, name: name)) else {
            throw APIError.notFound(def.groupResource, name: name)
        }
        return object.served(by: def)
    }

    /// Checks that every field in the selector is one the kind supports.
    func checkFieldSelector(_ def: ResourceDefinition, _ selector: FieldSelector) throws(APIError) {
        for requirement in selector.requirements {
            let field = requirement.field
            if field == "metadata.name" || field == "metadata.namespace" { continue }
            if !def.strategy.selectableFields.contains(field) {
                throw APIError.badRequest("field label not supported: \(field)")
            }
        }
    }

    static func matcher(_ options: ListOptions) -> @Sendable (CachedObject) -> Bool {
        let labels = options.labelSelector
        let fields = options.fieldSelector
        return { object in
            (labels.isEmpty || labels.matches(label: object.label)) && (fields.isEmpty || fields.matches(field: object.field))
        }
    }

    public func list(_ def: ResourceDefinition, namespace: String?, options: ListOptions) async throws(APIError) -> ListPage {
        if let conversion = def.conversion { return try await listConverted(def, conversion, namespace: namespace, options: options) }
        try checkFieldSelector(def, options.fieldSelector)
        let matches = Self.matcher(options)
        var prefix = def.listPrefix(namespace: namespace)
        if def.namespaced, namespace == nil, let ns = options.fieldSelector.requiredValue("metadata.namespace") {
            prefix = def.listPrefix(namespace: ns)
        }
        if let token = options.continueToken, !token.isEmpty {
            return try await continueList(def, prefix: prefix, token: token, limit: options.limit, matches: matches)
        }
        if options.resourceVersion != "0" { try await consistentCache() }
        if let rv = options.resourceVersion, let wanted = Int64(rv), wanted > 0,
           !(await cache.waitFor(wanted, seconds: Self.futureRevisionWait)) {
            throw APIError.timeout("Too large resource version: \(wanted), current: \(await cache.revision)")
        }
        let (items, revision) = await cache.list(prefix: prefix, filter: matches)
        if options.limit > 0, items.count > options.limit {
            let page = Array(items.prefix(options.limit))
            let token = ContinueToken(revision: revision, startAfter: page.last!.key).encoded
            let remaining = options.labelSelector.isEmpty && options.fieldSelector.isEmpty ? Int64(items.count - options.limit) : nil
            return ListPage(items: page, resourceVersion: String(revision), continueToken: token, remainingItemCount: remaining)
        }
        return ListPage(items: items, resourceVersion: String(revision), continueToken: nil, remainingItemCount: nil)
    }

    /// Later pages come from the backend at the first page's revision, so the whole list is one
    /// consistent snapshot, as with etcd.
    private func continueList(_ def: ResourceDefinition, prefix: String, token: String, limit: Int,
                              matches: @Sendable (CachedObject) -> Bool) async throws(APIError) -> ListPage {
        guard let parsed = ContinueToken(encoded: token), parsed.startAfter.hasPrefix(prefix) else {
            throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        let decoder = ObjectDecoder.forDefinition(def)
        var collected: [CachedObject] = []
        var cursor = parsed.startAfter
        var more = true
        while more && (limit == 0 || collected.count <= limit) {
            let result: ListResult
            do {
                result = try await backend.list(prefix: prefix, atRevision: parsed.revision, startAfter: cursor, limit: limit == 0 ? 0 : max(limit, 100))
            } catch StorageError.compacted {
                throw APIError.expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
            } catch {
                throw Self.map(error, def, name: "")
            }
            for item in result.items {
                if let object = decoder.decode(key: item.key, value: item.value, revision: item.modRevision), matches(object) {
                    collected.append(object)
                }
            }
            more = result.hasMore
            guard let last = result.items.last else { break }
            cursor = last.key
        }
        if limit > 0, collected.count > limit {
            let page = Array(collected.prefix(limit))
            return ListPage(items: page, resourceVersion: String(parsed.revision),
                            continueToken: ContinueToken(revision: parsed.revision, startAfter: page.last!.key).encoded, remainingItemCount: nil)
        }
        return ListPage(items: collected, resourceVersion: String(parsed.revision), continueToken: nil, remainingItemCount: nil)
    }

    // MARK: Watch

    /// Events for the resource after the requested revision, filtered by the selectors; an object that
    /// stops matching is reported DELETED to this watcher, one that starts matching ADDED.
    public func watch(_ def: ResourceDefinition, namespace: String?, options: ListOptions) async throws(APIError) -> (initial: [WatchEvent], events: AsyncStream<WatchEvent>) {
        if let conversion = def.conversion { return try await watchConverted(def, conversion, namespace: namespace, options: options) }
        try checkFieldSelector(def, options.fieldSelector)
        let matches = Self.matcher(options)
        let prefix = def.listPrefix(namespace: namespace)
        var initial: [WatchEvent] = []
        let from: Int64
        let rv = options.resourceVersion ?? ""
        if rv.isEmpty || rv == "0" {
            // No version: the current state first, as synthetic ADDED events.
            if rv.isEmpty { try await consistentCache() }
            let (items, revision) = await cache.list(prefix: prefix, filter: matches)
            initial = items.map { WatchEvent(kind: .added, objectBytes: $0.bytes) }
            from = revision
        } else {
            guard let parsed = Int64(rv), parsed >= 0 else {
                throw APIError.badRequest("invalid resource version: \(rv)")
            }
            // A watch starts only once the cache has reached its revision, so nothing at or before
            // it is delivered.
            if !(await cache.waitFor(parsed, seconds: Self.futureRevisionWait)) {
                throw APIError.timeout("Too large resource version: \(parsed), current: \(await cache.revision)")
            }
            from = parsed
        }
        let source = try await cache.watch(prefix: prefix, from: from)
        let stream = AsyncStream<WatchEvent> { continuation in
            let task = Task {
                for await event in source {
                    let now = matches(event.object)
                    let before = event.previous.map(matches) ?? false
                    switch event.kind {
                    case .added where now:
                        continuation.yield(WatchEvent(kind: .added, objectBytes: event.object.bytes))
                    case .modified:
                        if now && before { continuation.yield(WatchEvent(kind: .modified, objectBytes: event.object.bytes)) }
                        else if now { continuation.yield(WatchEvent(kind: .added, objectBytes: event.object.bytes)) }
                        else if before, let previous = event.previous {
                            // As kube-apiserver's cacher: the object as it last matched, at this revision.
                            var last = previous.object
                            last[path: ["metadata", "resourceVersion"]] = .string(String(event.revision))
                            continuation.yield(WatchEvent(kind: .deleted, objectBytes: last.serialized()))
                        }
                    case .deleted where before || now:
                        continuation.yield(WatchEvent(kind: .deleted, objectBytes: event.object.bytes))
                    default: break
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return (initial, stream)
    }

    public func currentRevision() async -> Int64 { await cache.revision }

    // MARK: Errors

    static func map(_ error: any Error, _ def: ResourceDefinition?, name: String) -> APIError {
        if let apiError = error as? APIError { return apiError }
        let resource = def?.groupResource ?? GroupResource(group: "", resource: "")
        switch error as? StorageError {
        case .keyExists: return .alreadyExists(resource, name: name)
        case .keyNotFound: return .notFound(resource, name: name)
        case .conflict: return .conflict(resource, name: name)
        case .compacted(let requested, let compacted):
            return .expired("too old resource version: \(requested) (\(compacted))")
        case .futureRevision(let requested, _):
            return .timeout("Too large resource version: \(requested)")
        case .unavailable(let message): return .serviceUnavailable("storage unavailable: \(message)")
        case nil: return .internalError("\(error)")
        }
    }
}

extension ObjectDecoder {
    /// A decoder for one resource's objects.
    static func forDefinition(_ def: ResourceDefinition) -> ObjectDecoder {
        ObjectDecoder { _ in (def.keyPrefix, def.strategy.selectableFields, def.strategy) }
    }
}

/// `?continue=` tokens: the list's revision and the last key returned, base64-encoded JSON as in
/// Kubernetes (the exact layout is the server's own business).
struct ContinueToken {
    var revision: Int64
    var startAfter: String

    init(revision: Int64, startAfter: String) {
        self.revision = revision
        self.startAfter = startAfter
    }

    init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let json = try? JSON.parse([UInt8](data)),
              let rv = json["rv"].int, let start = json["start"].string else { return nil }
        revision = rv
        startAfter = start
    }

    var encoded: String {
        let json: JSON = ["v": "meta.k8s.io/v1", "rv": .int(revision), "start": .string(startAfter)]
        return Data(json.serialized()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
