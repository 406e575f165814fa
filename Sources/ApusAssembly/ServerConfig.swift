import ApusKubelet
import Foundation
import Logging

/// Everything `apus server` is configured with, typed (flags are parsed in the executable).
public struct ServerConfig: Sendable {
    public var dataDir: String
    public var bindAddress: String
    /// The address other nodes and the `kubernetes` service reach this server at (default: the
    /// bind address when it is a specific non-loopback one, else this host's first IPv4 address).
    public var advertiseAddress: String?
    public var httpsPort: Int
    public var writeKubeconfig: String?
    public var disableAgent: Bool
    public var datastoreEndpoint: String?
    public var serviceCIDR: String
    public var logLevel: Logger.Level
    /// `--controllers`: which controllers run (`*`, `name`, `-name`), as kube-controller-manager takes it.
    public var controllers: [String] = ["*"]
    /// `--node-monitor-grace-period` in seconds.
    public var nodeMonitorGracePeriod: Double = 50
    /// `--disable-scheduler` (as k3s names it): no scheduler runs in this server.
    public var disableScheduler = false
    /// `--default-not-ready-toleration-seconds`.
    public var defaultNotReadyTolerationSeconds: Int64 = 300
    /// `--default-unreachable-toleration-seconds`.
    public var defaultUnreachableTolerationSeconds: Int64 = 300

    public init(dataDir: String? = nil, bindAddress: String = "0.0.0.0", advertiseAddress: String? = nil, httpsPort: Int = 6443, writeKubeconfig: String? = nil,
                disableAgent: Bool = false, datastoreEndpoint: String? = nil, serviceCIDR: String = "10.43.0.0/16",
                logLevel: Logger.Level = .info) {
        self.dataDir = dataDir ?? ServerConfig.defaultDataDir()
        self.bindAddress = bindAddress
        self.advertiseAddress = advertiseAddress
        self.httpsPort = httpsPort
        self.writeKubeconfig = writeKubeconfig
        self.disableAgent = disableAgent
        self.datastoreEndpoint = datastoreEndpoint
        self.serviceCIDR = serviceCIDR
        self.logLevel = logLevel
    }

    /// `/var/lib/apus` for root, `~/.apus` otherwise (as k3s does with /var/lib/rancher/k3s).
    public static func defaultDataDir() -> String {
        if geteuid() == 0 { return "/var/lib/apus" }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.apus"
    }

    public var kubeconfigPath: String { writeKubeconfig ?? dataDir + "/kubeconfig.yaml" }
    var tlsDir: String { dataDir + "/server/tls" }
    var databasePath: String { dataDir + "/server/db/state.db" }

    var effectiveAdvertiseAddress: String? {
        if let advertiseAddress, !advertiseAddress.isEmpty { return advertiseAddress }
        if !bindAddress.isEmpty, bindAddress != "0.0.0.0", !bindAddress.hasPrefix("127.") { return bindAddress }
        return HostAddresses.firstIPv4()
    }

    /// Host names and addresses the serving certificate must cover.
    var certificateHosts: [String] {
        var hosts = ["localhost", "127.0.0.1", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                     "kubernetes.default.svc.cluster.local"]
        if bindAddress != "0.0.0.0", !bindAddress.isEmpty { hosts.append(bindAddress) }
        if let advertise = effectiveAdvertiseAddress, !hosts.contains(advertise) { hosts.append(advertise) }
        let host = ProcessInfo.processInfo.hostName
        if !host.isEmpty { hosts.append(host) }
        return hosts
    }
}
