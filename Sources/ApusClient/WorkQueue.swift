/// The queue controllers take keys from, with client-go's guarantees: a key is queued once however
/// often it is added; a key being processed is not handed to a second worker, and if it is added
/// meanwhile it comes back once the first worker is done; failed keys come back after a per-key
/// exponential back-off; keys can be added after a delay.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var head = 0
    /// Keys waiting to be processed (queued, or to be queued again once done).
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    private var waiters: [(id: Int, continuation: CheckedContinuation<Key?, Never>)] = []
    private var nextWaiter = 0
    private var failures: [Key: Int] = [:]
    private var shuttingDown = false
    let baseDelay: Double
    let maxDelay: Double

    public init(baseDelay: Double = 0.005, maxDelay: Double = 1000) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public func add(_ key: Key) {
        guard !shuttingDown, !dirty.contains(key) else { return }
        dirty.insert(key)
        if processing.contains(key) { return }
        if let waiter = waiters.first {
            waiters.removeFirst()
            dirty.remove(key)
            processing.insert(key)
            waiter.continuation.resume(returning: key)
        } else {
            queue.append(key)
        }
    }

    /// Adds the key once `seconds` have passed.
    public nonisolated func add(_ key: Key, after seconds: Double) {
        guard seconds > 0 else {
            Task { await self.add(key) }
            return
        }
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            await self.add(key)
        }
    }

    /// Adds the key after its back-off: base × 2^(failures so far), capped.
    public func addRateLimited(_ key: Key) {
        let count = failures[key, default: 0]
        failures[key] = count + 1
        let delay = min(maxDelay, baseDelay * Double(1 << min(count, 40)))
        add(key, after: delay)
    }

    /// The key succeeded: its back-off starts over.
    public func forget(_ key: Key) {
        failures.removeValue(forKey: key)
    }

    public func requeues(_ key: Key) -> Int { failures[key, default: 0] }

    /// The next key, waiting for one; nil once the queue shuts down or the waiting task is cancelled.
    public func next() async -> Key? {
        if let key = dequeue() { return key }
        if shuttingDown || Task.isCancelled { return nil }
        let id = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { waiters.append((id, $0)) }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: nil)
    }

    private func dequeue() -> Key? {
        guard head < queue.count else { return nil }
        let key = queue[head]
        head += 1
        if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        dirty.remove(key)
        processing.insert(key)
        return key
    }

    /// The worker is done with the key; if it was added meanwhile, it is queued again.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.contains(key) {
            dirty.remove(key)
            add(key)
        }
    }

    public var count: Int { queue.count - head }

    /// Wakes every waiting worker with nil; queued keys are still handed out.
    public func shutDown() {
        shuttingDown = true
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
        waiters = []
    }
}
