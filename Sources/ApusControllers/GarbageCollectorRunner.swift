import ApusClient
import ApusControllerKit
import ApusControllerLoops
import ApusMachinery
import Logging
import Synchronization

/// Runs the garbage collector over every resource that can be listed, watched and deleted: one
/// shared informer each (new resources, such as those of a new CRD, are picked up on the next
/// discovery, every 30 s), one work queue of uids.
struct GarbageCollectorRunner: Controller {
    let name = "garbagecollector"
    let api: APIClient
    let context: ControllerContext
    let informers: SharedInformers
    let logger: Logger

    func run() async {
        let queue = WorkQueue<String>(baseDelay: 0.005, maxDelay: 300)
        let kinds = ResourceKinds()
        let collector = GarbageCollector(context: context, lookup: LiveLookup(api: api), resolve: { kinds.resource(apiVersion: $0, kind: $1) },
                                         enqueue: { uids in for uid in uids { await queue.add(uid) } })
        await withTaskGroup(of: Void.self) { group in
            var followed = Set<Resource>()
            var started = false
            while !Task.isCancelled {
                if let served = try? await APIDiscovery(api: api).resources() {
                    var fresh: [Informer] = []
                    for entry in served where ["list", "watch", "delete"].allSatisfy(entry.verbs.contains)
                        && !GarbageCollector.ignoredResources.contains(entry.resource.groupResource) {
                        kinds.record(entry.resource, kind: entry.kind)
                        guard followed.insert(entry.resource).inserted else { continue }
                        let informer = await informers.informer(entry.resource)
                        fresh.append(informer)
                        group.addTask { await follow(informer, entry.resource, collector: collector, queue: queue) }
                    }
                    if !started {
                        // Workers start once the first graph is complete, so no owner looks absent
                        // merely because its resource has not been listed yet.
                        for informer in fresh { await informer.waitForSync() }
                        started = true
                        for _ in 0..<collector.workers { group.addTask { await work(collector, queue) } }
                    }
                }
                try? await Task.sleep(for: .seconds(30))
            }
            await queue.shutDown()
            group.cancelAll()
        }
    }

    private func follow(_ informer: Informer, _ resource: Resource, collector: GarbageCollector, queue: WorkQueue<String>) async {
        await informer.forEachChange { old, new in
            for uid in await collector.observe(resource, old: old, new: new) { await queue.add(uid) }
        }
    }

    private func work(_ collector: GarbageCollector, _ queue: WorkQueue<String>) async {
        await LoopRunner.work(queue, name: name, logger: logger) { await collector.sync($0) }
    }
}

/// apiVersion and kind → resource, as discovery last reported it.
final class ResourceKinds: Sendable {
    // The Mutex makes the map safe to read from the collector's tasks while discovery updates it.
    private let map = Mutex<[String: Resource]>([:])

    func record(_ resource: Resource, kind: String) {
        map.withLock { $0[resource.apiVersion + "/" + kind] = resource }
    }

    func resource(apiVersion: String, kind: String) -> Resource? {
        map.withLock { $0[apiVersion + "/" + kind] }
    }
}

/// Live GETs for the collector.
struct LiveLookup: GarbageCollectorLookup {
    let api: APIClient

    func get(_ resource: Resource, namespace: String?, name: String) async throws(ClientError) -> JSON {
        try await api.request(.GET, resource.path(namespace: namespace, name: name))
    }
}
