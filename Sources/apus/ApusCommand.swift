import ApusAssembly
import ApusControllers
import ArgumentParser
import Logging

@main
struct Apus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apus",
        abstract: "Apus: Kubernetes, rebuilt in Swift.",
        subcommands: [Server.self, Agent.self])
}

struct Server: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the control plane (API server and its datastore).")

    @Option(help: "Folder for the datastore, certificates and kubeconfig (default /var/lib/apus as root, else ~/.apus).")
    var dataDir: String?
    @Option(help: "Address the API server listens on.")
    var bindAddress = "0.0.0.0"
    @Option(help: "Address advertised to the cluster (default: this host's first non-loopback IPv4 address).")
    var advertiseAddress: String?
    @Option(help: "HTTPS port of the API server.")
    var httpsListenPort = 6443
    @Option(help: "Where to write the admin kubeconfig once the server is ready (default <data-dir>/kubeconfig.yaml).")
    var writeKubeconfig: String?
    @Flag(help: "Run without the node agent on this machine.")
    var disableAgent = false
    @Option(help: "Datastore: empty for the embedded SQLite database in the data dir.")
    var datastoreEndpoint: String?
    @Option(help: "The range service cluster IPs are allocated from.")
    var serviceCidr = "10.43.0.0/16"
    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"
    @Option(help: ArgumentHelp("Controllers to run: '*' for all, 'name' to add one, '-name' to leave one out (comma-separated).",
                               discussion: "Known: \(ControllerManager.knownControllers.joined(separator: ", "))."))
    var controllers = "*"
    @Option(help: "Seconds a node may miss heartbeats before it is marked NotReady (Unknown).")
    var nodeMonitorGracePeriod: Double = 50
    @Flag(help: "Run without the scheduler (pods stay unbound unless another scheduler binds them).")
    var disableScheduler = false
    @Option(help: "tolerationSeconds of the node.kubernetes.io/not-ready:NoExecute toleration added to pods that have none.")
    var defaultNotReadyTolerationSeconds: Int64 = 300
    @Option(help: "tolerationSeconds of the node.kubernetes.io/unreachable:NoExecute toleration added to pods that have none.")
    var defaultUnreachableTolerationSeconds: Int64 = 300

    func validate() throws {
        for entry in controllers.split(separator: ",") {
            let name = entry.hasPrefix("-") ? String(entry.dropFirst()) : String(entry)
            guard name == "*" || ControllerManager.knownControllers.contains(name) else {
                throw ValidationError("--controllers: unknown controller \(name)")
            }
        }
        guard defaultNotReadyTolerationSeconds >= 0, defaultUnreachableTolerationSeconds >= 0 else {
            throw ValidationError("default toleration seconds must not be negative")
        }
    }

    func run() async throws {
        let level = try bootstrapLogging(logLevel)
        var config = ServerConfig(
            dataDir: dataDir, bindAddress: bindAddress, advertiseAddress: advertiseAddress, httpsPort: httpsListenPort, writeKubeconfig: writeKubeconfig,
            disableAgent: disableAgent, datastoreEndpoint: datastoreEndpoint, serviceCIDR: serviceCidr, logLevel: level)
        config.controllers = controllers.split(separator: ",").map(String.init)
        config.nodeMonitorGracePeriod = nodeMonitorGracePeriod
        config.disableScheduler = disableScheduler
        config.defaultNotReadyTolerationSeconds = defaultNotReadyTolerationSeconds
        config.defaultUnreachableTolerationSeconds = defaultUnreachableTolerationSeconds
        try await ServerAssembly.run(config)
    }
}

/// Reads `--log-level` and sends logs to standard error at that level.
func bootstrapLogging(_ name: String) throws -> Logger.Level {
    guard let level = Logger.Level(rawValue: name) else {
        throw ValidationError("unknown --log-level \(name)")
    }
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    return level
}
