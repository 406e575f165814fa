import ApusCRI
import ApusClient
import ApusControllerKit
import ApusControllers
import ApusKubelet
import Foundation
import Logging
import ServiceLifecycle

/// What a real node agent (kubelet on containerd) is configured with.
public struct NodeAgentConfig: Sendable {
    /// The agent's own directory: containerd's root and state, CNI config, pods' volumes and logs.
    public var dataDir: String
    public var nodeName: String
    public var nodeIP: String?
    public var controlPlane: Bool
    public var labels: [String: String]
    /// A CRI socket of a containerd already running; nil starts one as a child.
    public var containerRuntimeEndpoint: String?
    public var sandboxImage = "apus.local/pause:1.0"
    public var cniBinDirectory = "/usr/lib/cni"
    public var clusterCIDR = "10.42.0.0/16"
    /// The kubelet's HTTPS port, and the CA (PEM) whose certificates may use it: the cluster CA,
    /// which signs the API server's kubelet-client certificate. No CA, no kubelet port.
    public var kubeletPort = 10250
    public var clientCAPEM: String?

    public init(dataDir: String, nodeName: String? = nil, nodeIP: String? = nil, controlPlane: Bool, labels: [String: String] = [:],
                containerRuntimeEndpoint: String? = nil) {
        self.dataDir = dataDir
        self.nodeName = (nodeName ?? ProcessInfo.processInfo.hostName).lowercased()
        self.nodeIP = nodeIP
        self.controlPlane = controlPlane
        self.labels = labels
        self.containerRuntimeEndpoint = containerRuntimeEndpoint
    }

    var containerd: ContainerdSettings {
        ContainerdSettings(paths: ContainerdPaths(directory: dataDir + "/containerd"), sandboxImage: sandboxImage,
                           cniBinDirectory: cniBinDirectory, cniConfDirectory: dataDir + "/cni/net.d")
    }

    /// Archives loaded into containerd at start (scripts/build-images.sh writes them here).
    public var imagesDirectory: String { dataDir + "/images" }
}

extension AgentAssembly {
    /// The services of a real node, in start order: containerd, the CRI connection, image import,
    /// the kubelet. A service group stops them in reverse, so the kubelet stops first.
    static func nodeServices(_ config: NodeAgentConfig, api: APIClient, logger: Logger) throws -> [any Service] {
        try FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        let containerd = config.containerd
        var services: [any Service] = []
        let socket: String
        if let endpoint = config.containerRuntimeEndpoint {
            socket = endpoint.hasPrefix("unix://") ? String(endpoint.dropFirst("unix://".count)) : endpoint
        } else {
            socket = containerd.paths.socket
            services.append(ContainerdSupervisor(settings: containerd, logger: logger))
        }
        let runtime = try RemoteContainerRuntime(socket: socket)
        services.append(runtime)
        let imageImport = ImageImportProgress()
        services.append(ImageImport(directory: config.imagesDirectory, socket: socket, runtime: runtime, progress: imageImport, logger: logger))
        let facts = HostFacts.read(dataDirectory: config.dataDir, nodeIP: config.nodeIP)
        let node = NodeSettings(name: config.nodeName, controlPlane: config.controlPlane, labels: config.labels,
                                kubeletPort: config.kubeletPort, clusterCIDR: config.clusterCIDR)
        let hostDNS = HostResolvConf.read()
        let usage = ResourceUsage()
        if let clientCA = config.clientCAPEM {
            services.append(try KubeletServer.service(runtime: runtime, usage: usage, nodeName: config.nodeName, address: "0.0.0.0", port: config.kubeletPort, clientCA: clientCA,
                                                      pkiDirectory: config.dataDir + "/pki", hosts: [facts.internalIP, facts.hostname],
                                                      logger: logger))
        }
        services.append(ControlLoopService(api: api, fieldManager: "kubelet", host: config.nodeName, logger: logger) { context in
            [Kubelet(context: context, runtime: runtime, node: node, facts: facts, dataDirectory: config.dataDir,
                     cniConfDirectory: containerd.cniConfDirectory, hostDNS: hostDNS, imageImport: imageImport, usage: usage, logger: logger)]
        })
        return services
    }

    /// `apus agent` without --simulate: one real node.
    public static func runNode(_ config: NodeAgentConfig, kubeconfig: String, logLevel: Logger.Level) async throws {
        var logger = Logger(label: "apus.agent")
        logger.logLevel = logLevel
        let clientConfig: ClientConfig
        do {
            clientConfig = try ClientConfig.kubeconfig(path: kubeconfig, userAgent: "kubelet/v1.32.0-apus")
        } catch {
            throw ConfigurationError("cannot use --kubeconfig \(kubeconfig): \(error)")
        }
        var config = config
        if config.clientCAPEM == nil, let ca = clientConfig.caPEM { config.clientCAPEM = String(decoding: ca, as: UTF8.self) }
        let services = try nodeServices(config, api: try APIClient(config: clientConfig), logger: logger)
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
