import ApusStorage
import GRDB

/// The on-disk shape: one append-only table whose row id is the revision (as kine does). The current
/// value of a key is its newest row; a row with `deleted = 1` is a tombstone.
enum SQLiteSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS log (
                revision INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL,
                deleted INTEGER NOT NULL DEFAULT 0,
                create_revision INTEGER NOT NULL, -- 0 on the row that created the key
                prev_revision INTEGER NOT NULL DEFAULT 0,
                value BLOB NOT NULL
            );
            CREATE INDEX IF NOT EXISTS log_key_revision ON log(key, revision);
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO meta(name, value) VALUES ('compacted_revision', 0);
            """)
    }
}

/// A row of `log` as read back.
struct LogRow {
    var revision: Int64
    var key: String
    var deleted: Bool
    var createRevision: Int64
    var prevRevision: Int64
    var value: [UInt8]

    init(_ row: Row) {
        revision = row["revision"]
        key = row["key"]
        deleted = (row["deleted"] as Int64) != 0
        // 0 marks the row that created the key: its create revision is its own revision.
        let stored: Int64 = row["create_revision"]
        createRevision = stored == 0 ? revision : stored
        prevRevision = row["prev_revision"]
        let data: [UInt8]? = (row["value"] as DatabaseValue).storage.blobBytes
        value = data ?? []
    }

    var stored: StoredValue { StoredValue(key: key, value: value, createRevision: createRevision, modRevision: revision) }
}

extension DatabaseValue.Storage {
    var blobBytes: [UInt8]? {
        switch self {
        case .blob(let data): return [UInt8](data)
        case .string(let s): return Array(s.utf8)
        default: return nil
        }
    }
}
