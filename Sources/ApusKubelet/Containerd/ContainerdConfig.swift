/// Where a supervised containerd keeps everything, all under the agent's data dir so that it never
/// collides with a containerd of the host or of another agent on the same machine.
public struct ContainerdPaths: Sendable, Equatable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    public var configFile: String { directory + "/config.toml" }
    public var root: String { directory + "/root" }
    public var state: String { directory + "/state" }
    public var socket: String { directory + "/containerd.sock" }
    public var ttrpcSocket: String { directory + "/containerd-ttrpc.sock" }
    public var logFile: String { directory + "/containerd.log" }
    /// `hosts.toml` per registry (mirrors, insecure registries), containerd's `config_path`.
    public var registryHosts: String { directory + "/certs.d" }
}

/// The settings the agent renders containerd's config from.
public struct ContainerdSettings: Sendable, Equatable {
    public var paths: ContainerdPaths
    public var sandboxImage: String
    public var cniBinDirectory: String
    public var cniConfDirectory: String

    public init(paths: ContainerdPaths, sandboxImage: String, cniBinDirectory: String, cniConfDirectory: String) {
        self.paths = paths
        self.sandboxImage = sandboxImage
        self.cniBinDirectory = cniBinDirectory
        self.cniConfDirectory = cniConfDirectory
    }
}

/// containerd's `config.toml` (version 2) as the agent renders it.
public enum ContainerdConfig {
    /// Plugins a node never uses: fewer plugins, less memory and a faster start.
    static let disabledPlugins = [
        "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
        "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
        "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp",
    ]

    public static func render(_ settings: ContainerdSettings) -> String {
        let paths = settings.paths
        return """
        # Rendered by the apus agent at every start; edits are overwritten.
        version = 2
        root = \(quoted(paths.root))
        state = \(quoted(paths.state))
        disabled_plugins = [\(disabledPlugins.map(quoted).joined(separator: ", "))]

        [grpc]
          address = \(quoted(paths.socket))

        [ttrpc]
          address = \(quoted(paths.ttrpcSocket))

        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = \(quoted(settings.sandboxImage))
          # This machine kind denies lowering oom_score_adj (no CAP_SYS_RESOURCE): without this every
          # sandbox fails in runc with "can't get final child's PID from pipe".
          restrict_oom_score_adj = true
          # Exec, attach and port-forward sessions are served on loopback only; the kubelet proxies them.
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"
          enable_selinux = false

          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
            default_runtime_name = "runc"

            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"

          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = \(quoted(settings.cniBinDirectory))
            conf_dir = \(quoted(settings.cniConfDirectory))

          [plugins."io.containerd.grpc.v1.cri".registry]
            config_path = \(quoted(paths.registryHosts))

        """
    }

    /// A TOML basic string.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
