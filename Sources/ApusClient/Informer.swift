import ApusControllerKit
import ApusMachinery
import Logging
import ServiceLifecycle

/// A local, always-current copy of one resource (as client-go's shared informer keeps it): lists,
/// then watches from the list's revision, resumes a broken watch where it stopped, and lists again
/// when the server has compacted past it (410). Readers get objects by key or by index; subscribers
/// get every change, starting with the objects already known.
public actor Informer: Service {
    public enum Change: Sendable {
        case added(JSON)
        case updated(old: JSON, new: JSON)
        case deleted(JSON)

        public var object: JSON {
            switch self {
            case .added(let object), .deleted(let object): object
            case .updated(_, let new): new
            }
        }

        /// The object before and after the change (nil on the side where it did not exist).
        public var sides: (old: JSON?, new: JSON?) {
            switch self {
            case .added(let object): (nil, object)
            case .updated(let old, let new): (old, new)
            case .deleted(let object): (object, nil)
            }
        }
    }

    /// Values an object is filed under in one index (e.g. its node name).
    public typealias IndexFunction = @Sendable (JSON) -> [String]
    /// Applied to every object before it is kept or reported (client-go's SetTransform).
    public typealias Transform = @Sendable (JSON) -> JSON

    public nonisolated let client: ResourceClient
    let namespace: String?
    let query: ListQuery
    let logger: Logger
    private var objects: [String: JSON] = [:]
    private let indexers: [String: IndexFunction]
    private let transform: Transform?
    private var indices: [String: [String: Set<String>]] = [:]
    private var subscribers: [Int: AsyncStream<Change>.Continuation] = [:]
    private var nextSubscriber = 0
    private var synced = false
    private var stopped = false
    private var syncWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextSyncWaiter = 0

    public init(client: ResourceClient, namespace: String? = nil, query: ListQuery = ListQuery(),
                indexers: [String: IndexFunction] = [:], transform: Transform? = nil, logger: Logger) {
        self.client = client
        self.namespace = namespace
        self.query = query
        self.indexers = indexers
        self.transform = transform
        self.logger = logger
    }

    /// `namespace/name`, or `name` for cluster-scoped objects: how objects are keyed.
    public nonisolated static func key(of object: JSON) -> String { ObjectKey.of(object) }

    // MARK: Reading

    public var hasSynced: Bool { synced }

    /// Returns once the first list has arrived, or when the waiting task is cancelled or the informer
    /// stops (a stopping component must never hang on a cache that will not fill).
    public func waitForSync() async {
        if synced || Task.isCancelled || stopped { return }
        let id = nextSyncWaiter
        nextSyncWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { syncWaiters[id] = $0 }
        } onCancel: {
            Task { await self.releaseSyncWaiter(id) }
        }
    }

    private func releaseSyncWaiter(_ id: Int) {
        syncWaiters.removeValue(forKey: id)?.resume()
    }

    private func releaseAllSyncWaiters() {
        for waiter in syncWaiters.values { waiter.resume() }
        syncWaiters = [:]
    }

    public func get(_ key: String) -> JSON? { objects[key] }

    public func list() -> [JSON] { Array(objects.values) }

    public func byIndex(_ index: String, _ value: String) -> [JSON] {
        (indices[index]?[value] ?? []).compactMap { objects[$0] }
    }

    /// Every change from now on, preceded by an `added` for each object already known.
    public func changes() -> AsyncStream<Change> {
        let (stream, continuation) = AsyncStream<Change>.makeStream(bufferingPolicy: .unbounded)
        for object in objects.values { continuation.yield(.added(object)) }
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    /// Hands every change from now on to `handle` as its two sides (see `changes()`), until the
    /// informer stops or the calling task is cancelled.
    public nonisolated func forEachChange(_ handle: (_ old: JSON?, _ new: JSON?) async -> Void) async {
        for await change in await changes() {
            let (old, new) = change.sides
            await handle(old, new)
        }
    }

    private func unsubscribe(_ id: Int) { subscribers[id] = nil }

    /// An object as this informer keeps and reports it (after the transform, if any).
    private func kept(_ object: JSON) -> JSON { transform?(object) ?? object }

    // MARK: Running

    public func run() async throws {
        var resourceVersion: String?
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let list = try await client.listAll(namespace: namespace, query)
                    replace(with: list.items)
                    resourceVersion = list.resourceVersion
                }
                for try await event in client.watch(namespace: namespace, query, resourceVersion: resourceVersion ?? "") {
                    apply(event)
                    if let version = event.resourceVersion { resourceVersion = version }
                }
            } catch {
                if Task.isCancelled || error is CancellationError { break }
                let code = (error as? ClientError)?.code
                if code == 410 {
                    logger.debug("watch of \(client.resource) expired; listing again")
                } else {
                    logger.debug("watch of \(client.resource) failed: \(error); retrying")
                    try? await Task.sleep(for: .seconds(1))
                }
                // A broken connection resumes from the last revision; an answer from the server
                // (410, or any other refusal) starts again from a list.
                if code != nil { resourceVersion = nil }
            }
        }
        stopped = true
        releaseAllSyncWaiters()
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    /// A fresh list replaces what is known, reported as the changes that make the difference.
    func replace(with items: [JSON]) {
        var seen = Set<String>()
        for item in items {
            let key = Self.key(of: item)
            seen.insert(key)
            store(kept(item), key: key)
        }
        for (key, object) in objects where !seen.contains(key) {
            remove(key)
            publish(.deleted(object))
        }
        if !synced {
            synced = true
            releaseAllSyncWaiters()
        }
    }

    func apply(_ event: ResourceEvent) {
        let key = Self.key(of: event.object)
        switch event.kind {
        case .added, .modified:
            store(kept(event.object), key: key)
        case .deleted:
            let last = objects[key] ?? kept(event.object)
            remove(key)
            publish(.deleted(last))
        case .bookmark, .error:
            break
        }
    }

    private func store(_ object: JSON, key: String) {
        let old = objects[key]
        if let old, old["metadata"]["resourceVersion"] == object["metadata"]["resourceVersion"] { return }
        if old != nil { unindex(key) }
        objects[key] = object
        for (name, function) in indexers {
            for value in function(object) { indices[name, default: [:]][value, default: []].insert(key) }
        }
        publish(old.map { .updated(old: $0, new: object) } ?? .added(object))
    }

    private func remove(_ key: String) {
        unindex(key)
        objects.removeValue(forKey: key)
    }

    private func unindex(_ key: String) {
        guard let object = objects[key] else { return }
        for (name, function) in indexers {
            for value in function(object) { indices[name]?[value]?.remove(key) }
        }
    }

    private func publish(_ change: Change) {
        for continuation in subscribers.values { continuation.yield(change) }
    }
}

extension Informer {
    /// Drops `metadata.managedFields`, which controllers and the scheduler never read and which
    /// makes up much of a cached object, as kube-controller-manager and kube-scheduler do. An
    /// update sent without managedFields keeps the stored ones.
    public static let dropManagedFields: Transform = { object in
        guard case .object(var metadata) = object["metadata"], metadata["managedFields"] != nil else { return object }
        metadata.removeValue(forKey: "managedFields")
        var trimmed = object
        trimmed["metadata"] = .object(metadata)
        return trimmed
    }

    /// Files objects under their namespace.
    public static let namespaceIndex: IndexFunction = { object in
        [object["metadata"]["namespace"].string ?? ""]
    }
}
