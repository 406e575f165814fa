import ApusClient
import ApusControllerKit
import ApusMachinery
import Logging

/// Runs one control loop: feeds the keys its watches derive from every informer change into a work
/// queue, waits until its caches have synced, then syncs keys with the loop's number of workers
/// (a key is never synced by two workers at once).
struct LoopRunner: Controller {
    let loop: any ControlLoop
    let informers: SharedInformers
    let logger: Logger

    var name: String { loop.name }

    func run() async {
        let queue = WorkQueue<String>(baseDelay: 0.005, maxDelay: 300)
        await withTaskGroup(of: Void.self) { group in
            var followed: [Informer] = []
            for watch in loop.watches {
                let informer = await informers.informer(watch.resource)
                followed.append(informer)
                group.addTask {
                    await informer.forEachChange { old, new in
                        for key in await watch.keys(old, new) { await queue.add(key) }
                    }
                }
            }
            let caches = followed
            group.addTask {
                for informer in caches { await informer.waitForSync() }
                for key in loop.initialKeys { await queue.add(key) }
                await withTaskGroup(of: Void.self) { workers in
                    for trigger in loop.triggers {
                        workers.addTask { await trigger.run { key in await queue.add(key) } }
                    }
                    for _ in 0..<max(1, loop.workers) {
                        workers.addTask { await work(queue) }
                    }
                }
            }
            await withTaskCancellationHandler {
                await group.waitForAll()
            } onCancel: {
                Task { await queue.shutDown() }
            }
        }
    }

    private func work(_ queue: WorkQueue<String>) async {
        await Self.work(queue, name: loop.name, logger: logger) { await loop.sync($0) }
    }

    /// One worker: takes keys until the queue shuts down and files each by what its sync answered.
    static func work(_ queue: WorkQueue<String>, name: String, logger: Logger, sync: (String) async -> SyncResult) async {
        while let key = await queue.next() {
            switch await sync(key) {
            case .done:
                await queue.forget(key)
            case .retry:
                if await queue.requeues(key) >= 5 { logger.debug("\(name): \(key) keeps failing; backing off") }
                await queue.addRateLimited(key)
            case .requeue(let seconds):
                await queue.forget(key)
                queue.add(key, after: seconds)
            }
            await queue.done(key)
        }
    }
}
