import ApusClient
import ApusControllerKit
import ApusMachinery
import Logging
import ServiceLifecycle

/// One control loop of the controller manager, as the manager runs it.
public protocol Controller: Sendable {
    /// The name `--controllers` selects it by (Kubernetes' names: `namespace`, `replicaset` …).
    var name: String { get }
    /// Runs until cancelled.
    func run() async
}

/// The controller manager: campaigns for the `kube-controller-manager` Lease and, while leading,
/// runs every enabled controller over shared informers. Controllers reach the cluster only through
/// the API.
public struct ControllerManager: Service {
    let api: APIClient
    let identity: String
    let enabled: ControllerSelection
    let options: ControllerOptions
    /// The process's informers, when other components read the same caches (`apus server`).
    let sharedInformers: SharedInformers?
    let logger: Logger

    public init(api: APIClient, identity: String, enabled: ControllerSelection = .all, options: ControllerOptions = .init(),
                sharedInformers: SharedInformers? = nil, logger: Logger) {
        self.api = api
        self.identity = identity
        self.enabled = enabled
        self.options = options
        self.sharedInformers = sharedInformers
        self.logger = logger
    }

    /// Every controller name this build has, in start order.
    public static var knownControllers: [String] {
        ["namespace", "garbagecollector"] + ControllerRegistry.loopNames
    }

    /// Runs until graceful shutdown, then closes the client's connections (so the server it talks
    /// to is not kept waiting for them).
    public func run() async throws {
        let election = LeaderElection(api: api, name: "kube-controller-manager", identity: identity, logger: logger)
        await cancelWhenGracefulShutdown {
            await election.run {
                await lead()
            }
        }
        // Close every connection before returning, so the server (shut down after this service)
        // is not kept waiting for them, and no informer reconnects while it stops.
        try? await api.shutdown()
    }

    /// While leading: the process's shared informers, or fresh ones for this term.
    private func lead() async {
        let informers = sharedInformers ?? SharedInformers(api: api, logger: logger)
        let context = ControllerContext.live(api: api, informers: informers, fieldManager: "kube-controller-manager", host: identity, logger: logger)
        var controllers: [any Controller] = [NamespaceController(api: api, logger: logger),
                                             GarbageCollectorRunner(api: api, context: context, informers: informers, logger: logger)]
        controllers += ControllerRegistry.loops(context: context, options: options).map { LoopRunner(loop: $0, informers: informers, logger: logger) }
        controllers = controllers.filter { enabled.includes($0.name) }
        logger.info("controller manager leading", metadata: ["controllers": "\(controllers.map(\.name).joined(separator: ","))"])
        await informers.run(controllers, stoppingInformers: sharedInformers == nil)
    }
}

/// Which controllers run, as `--controllers` says it: `*` for all, `name` to add, `-name` to remove.
public struct ControllerSelection: Sendable {
    let entries: [String]

    public static let all = ControllerSelection(entries: ["*"])

    public init(entries: [String]) {
        self.entries = entries
    }

    public func includes(_ name: String) -> Bool {
        if entries.contains("-" + name) { return false }
        return entries.contains(name) || entries.contains("*")
    }
}
