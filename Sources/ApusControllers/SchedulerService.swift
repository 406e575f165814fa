import ApusClient
import ApusControllerKit
import ApusMachinery
import ApusScheduler
import Logging
import ServiceLifecycle

/// The scheduler inside `apus server`: leader-elected on the `kube-scheduler` Lease; while leading
/// it follows nodes, pods and PriorityClasses through informers and binds pending pods.
public struct SchedulerService: Service {
    let api: APIClient
    let identity: String
    /// The process's informers, shared with the controller manager in `apus server` (one cached
    /// copy of every pod instead of two; they run whether or not this scheduler leads, as
    /// kube-scheduler's informers start before its leader election).
    let sharedInformers: SharedInformers?
    let logger: Logger

    public init(api: APIClient, identity: String, sharedInformers: SharedInformers? = nil, logger: Logger) {
        self.api = api
        self.identity = identity
        self.sharedInformers = sharedInformers
        self.logger = logger
    }

    public func run() async throws {
        let election = LeaderElection(api: api, name: "kube-scheduler", identity: identity, logger: logger)
        await cancelWhenGracefulShutdown {
            await election.run { await lead() }
        }
        // Close every connection before returning, so the server (shut down after this service)
        // is not kept waiting for them, and no informer reconnects while it stops.
        try? await api.shutdown()
    }

    private func lead() async {
        let recorder = EventRecorder(api: api, component: "default-scheduler", host: identity, logger: logger)
        let scheduler = Scheduler(writer: APIWriter(api: api, fieldManager: "kube-scheduler"), events: recorder, clock: SystemWallClock())
        // Without shared informers, this term's own (running only while it leads).
        let informers = sharedInformers ?? SharedInformers(api: api, logger: logger)
        let nodes = await informers.informer(.nodes)
        let pods = await informers.informer(.pods)
        let priorityClasses = await informers.informer(.priorityClasses)
        let namespaces = await informers.informer(.namespaces)
        logger.info("scheduler leading")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await priorityClasses.forEachChange { await scheduler.priorityClassChanged(old: $0, new: $1) } }
            group.addTask { await namespaces.forEachChange { await scheduler.namespaceChanged(old: $0, new: $1) } }
            group.addTask { await nodes.forEachChange { await scheduler.nodeChanged(old: $0, new: $1) } }
            group.addTask {
                // Nodes and classes first, so the first pods are not judged against an empty cluster.
                await nodes.waitForSync()
                await priorityClasses.waitForSync()
                await namespaces.waitForSync()
                await pods.forEachChange { await scheduler.podChanged(old: $0, new: $1) }
            }
            group.addTask {
                await nodes.waitForSync()
                await pods.waitForSync()
                await Self.schedule(scheduler)
            }
            await group.waitForAll()
        }
        if sharedInformers == nil { await informers.stop() }
    }

    /// Schedules while there is work; flushes the back-off and unschedulable queues as they come
    /// due (`waitForWork` wakes for those too), and lets bindings in flight finish when stopped.
    static func schedule(_ scheduler: Scheduler) async {
        while !Task.isCancelled {
            await scheduler.flushQueues()
            while await scheduler.scheduleOne() {
                if Task.isCancelled { break }
            }
            await scheduler.waitForWork()
        }
        await scheduler.waitForBindings()
    }
}
