/// One stored version of a key. `modRevision` is the store revision of the write that produced it
/// and becomes the object's resourceVersion.
public struct StoredValue: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]
    public var createRevision: Int64
    public var modRevision: Int64

    public init(key: String, value: [UInt8], createRevision: Int64, modRevision: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}

/// A change in the log. For a deletion, `value` is the last value before the delete and `revision`
/// the revision of the delete itself.
public struct StoreEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case created, updated, deleted }
    public var kind: Kind
    public var key: String
    public var value: [UInt8]
    public var previousValue: [UInt8]?
    public var revision: Int64

    public init(kind: Kind, key: String, value: [UInt8], previousValue: [UInt8]?, revision: Int64) {
        self.kind = kind
        self.key = key
        self.value = value
        self.previousValue = previousValue
        self.revision = revision
    }
}

public struct ListResult: Sendable, Equatable {
    public var items: [StoredValue]
    /// The revision the list is consistent at.
    public var revision: Int64
    /// Whether more keys follow the last item (the list was cut by its limit).
    public var hasMore: Bool

    public init(items: [StoredValue], revision: Int64, hasMore: Bool) {
        self.items = items
        self.revision = revision
        self.hasMore = hasMore
    }
}

public enum StorageError: Error, Sendable, Equatable {
    case keyExists(key: String)
    case keyNotFound(key: String)
    /// A compare-and-swap lost: the key's current modRevision is not the expected one.
    case conflict(key: String, currentRevision: Int64)
    /// The requested revision is older than the oldest revision still kept.
    case compacted(requested: Int64, compactedRevision: Int64)
    /// The requested revision is newer than anything written.
    case futureRevision(requested: Int64, currentRevision: Int64)
    case unavailable(String)
}

/// A revisioned key-value log: every write gets the next global revision, which is the
/// resourceVersion Kubernetes clients see. Embedded SQLite, memory (tests) and etcd implement it,
/// and all pass `StorageConformance`.
///
/// A write returns only once it is durable in the backend.
public protocol KeyValueBackend: Sendable {
    /// The revision of the latest write.
    func currentRevision() async throws -> Int64
    /// The oldest revision that may still be asked for in `list(atRevision:)` and `events(after:)`.
    func compactedRevision() async throws -> Int64

    func get(_ key: String) async throws -> StoredValue?
    /// Keys with the prefix, in key order, strictly after `startAfter`, as they were at `atRevision`
    /// (nil: now). `limit` 0 means no limit.
    func list(prefix: String, atRevision: Int64?, startAfter: String?, limit: Int) async throws -> ListResult

    /// Returns the new modRevision. Throws `keyExists` when the key is live.
    func create(_ key: String, value: [UInt8]) async throws -> Int64
    /// Compare-and-swap on modRevision. Throws `keyNotFound` or `conflict`.
    func update(_ key: String, value: [UInt8], expectedRevision: Int64) async throws -> Int64
    /// Deletes when the modRevision matches (nil: unconditionally); returns the deleted value with
    /// `modRevision` set to the revision of the delete.
    func delete(_ key: String, expectedRevision: Int64?) async throws -> StoredValue

    /// Events with revision > `revision` for keys with the prefix, oldest first, at most `limit`
    /// (0: all). Throws `compacted` when that history is gone.
    func events(after revision: Int64, prefix: String, limit: Int) async throws -> [StoreEvent]
    /// A live feed of every event after `revision`, in order. The stream ends with `compacted` if the
    /// consumer falls behind compaction.
    func watch(after revision: Int64) -> AsyncThrowingStream<StoreEvent, any Error>

    /// Forgets history at and below `revision` (the latest version of every live key is kept).
    func compact(upTo revision: Int64) async throws
}
