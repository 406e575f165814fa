/// Hands every committed event to the live watchers of a backend, in revision order. It lives inside
/// the backend's actor, so registration and broadcast never interleave with a write.
public struct EventFanout: Sendable {
    private var watchers: [Int: AsyncThrowingStream<StoreEvent, any Error>.Continuation] = [:]
    private var nextID = 0

    public init() {}

    /// Adds a watcher; returns its id for `remove`.
    public mutating func add(_ continuation: AsyncThrowingStream<StoreEvent, any Error>.Continuation) -> Int {
        nextID += 1
        watchers[nextID] = continuation
        return nextID
    }

    public mutating func remove(_ id: Int) { watchers.removeValue(forKey: id) }

    public func broadcast(_ event: StoreEvent) {
        for continuation in watchers.values { continuation.yield(event) }
    }
}
