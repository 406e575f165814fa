/// A `KeyValueBackend` held in memory: the reference implementation of the log semantics, used by
/// unit tests of the layers above. Nothing survives the process.
public actor MemoryBackend: KeyValueBackend {
    private struct Row {
        var revision: Int64
        var key: String
        var value: [UInt8]
        var createRevision: Int64
        var deleted: Bool
        var previousValue: [UInt8]?
    }

    private var log: [Row] = []
    private var live: [String: StoredValue] = [:]
    private var revision: Int64 = 0
    private var compacted: Int64 = 0
    private var fanout = EventFanout()

    public init() {}

    public func currentRevision() -> Int64 { revision }
    public func compactedRevision() -> Int64 { compacted }

    public func get(_ key: String) -> StoredValue? { live[key] }

    public func list(prefix: String, atRevision: Int64?, startAfter: String?, limit: Int) throws -> ListResult {
        let at = atRevision ?? revision
        if at > revision { throw StorageError.futureRevision(requested: at, currentRevision: revision) }
        if at < compacted { throw StorageError.compacted(requested: at, compactedRevision: compacted) }
        var state: [String: StoredValue] = [:]
        if at == revision {
            state = live.filter { $0.key.hasPrefix(prefix) }
        } else {
            for row in log where row.revision <= at && row.key.hasPrefix(prefix) {
                if row.deleted { state.removeValue(forKey: row.key) } else {
                    state[row.key] = StoredValue(key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision)
                }
            }
        }
        var keys = state.keys.sorted()
        if let startAfter { keys = keys.filter { $0 > startAfter } }
        let hasMore = limit > 0 && keys.count > limit
        if limit > 0 { keys = Array(keys.prefix(limit)) }
        return ListResult(items: keys.map { state[$0]! }, revision: at, hasMore: hasMore)
    }

    public func create(_ key: String, value: [UInt8]) throws -> Int64 {
        if live[key] != nil { throw StorageError.keyExists(key: key) }
        revision += 1
        append(Row(revision: revision, key: key, value: value, createRevision: revision, deleted: false, previousValue: nil), kind: .created)
        live[key] = StoredValue(key: key, value: value, createRevision: revision, modRevision: revision)
        return revision
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64) throws -> Int64 {
        guard let current = live[key] else { throw StorageError.keyNotFound(key: key) }
        guard current.modRevision == expectedRevision else {
            throw StorageError.conflict(key: key, currentRevision: current.modRevision)
        }
        revision += 1
        append(Row(revision: revision, key: key, value: value, createRevision: current.createRevision, deleted: false,
                   previousValue: current.value), kind: .updated)
        live[key] = StoredValue(key: key, value: value, createRevision: current.createRevision, modRevision: revision)
        return revision
    }

    public func delete(_ key: String, expectedRevision: Int64?) throws -> StoredValue {
        guard let current = live[key] else { throw StorageError.keyNotFound(key: key) }
        if let expectedRevision, current.modRevision != expectedRevision {
            throw StorageError.conflict(key: key, currentRevision: current.modRevision)
        }
        revision += 1
        append(Row(revision: revision, key: key, value: current.value, createRevision: current.createRevision, deleted: true,
                   previousValue: current.value), kind: .deleted)
        live.removeValue(forKey: key)
        return StoredValue(key: key, value: current.value, createRevision: current.createRevision, modRevision: revision)
    }

    private func append(_ row: Row, kind: StoreEvent.Kind) {
        log.append(row)
        fanout.broadcast(StoreEvent(kind: kind, key: row.key, value: row.value, previousValue: row.previousValue, revision: row.revision))
    }

    public func events(after start: Int64, prefix: String, limit: Int) throws -> [StoreEvent] {
        if start < compacted { throw StorageError.compacted(requested: start, compactedRevision: compacted) }
        var out: [StoreEvent] = []
        for row in log where row.revision > start && row.key.hasPrefix(prefix) {
            let kind: StoreEvent.Kind = row.deleted ? .deleted : (row.createRevision == row.revision ? .created : .updated)
            out.append(StoreEvent(kind: kind, key: row.key, value: row.value, previousValue: row.previousValue, revision: row.revision))
            if limit > 0, out.count >= limit { break }
        }
        return out
    }

    public nonisolated func watch(after revision: Int64) -> AsyncThrowingStream<StoreEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<StoreEvent, any Error>.makeStream()
        let task = Task { await self.register(continuation, after: revision) }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func register(_ continuation: AsyncThrowingStream<StoreEvent, any Error>.Continuation, after start: Int64) {
        do {
            for event in try events(after: start, prefix: "", limit: 0) { continuation.yield(event) }
        } catch {
            continuation.finish(throwing: error)
            return
        }
        let id = fanout.add(continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unregister(id) }
        }
    }

    private func unregister(_ id: Int) { fanout.remove(id) }

    public func compact(upTo target: Int64) {
        let upTo = min(target, revision)
        guard upTo > compacted else { return }
        let latestRevisionOfLiveKey = Set(live.values.map(\.modRevision))
        log.removeAll { row in row.revision <= upTo && !latestRevisionOfLiveKey.contains(row.revision) }
        compacted = upTo
    }
}
