import ApusControllerKit
import ApusControllerTesting
import ApusMachinery

/// A fake cluster, clock and event log for the set controllers' tests. `sync` also plays the API
/// server and informers around the loop: pods it created get phase Pending, and every change it
/// made is delivered to the loop's watches (which is how expectations are settled).
struct SetsHarness {
    let cluster = FakeCluster()
    let clock = ManualClock()
    let events = RecordedEvents()

    var context: ControllerContext { cluster.context(clock: clock, events: events) }

    func seed(_ resource: Resource, _ objects: [JSON]) async { await cluster.seed(resource, objects) }

    func sync(_ loop: some ControlLoop, _ key: String) async -> SyncResult {
        let before = await snapshot(loop.watches.map(\.resource))
        let result = await loop.sync(key)
        for var pod in await cluster.all(.pods) where pod["status"]["phase"].isNull {
            pod["status"] = ["phase": "Pending"]
            pod[path: ["metadata", "resourceVersion"]] = .null
            await cluster.seed(.pods, [pod])
        }
        await deliver(loop, since: before)
        return result
    }

    /// Runs `sync` until it writes nothing more (at most `limit` times).
    func settle(_ loop: some ControlLoop, _ key: String, limit: Int = 10) async {
        for _ in 0..<limit {
            let calls = await cluster.calls.count
            _ = await sync(loop, key)
            if await cluster.calls.count == calls { return }
        }
    }

    private func snapshot(_ resources: [Resource]) async -> [Resource: [String: JSON]] {
        var result: [Resource: [String: JSON]] = [:]
        for resource in resources {
            result[resource] = Dictionary(await cluster.all(resource).map { (ObjectKey.of($0), $0) }, uniquingKeysWith: { a, _ in a })
        }
        return result
    }

    /// Hands every change since `before` to the loop's watches, as informers would.
    @discardableResult
    func deliver(_ loop: some ControlLoop, since before: [Resource: [String: JSON]]) async -> [String] {
        var keys: [String] = []
        for watch in loop.watches {
            let old = before[watch.resource] ?? [:]
            let new = Dictionary(await cluster.all(watch.resource).map { (ObjectKey.of($0), $0) }, uniquingKeysWith: { a, _ in a })
            for key in Set(old.keys).union(new.keys).sorted() where old[key] != new[key] {
                keys += await watch.keys(old[key], new[key])
            }
        }
        return keys
    }

    /// Changes a stored object as another component would (a kubelet, a user), with a new resourceVersion.
    func change(_ resource: Resource, _ key: String, _ body: (inout JSON) -> Void) async {
        guard var object = await cluster.object(resource, key) else { return }
        body(&object)
        object[path: ["metadata", "resourceVersion"]] = .null
        await cluster.seed(resource, [object])
    }

    /// Marks pods Running and Ready since `since` (the clock's now by default).
    func makeReady(_ names: [String], namespace: String = "default", since: Double? = nil) async {
        let at = Timestamp.rfc3339(since ?? clock.now())
        for name in names {
            await change(.pods, "\(namespace)/\(name)") { pod in
                pod["status"] = ["phase": "Running",
                                 "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": .string(at)]]]
            }
        }
    }

    func pods(named prefix: String = "") async -> [JSON] {
        await cluster.all(.pods).filter { ($0["metadata"]["name"].string ?? "").hasPrefix(prefix) }
    }

    func podNames() async -> [String] { await cluster.all(.pods).compactMap { $0["metadata"]["name"].string }.sorted() }

    func calls(_ verb: String, _ resource: Resource) async -> [FakeCluster.Call] {
        await cluster.calls.filter { $0.verb == verb && $0.resource == resource && $0.subresource == nil }
    }

    func messages(_ reason: String? = nil) async -> [String] {
        await events.events.filter { reason == nil || $0.reason == reason }.map(\.message)
    }

    func revisions() async -> [JSON] { await cluster.all(.controllerRevisions) }
}
