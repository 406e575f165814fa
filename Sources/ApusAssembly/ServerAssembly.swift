import ApusAPIServer
import ApusClient
import ApusControllers
import ApusMachinery
import ApusPKI
import ApusRegistry
import ApusStorage
import ApusStorageSQLite
import Foundation
import Hummingbird
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOSSL
import ServiceLifecycle

/// Builds and runs the control plane: datastore, registry (watch cache), API server, in that order;
/// each part starts only once the one before it is ready.
public enum ServerAssembly {
    public static func run(_ config: ServerConfig) async throws {
        let logger = {
            var logger = Logger(label: "apus.server")
            logger.logLevel = config.logLevel
            return logger
        }()
        try FileManager.default.createDirectory(atPath: config.dataDir + "/server/db", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let backend = try openBackend(config, logger: logger)
        let clock = SystemClock()
        let admission = AdmissionSettings(notReadyTolerationSeconds: config.defaultNotReadyTolerationSeconds,
                                          unreachableTolerationSeconds: config.defaultUnreachableTolerationSeconds)
        let registry = try Registry(backend: backend, clock: clock, serviceCIDR: config.serviceCIDR, admission: admission, logger: logger)
        try await registry.load()
        let revision = await registry.cache.revision
        logger.info("datastore loaded", metadata: ["revision": "\(revision)", "path": "\(config.databasePath)"])

        let pki = try ClusterPKI.loadOrCreate(directory: config.tlsDir, hosts: config.certificateHosts)
        let tls = try tlsConfiguration(pki)
        let advertise = config.effectiveAdvertiseAddress
        let kubelets = try KubeletClient(certificatePEM: pki.kubeletClientCertificatePEM, keyPEM: pki.kubeletClientKeyPEM)
        let api = APIServer(registry: registry, clock: clock, authenticator: Authenticator(requireCertificate: true),
                            serverAddress: "\(advertise ?? "127.0.0.1"):\(config.httpsPort)", logger: logger, kubelets: kubelets)
        var app = Application(
            responder: api,
            // HTTP/1.1 with WebSocket upgrades for exec and attach (kubectl never upgrades over h2).
            server: try .tls(.http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 20))) { head, channel, logger in
                await api.webSocketUpgrade(head, channel: channel, logger: logger)
            }, tlsConfiguration: tls),
            configuration: .init(address: .hostname(config.bindAddress, port: config.httpsPort), serverName: nil),
            onServerRunning: { _ in
                do {
                    let kubeconfig = Kubeconfig.render(server: "https://127.0.0.1:\(config.httpsPort)", pki: pki)
                    try Kubeconfig.write(kubeconfig, to: config.kubeconfigPath)
                    logger.info("API server ready", metadata: ["port": "\(config.httpsPort)", "kubeconfig": "\(config.kubeconfigPath)"])
                } catch {
                    logger.error("could not write kubeconfig", metadata: ["error": "\(error)"])
                }
            },
            logger: logger)
        app.beforeServerStarts {
            try await Bootstrap.ensure(registry: registry, advertiseAddress: advertise, port: config.httpsPort)
        }
        // The controller manager and the scheduler talk to this server over loopback HTTPS, as any
        // client does, and read one set of informers.
        func loopbackClient(_ userAgent: String) throws -> APIClient {
            try APIClient(config: ClientConfig(
                server: "https://127.0.0.1:\(config.httpsPort)", caPEM: Array(pki.caCertificatePEM.utf8),
                certificatePEM: Array(pki.adminCertificatePEM.utf8), keyPEM: Array(pki.adminKeyPEM.utf8), userAgent: userAgent))
        }
        let informers = SharedInformersService(api: try loopbackClient("apus-server-informers"), logger: logger)
        let controllerManager = ControllerManager(api: try loopbackClient("kube-controller-manager"),
                                                  identity: ProcessInfo.processInfo.hostName + "_controller-manager",
                                                  enabled: ControllerSelection(entries: config.controllers),
                                                  options: controllerOptions(config), sharedInformers: informers.informers, logger: logger)
        var services: [any Service] = [
            RegistryService(registry: registry),
            CompactionService(backend: backend, logger: logger),
            kubelets,
            app,
            informers,
            controllerManager,
        ]
        if !config.disableScheduler {
            services.append(SchedulerService(api: try loopbackClient("kube-scheduler"), identity: ProcessInfo.processInfo.hostName + "_scheduler",
                                             sharedInformers: informers.informers, logger: logger))
        }
        if !config.disableAgent {
            // This machine's own node, with the control-plane role (as k3s's server runs its agent).
            var agent = NodeAgentConfig(dataDir: config.dataDir + "/agent", controlPlane: true)
            agent.clientCAPEM = pki.caCertificatePEM
            services += try AgentAssembly.nodeServices(agent, api: try loopbackClient("kubelet/v1.32.0-apus"), logger: logger)
        }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    static func controllerOptions(_ config: ServerConfig) -> ControllerOptions {
        var options = ControllerOptions()
        options.nodeMonitorGracePeriod = config.nodeMonitorGracePeriod
        return options
    }

    static func openBackend(_ config: ServerConfig, logger: Logger) throws -> any KeyValueBackend {
        if let endpoint = config.datastoreEndpoint, !endpoint.isEmpty {
            if endpoint.hasPrefix("sqlite://") {
                return try SQLiteBackend(path: String(endpoint.dropFirst("sqlite://".count)), logger: logger)
            }
            throw ConfigurationError("unsupported --datastore-endpoint \(endpoint): only the embedded SQLite store (sqlite://PATH) is available in this build")
        }
        return try SQLiteBackend(path: config.databasePath, logger: logger)
    }

    static func tlsConfiguration(_ pki: ClusterPKI) throws -> TLSConfiguration {
        let certificate = try NIOSSLCertificate(bytes: Array(pki.serverCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(pki.serverKeyPEM.utf8), format: .pem)
        let ca = try NIOSSLCertificate(bytes: Array(pki.caCertificatePEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        tls.trustRoots = .certificates([ca])
        // A client certificate is checked when presented; requests without one are answered 401
        // (except health and version), as kube-apiserver does.
        tls.certificateVerification = .optionalVerification
        tls.applicationProtocols = ["http/1.1"]
        return tls
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Keeps the watch cache and the CRD catalog following the datastore.
struct RegistryService: Service {
    let registry: Registry
    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await registry.run() }
        } catch is CancellationError {
            // Graceful shutdown: the follow loop was cancelled on purpose.
        }
    }
}

/// Forgets old revisions so the datastore stays bounded: every minute, everything older than the
/// last 1,000 revisions (watchers further behind relist after 410 Expired, as with etcd).
struct CompactionService: Service {
    let backend: any KeyValueBackend
    let logger: Logger
    var interval: Duration = .seconds(60)
    var retainedRevisions: Int64 = 1000

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                let current = try await backend.currentRevision()
                if current - retainedRevisions > (try await backend.compactedRevision()) {
                    do { try await backend.compact(upTo: current - retainedRevisions) } catch {
                        logger.warning("compaction failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }
}
