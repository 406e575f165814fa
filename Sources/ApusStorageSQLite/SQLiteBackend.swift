import ApusStorage
import Foundation
import GRDB
import Logging

/// The embedded store: a `KeyValueBackend` on one SQLite file (WAL, `synchronous = FULL`).
///
/// Writes are group-committed: every write that arrives while a transaction is being made durable
/// waits for the next one, so concurrent clients share fsyncs and a write is acknowledged only after
/// its transaction commits.
public actor SQLiteBackend: KeyValueBackend {
    private let pool: DatabasePool
    private let logger: Logger
    private var revision: Int64
    private var compacted: Int64
    private var fanout = EventFanout()
    private var pending: [PendingWrite] = []
    private var flushing = false

    enum WriteOp {
        case create(key: String, value: [UInt8])
        case update(key: String, value: [UInt8], expected: Int64)
        case delete(key: String, expected: Int64?)
    }

    struct PendingWrite {
        var op: WriteOp
        var continuation: CheckedContinuation<StoredValue, any Error>
    }

    public init(path: String, logger: Logger = Logger(label: "apus.storage.sqlite")) throws {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        // A busy reader never makes a writer fail; the single writer is this actor.
        config.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: config)
        // GRDB's WAL set-up lowers the writer to synchronous=NORMAL after prepareDatabase; raise it
        // again so every commit is fsynced before a write is acknowledged.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try pool.write { db in try SQLiteSchema.migrate(db) }
        let (rev, comp) = try pool.read { db -> (Int64, Int64) in
            let rev = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'log'") ?? 0
            let comp = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'compacted_revision'") ?? 0
            return (rev, comp)
        }
        revision = rev
        compacted = comp
        self.logger = logger
    }

    public func currentRevision() -> Int64 { revision }
    public func compactedRevision() -> Int64 { compacted }

    // MARK: Reads

    public func get(_ key: String) async throws -> StoredValue? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM log WHERE key = ? ORDER BY revision DESC LIMIT 1", arguments: [key]) else {
                return nil
            }
            let logRow = LogRow(row)
            return logRow.deleted ? nil : logRow.stored
        }
    }

    public func list(prefix: String, atRevision: Int64?, startAfter: String?, limit: Int) async throws -> ListResult {
        let at = atRevision ?? revision
        if at > revision { throw StorageError.futureRevision(requested: at, currentRevision: revision) }
        if at < compacted { throw StorageError.compacted(requested: at, compactedRevision: compacted) }
        let upper = prefix + "\u{10FFFF}"
        // Keys after `startAfter` (pagination); the empty string when absent sorts before every key.
        let after = startAfter ?? ""
        let fetchLimit = limit > 0 ? limit + 1 : -1
        let rows = try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT l.* FROM log l
                JOIN (SELECT key, MAX(revision) AS r FROM log
                      WHERE key >= ? AND key < ? AND key > ? AND revision <= ? GROUP BY key) m
                  ON l.revision = m.r
                WHERE l.deleted = 0
                ORDER BY l.key
                LIMIT ?
                """, arguments: [prefix, upper, after, at, fetchLimit]).map(LogRow.init)
        }
        var items = rows.map(\.stored)
        let hasMore = limit > 0 && items.count > limit
        if hasMore { items.removeLast() }
        return ListResult(items: items, revision: at, hasMore: hasMore)
    }

    public func events(after start: Int64, prefix: String, limit: Int) async throws -> [StoreEvent] {
        if start < compacted { throw StorageError.compacted(requested: start, compactedRevision: compacted) }
        let rows = try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT l.*, p.value AS prev_value FROM log l LEFT JOIN log p ON p.revision = l.prev_revision
                WHERE l.revision > ? AND l.key >= ? AND l.key < ?
                ORDER BY l.revision LIMIT ?
                """, arguments: [start, prefix, prefix + "\u{10FFFF}", limit > 0 ? limit : -1])
        }
        return rows.map { row in
            let log = LogRow(row)
            let previous: [UInt8]? = (row["prev_value"] as DatabaseValue).storage.blobBytes
            let kind: StoreEvent.Kind = log.deleted ? .deleted : (log.createRevision == log.revision ? .created : .updated)
            return StoreEvent(kind: kind, key: log.key, value: log.value, previousValue: previous, revision: log.revision)
        }
    }

    // MARK: Writes

    public func create(_ key: String, value: [UInt8]) async throws -> Int64 {
        try await submit(.create(key: key, value: value)).modRevision
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64) async throws -> Int64 {
        try await submit(.update(key: key, value: value, expected: expectedRevision)).modRevision
    }

    public func delete(_ key: String, expectedRevision: Int64?) async throws -> StoredValue {
        try await submit(.delete(key: key, expected: expectedRevision))
    }

    private func submit(_ op: WriteOp) async throws -> StoredValue {
        try await withCheckedThrowingContinuation { continuation in
            pending.append(PendingWrite(op: op, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await self.flushLoop() }
            }
        }
    }

    /// One outcome per pending write, decided inside the shared transaction.
    private enum Outcome: Sendable {
        case written(StoredValue, StoreEvent)
        case failed(StorageError)
    }

    private func flushLoop() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let ops = batch.map(\.op)
            do {
                let outcomes = try await pool.write { db in try ops.map { try Self.apply($0, db) } }
                for (write, outcome) in zip(batch, outcomes) {
                    switch outcome {
                    case .written(let value, let event):
                        revision = max(revision, event.revision)
                        fanout.broadcast(event)
                        write.continuation.resume(returning: value)
                    case .failed(let error):
                        write.continuation.resume(throwing: error)
                    }
                }
            } catch {
                logger.error("storage transaction failed", metadata: ["error": "\(error)"])
                for write in batch { write.continuation.resume(throwing: StorageError.unavailable("\(error)")) }
            }
        }
        flushing = false
    }

    private static func apply(_ op: WriteOp, _ db: Database) throws -> Outcome {
        func latest(_ key: String) throws -> LogRow? {
            try Row.fetchOne(db, sql: "SELECT * FROM log WHERE key = ? ORDER BY revision DESC LIMIT 1", arguments: [key]).map(LogRow.init)
        }
        func insert(key: String, deleted: Bool, createRevision: Int64?, prev: Int64, value: [UInt8]) throws -> Int64 {
            try db.execute(sql: "INSERT INTO log(key, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?)",
                           arguments: [key, deleted ? 1 : 0, createRevision ?? 0, prev, Data(value)])
            return db.lastInsertedRowID
        }
        switch op {
        case .create(let key, let value):
            let current = try latest(key)
            if let current, !current.deleted { return .failed(.keyExists(key: key)) }
            let rev = try insert(key: key, deleted: false, createRevision: nil, prev: current?.revision ?? 0, value: value)
            return .written(StoredValue(key: key, value: value, createRevision: rev, modRevision: rev),
                            StoreEvent(kind: .created, key: key, value: value, previousValue: nil, revision: rev))
        case .update(let key, let value, let expected):
            guard let current = try latest(key), !current.deleted else { return .failed(.keyNotFound(key: key)) }
            guard current.revision == expected else { return .failed(.conflict(key: key, currentRevision: current.revision)) }
            let rev = try insert(key: key, deleted: false, createRevision: current.createRevision, prev: current.revision, value: value)
            return .written(StoredValue(key: key, value: value, createRevision: current.createRevision, modRevision: rev),
                            StoreEvent(kind: .updated, key: key, value: value, previousValue: current.value, revision: rev))
        case .delete(let key, let expected):
            guard let current = try latest(key), !current.deleted else { return .failed(.keyNotFound(key: key)) }
            if let expected, current.revision != expected {
                return .failed(.conflict(key: key, currentRevision: current.revision))
            }
            let rev = try insert(key: key, deleted: true, createRevision: current.createRevision, prev: current.revision, value: current.value)
            return .written(StoredValue(key: key, value: current.value, createRevision: current.createRevision, modRevision: rev),
                            StoreEvent(kind: .deleted, key: key, value: current.value, previousValue: current.value, revision: rev))
        }
    }

    // MARK: Watch

    public nonisolated func watch(after revision: Int64) -> AsyncThrowingStream<StoreEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<StoreEvent, any Error>.makeStream()
        let task = Task { await self.register(continuation, after: revision) }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func register(_ continuation: AsyncThrowingStream<StoreEvent, any Error>.Continuation, after start: Int64) async {
        // Replay history in pages; the actor may interleave writes between pages, so catch up until
        // the replay reaches the live revision before joining the fan-out.
        var cursor = start
        do {
            while cursor < revision {
                // A row can be committed before this actor has taken note of it; such events are
                // still to be broadcast, so replay stops at the revision the actor has published.
                let batch = try await events(after: cursor, prefix: "", limit: 1000).filter { $0.revision <= revision }
                for event in batch { continuation.yield(event) }
                guard let last = batch.last else { break }
                cursor = last.revision
            }
        } catch {
            continuation.finish(throwing: error)
            return
        }
        if Task.isCancelled { return }
        let id = fanout.add(continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unregister(id) }
        }
    }

    private func unregister(_ id: Int) { fanout.remove(id) }

    // MARK: Compaction

    public func compact(upTo target: Int64) async throws {
        let upTo = min(target, revision)
        guard upTo > compacted else { return }
        try await pool.write { db in
            // Drop rows superseded at or below the target, then tombstones at or below it.
            try db.execute(sql: """
                DELETE FROM log WHERE revision <= :c AND (deleted = 1 OR EXISTS (
                    SELECT 1 FROM log newer WHERE newer.key = log.key AND newer.revision > log.revision AND newer.revision <= :c))
                """, arguments: ["c": upTo])
            try db.execute(sql: "UPDATE meta SET value = ? WHERE name = 'compacted_revision'", arguments: [upTo])
        }
        compacted = upTo
    }

    /// Bytes the database file and its WAL occupy, for bounded-size checks.
    public nonisolated var path: String { pool.path }

    /// The writer connection's `PRAGMA synchronous` level (2 = FULL: fsync on every commit).
    public func writerSynchronousLevel() async throws -> Int {
        try await pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }
}
