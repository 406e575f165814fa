import ApusClient
import ApusMachinery
import Logging
import ServiceLifecycle

/// One control loop of the controller manager.
public protocol Controller: Sendable {
    /// The name `--controllers` selects it by (Kubernetes' names: `namespace`, `replicaset` …).
    var name: String { get }
    /// Runs until cancelled.
    func run() async
}

/// The controller manager: campaigns for the `kube-controller-manager` Lease and, while leading,
/// runs every enabled controller. Controllers reach the cluster only through the API.
public struct ControllerManager: Service {
    let api: APIClient
    let controllers: [any Controller]
    let identity: String
    let logger: Logger

    public init(api: APIClient, identity: String, enabled: ControllerSelection = .all, logger: Logger) {
        self.api = api
        self.identity = identity
        self.logger = logger
        controllers = Self.registry(api: api, logger: logger).filter { enabled.includes($0.name) }
    }

    /// Every controller this build has, by name.
    public static func registry(api: APIClient, logger: Logger) -> [any Controller] {
        [NamespaceController(api: api, logger: logger)]
    }

    /// Runs until graceful shutdown, then closes the client's connections (so the server it talks
    /// to is not kept waiting for them).
    public func run() async throws {
        defer { Task { [api] in try? await api.shutdown() } }
        let election = LeaderElection(api: api, name: "kube-controller-manager", identity: identity, logger: logger)
        try await cancelWhenGracefulShutdown {
            await election.run {
                logger.info("controller manager leading", metadata: ["controllers": "\(controllers.map(\.name).joined(separator: ","))"])
                await withTaskGroup(of: Void.self) { group in
                    for controller in controllers { group.addTask { await controller.run() } }
                }
            }
        }
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
