import ApusBenchSupport
import Foundation
import GRDB

/// The floor under any durable store on this disk: SQLite in WAL mode with `synchronous = FULL`,
/// one transaction (one fsync) per insert of a row as large as a stored ConfigMap.
struct SQLiteBaseline {
    let directory: String
    let valueBytes: Int
    /// FULL (an fsync per commit) or NORMAL (fsync at checkpoints only).
    var synchronous = "FULL"

    /// `tasks` concurrent writers share `count` inserts; each insert is its own transaction. GRDB
    /// serializes writers, so concurrency adds queueing but no shared commits.
    func run(_ phase: String, tasks: Int, count: Int, maxSeconds: Double) async throws -> PhaseResult {
        let path = directory + "/baseline-\(tasks)-\(UUID().uuidString).sqlite"
        let pool = try DatabasePool(path: path)
        // GRDB puts a pool's writer into synchronous=NORMAL when it turns WAL on, after any
        // `prepareDatabase` has run, so the level is set (and read back) on the writer itself.
        let level = synchronous
        let (mode, sync) = try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(level)")
            return (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        }
        let value = Data((0..<valueBytes).map { UInt8(ascii: "a") + UInt8($0 % 26) })
        let start = monotonicNanos()
        let deadline = start + UInt64(maxSeconds * 1e9)
        let tallies = try await withThrowingTaskGroup(of: ClientTally.self) { group in
            for task in 0..<tasks {
                let quota = share(of: count, worker: task, of: tasks)
                group.addTask {
                    var tally = ClientTally()
                    for index in 0..<quota {
                        let key = "/registry/configmaps/default/baseline-\(task)-\(index)"
                        let sent = monotonicNanos()
                        if sent > deadline { break }
                        do {
                            try await pool.write { db in
                                try db.execute(sql: "INSERT INTO kv (key, value) VALUES (?, ?)", arguments: [key, value])
                            }
                            tally.latencies.append(monotonicNanos() - sent)
                        } catch {
                            tally.fail("\(error)")
                        }
                    }
                    return tally
                }
            }
            var all: [ClientTally] = []
            for try await tally in group { all.append(tally) }
            return ClientTally.merge(all)
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        try? pool.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var result = PhaseResult(name: phase, operations: tallies.latencies.count, errors: tallies.errors, seconds: seconds,
                                 latencies: LatencySummary(nanoseconds: tallies.latencies))
        result.notes.append("writer connection: journal_mode=\(mode), synchronous=\(sync) (2 FULL, 1 NORMAL); \(valueBytes)-byte values; \(tasks) writer task(s)")
        if let first = tallies.firstError { result.notes.append("first error: \(first)") }
        return result
    }
}
