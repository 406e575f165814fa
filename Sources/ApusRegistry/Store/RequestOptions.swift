import ApusMachinery

/// Options of a list or watch request (`?labelSelector=…&limit=…`).
public struct ListOptions: Sendable {
    public var labelSelector: LabelSelector = .everything
    public var fieldSelector: FieldSelector = .everything
    public var limit: Int = 0
    public var continueToken: String?
    public var resourceVersion: String?
    public var timeoutSeconds: Int?
    public var allowWatchBookmarks = false

    public init() {}
}

/// Options of a write (`?dryRun=All&fieldManager=…`).
public struct WriteOptions: Sendable {
    public var dryRun = false
    public var fieldManager: String?
    public var fieldValidation: String?
    /// The subresource written through (`status`, `scale`), recorded in managedFields entries.
    public var subresource = ""
    /// False when the caller keeps managedFields itself (server-side apply) or the write is not a
    /// client's (a binding).
    public var tracksManagedFields = true
    /// The API version managedFields entries name, when the request's version is not the stored one.
    var requestVersion: String?

    public init(dryRun: Bool = false, fieldManager: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
    }
}

/// A DeleteOptions body or its query-parameter form.
public struct DeleteOptions: Sendable {
    public var gracePeriodSeconds: Int64?
    public var propagationPolicy: String?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var dryRun = false

    public init() {}

    public static func from(_ body: JSON) -> DeleteOptions {
        var options = DeleteOptions()
        options.gracePeriodSeconds = body["gracePeriodSeconds"].int
        options.propagationPolicy = body["propagationPolicy"].string
        if options.propagationPolicy == nil, let orphan = body["orphanDependents"].bool {
            options.propagationPolicy = orphan ? "Orphan" : "Background"
        }
        options.preconditionUID = body["preconditions"]["uid"].string
        options.preconditionResourceVersion = body["preconditions"]["resourceVersion"].string
        options.dryRun = (body["dryRun"].array ?? []).contains("All")
        return options
    }
}

/// One event of a watch, ready to encode.
public struct WatchEvent: Sendable {
    public enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED", bookmark = "BOOKMARK", error = "ERROR" }
    public var kind: Kind
    /// Serialized object bytes (events stream them without re-encoding).
    public var objectBytes: [UInt8]

    public init(kind: Kind, objectBytes: [UInt8]) {
        self.kind = kind
        self.objectBytes = objectBytes
    }
}

/// The result of a list: items as serialized bytes, in key order.
public struct ListPage: Sendable {
    public var items: [CachedObject]
    public var resourceVersion: String
    public var continueToken: String?
    public var remainingItemCount: Int64?
}
