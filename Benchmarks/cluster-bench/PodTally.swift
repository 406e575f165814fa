import ApusBenchSupport
import ApusClient
import ApusControllerKit
import ApusMachinery

/// Follows pods through a list and then a watch, and notes when each first met a condition (bound
/// to a node, Running): the bench's view of the cluster, as a client's informer sees it.
actor PodTally {
    private let client: ResourceClient
    private let namespace: String?
    private let query: ListQuery
    private let condition: @Sendable (JSON) -> Bool
    /// When each pod first met the condition (monotonic nanoseconds), by namespace/name.
    private var met: [String: UInt64] = [:]
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var follower: Task<Void, Never>?

    init(client: ResourceClient, namespace: String?, query: ListQuery, condition: @escaping @Sendable (JSON) -> Bool) {
        self.client = client
        self.namespace = namespace
        self.query = query
        self.condition = condition
    }

    /// Lists, then watches until `stop()`; a watch that ends is resumed from the last revision, or
    /// from a new list if that revision is gone.
    func start() async throws {
        let revision = try await relist()
        follower = Task { await self.follow(from: revision) }
    }

    func stop() {
        follower?.cancel()
        follower = nil
    }

    var count: Int { met.count }

    /// First and last moment a pod met the condition, if any did.
    var span: (first: UInt64, last: UInt64)? {
        guard let first = met.values.min(), let last = met.values.max() else { return nil }
        return (first, last)
    }

    /// The moments, in order, that pods met the condition.
    var moments: [UInt64] { met.values.sorted() }

    /// Returns once `count` pods have met the condition, or after `seconds`; true when they have.
    func wait(for count: Int, seconds: Double) async -> Bool {
        if met.count >= count { return true }
        let deadline = Task {
            try? await Task.sleep(for: .seconds(seconds))
            self.release(all: true)
        }
        await withCheckedContinuation { continuation in
            waiters.append((count, continuation))
        }
        deadline.cancel()
        return met.count >= count
    }

    private func release(all: Bool = false) {
        let ready = waiters.filter { all || met.count >= $0.count }
        waiters.removeAll { all || met.count >= $0.count }
        ready.forEach { $0.continuation.resume() }
    }

    private func observe(_ pod: JSON, at now: UInt64) {
        let key = ObjectKey.of(pod)
        guard met[key] == nil, condition(pod) else { return }
        met[key] = now
        release()
    }

    private func relist() async throws -> String {
        let list = try await client.listAll(namespace: namespace, query)
        let now = monotonicNanos()
        for pod in list.items { observe(pod, at: now) }
        return list.resourceVersion
    }

    private func follow(from start: String) async {
        var revision = start
        while !Task.isCancelled {
            do {
                for try await event in client.watch(namespace: namespace, query, resourceVersion: revision, timeoutSeconds: 600) {
                    let now = monotonicNanos()
                    if let version = event.resourceVersion { revision = version }
                    if event.kind == .added || event.kind == .modified { observe(event.object, at: now) }
                }
            } catch ClientError.api(let error) where error.code == 410 {
                if let relisted = try? await relist() { revision = relisted }
            } catch {
                if Task.isCancelled { return }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
