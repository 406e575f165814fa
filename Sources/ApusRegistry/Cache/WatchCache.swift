import ApusMachinery
import ApusStorage
import Logging

/// The in-memory view of the store that serves gets, lists and watches, fed by the backend's event
/// log as kube-apiserver's cacher is. It keeps the latest object per key and a window of recent
/// events so watches can start from a recent resourceVersion; older ones get 410 Expired.
public actor WatchCache {
    private var objects = ObjectsByResource()
    private var window: [CacheEvent] = []
    private var windowStart = 0
    private let windowCapacity: Int
    /// The revision everything in `objects` is consistent at.
    public private(set) var revision: Int64 = 0
    /// The oldest revision a watch may start from (exclusive lower bound of the window).
    private var oldestWatchable: Int64 = 0
    private var watchers: [Int: Watcher] = [:]
    private var nextWatcherID = 0
    private var waiters: [Int: (target: Int64, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiterID = 0
    private let decoder: ObjectDecoder
    private let logger: Logger

    struct Watcher {
        let prefix: String
        /// Only events after this revision are delivered.
        let from: Int64
        let continuation: AsyncStream<CacheEvent>.Continuation
    }

    public init(decoder: ObjectDecoder, windowCapacity: Int = 4096, logger: Logger) {
        self.decoder = decoder
        self.windowCapacity = windowCapacity
        self.logger = logger
    }

    /// Loads the current state and the recent history, then follows the backend's log forever.
    /// Returns once the initial state is loaded; the follow loop runs in `run`.
    public func load(from backend: any KeyValueBackend, pageSize: Int = 500) async throws {
        // Page by page at one revision: the rows of a page are garbage once decoded, and the next
        // page reuses their memory. Holding every row at once left the heap holding that much
        // again, free but fragmented between the cached objects, for the server's whole life.
        let loadedAt = try await backend.currentRevision()
        var cursor: String?
        while true {
            let page = try await backend.list(prefix: "/registry/", atRevision: loadedAt, startAfter: cursor, limit: pageSize)
            for item in page.items {
                if let object = decoder.decode(key: item.key, value: item.value, revision: item.modRevision) { objects[item.key] = object }
            }
            guard page.hasMore, let last = page.items.last else { break }
            cursor = last.key
        }
        revision = loadedAt
        oldestWatchable = revision
        // Recent history lets clients that watched before a restart resume without relisting.
        let compacted = try await backend.compactedRevision()
        let historyStart = max(compacted, revision - Int64(windowCapacity / 2))
        if let history = try? await backend.events(after: historyStart, prefix: "/registry/", limit: 0),
           history.allSatisfy({ $0.revision <= revision }) {
            for event in history { if let e = convert(event) { window.append(e) } }
            oldestWatchable = historyStart
        }
    }

    /// Follows the backend from the loaded revision; returns when the stream ends.
    public func follow(_ backend: any KeyValueBackend) async throws {
        for try await event in backend.watch(after: revision) {
            apply(event)
        }
    }

    private func convert(_ event: StoreEvent) -> CacheEvent? {
        guard let object = decoder.decode(key: event.key, value: event.value, revision: event.revision) else { return nil }
        let previous = event.previousValue.flatMap { decoder.decode(key: event.key, value: $0, revision: event.revision) }
        switch event.kind {
        case .created: return CacheEvent(kind: .added, object: object, previous: nil)
        case .updated: return CacheEvent(kind: .modified, object: object, previous: previous)
        case .deleted: return CacheEvent(kind: .deleted, object: object, previous: previous ?? object)
        }
    }

    func apply(_ event: StoreEvent) {
        guard event.revision > revision else { return }
        let previous = objects[event.key]
        guard let object = decoder.decode(key: event.key, value: event.value, revision: event.revision) else {
            logger.error("undecodable object in store", metadata: ["key": "\(event.key)"])
            revision = event.revision
            return
        }
        let cacheEvent: CacheEvent
        switch event.kind {
        case .created:
            objects[event.key] = object
            cacheEvent = CacheEvent(kind: .added, object: object, previous: nil)
        case .updated:
            objects[event.key] = object
            cacheEvent = CacheEvent(kind: .modified, object: object, previous: previous)
        case .deleted:
            objects[event.key] = nil
            cacheEvent = CacheEvent(kind: .deleted, object: object, previous: previous ?? object)
        }
        revision = event.revision
        window.append(cacheEvent)
        if window.count - windowStart > windowCapacity {
            oldestWatchable = window[windowStart].revision
            windowStart += 1
            if windowStart > windowCapacity {
                window.removeFirst(windowStart)
                windowStart = 0
            }
        }
        for (id, watcher) in watchers where event.key.hasPrefix(watcher.prefix) && event.revision > watcher.from {
            if case .dropped = watcher.continuation.yield(cacheEvent) {
                // A watcher this far behind is closed; its client re-watches from its last revision.
                watcher.continuation.finish()
                watchers.removeValue(forKey: id)
            }
        }
        for (id, waiter) in waiters where waiter.target <= revision {
            waiters.removeValue(forKey: id)
            waiter.continuation.resume()
        }
    }

    /// Waits until the cache has caught up with `target` (a revision the backend has committed).
    public func waitFor(_ target: Int64) async {
        if revision >= target { return }
        nextWaiterID += 1
        let id = nextWaiterID
        await withCheckedContinuation { continuation in waiters[id] = (target, continuation) }
    }

    /// Waits at most `seconds` for the cache to reach `target`; false when it did not (a revision
    /// from the future, which Kubernetes answers with 504 "Too large resource version").
    public func waitFor(_ target: Int64, seconds: Double) async -> Bool {
        if revision >= target { return true }
        nextWaiterID += 1
        let id = nextWaiterID
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .seconds(seconds))
            await self?.release(id)
        }
        await withCheckedContinuation { continuation in waiters[id] = (target, continuation) }
        timer.cancel()
        return revision >= target
    }

    /// Lets one waiter go whether or not its revision arrived (its bounded wait timed out).
    private func release(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume()
    }

    public func get(_ key: String) -> CachedObject? { objects[key] }

    /// Objects under the prefix, sorted by key, at the cache's revision.
    public func list(prefix: String, filter: @Sendable (CachedObject) -> Bool) -> (items: [CachedObject], revision: Int64) {
        var items = objects.values(prefix: prefix).filter(filter)
        items.sort { $0.key < $1.key }
        return (items, revision)
    }

    /// Every object under a prefix regardless of filters (for allocators and namespace checks).
    public func values(prefix: String) -> [CachedObject] {
        objects.values(prefix: prefix)
    }

    /// Starts a watch of events after `from`. Past events still in the window are replayed first.
    /// Throws 410 Expired when `from` is older than the window.
    public func watch(prefix: String, from: Int64, bufferSize: Int = 10_000) throws(APIError) -> AsyncStream<CacheEvent> {
        if from < oldestWatchable {
            throw APIError.expired("too old resource version: \(from) (\(oldestWatchable))")
        }
        let (stream, continuation) = AsyncStream<CacheEvent>.makeStream(bufferingPolicy: .bufferingOldest(bufferSize))
        for event in window[windowStart...] where event.revision > from && event.object.key.hasPrefix(prefix) {
            continuation.yield(event)
        }
        nextWatcherID += 1
        let id = nextWatcherID
        watchers[id] = Watcher(prefix: prefix, from: from, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeWatcher(id) }
        }
        return stream
    }

    func removeWatcher(_ id: Int) { watchers.removeValue(forKey: id) }

}
