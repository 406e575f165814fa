import ApusClient
import ApusControllerKit
import ApusControllers
import ApusNodeSimulator
import Foundation
import Logging
import ServiceLifecycle

/// What `apus agent --simulate N` is configured with.
public struct SimulatedAgentConfig: Sendable {
    public var kubeconfig: String
    public var nodeCount: Int
    public var namePrefix: String
    /// The first node's place in the pod CIDR (10.42.<index>.0/24); the server's own node is 0.
    public var firstIndex: Int
    public var settings: SimulationSettings
    public var logLevel: Logger.Level

    public init(kubeconfig: String, nodeCount: Int, namePrefix: String, firstIndex: Int, settings: SimulationSettings, logLevel: Logger.Level) {
        self.kubeconfig = kubeconfig
        self.nodeCount = nodeCount
        self.namePrefix = namePrefix
        self.firstIndex = firstIndex
        self.settings = settings
        self.logLevel = logLevel
    }

    /// `<prefix>1` … `<prefix>N`.
    public var nodeNames: [String] { (1...max(1, nodeCount)).map { namePrefix + String($0) } }
}

/// Builds and runs a simulated agent: N nodes driven by one NodeSimulator loop.
public enum AgentAssembly {
    public static func runSimulated(_ config: SimulatedAgentConfig) async throws {
        var logger = Logger(label: "apus.agent")
        logger.logLevel = config.logLevel
        let clientConfig: ClientConfig
        do {
            clientConfig = try ClientConfig.kubeconfig(path: config.kubeconfig, userAgent: "apus-simulated-kubelet")
        } catch {
            throw ConfigurationError("cannot use --kubeconfig \(config.kubeconfig): \(error)")
        }
        let api = try APIClient(config: clientConfig)
        let names = config.nodeNames
        logger.info("simulating nodes", metadata: ["nodes": "\(names.count)", "first": "\(names.first ?? "")"])
        let service = ControlLoopService(api: api, fieldManager: "kubelet", host: names.first ?? "", logger: logger) { context in
            [NodeSimulator(context: context, nodeNames: names, firstIndex: config.firstIndex, settings: config.settings)]
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
