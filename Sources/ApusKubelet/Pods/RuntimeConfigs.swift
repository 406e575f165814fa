import ApusCRI
import ApusMachinery
import ApusValidation

/// A pod's CRI sandbox config and its containers' configs, from the pod spec.
struct RuntimeConfigs {
    let paths: PodPaths
    /// The host's DNS settings, for pods whose DNS the cluster does not serve yet.
    let hostDNS: Runtime_V1_DNSConfig

    func sandbox(_ pod: JSON, attempt: UInt32) -> Runtime_V1_PodSandboxConfig {
        let metadata = pod["metadata"], spec = pod["spec"]
        let name = metadata["name"].string ?? "", namespace = metadata["namespace"].string ?? "default", uid = metadata["uid"].string ?? ""
        var config = Runtime_V1_PodSandboxConfig()
        config.metadata.name = name
        config.metadata.namespace = namespace
        config.metadata.uid = uid
        config.metadata.attempt = attempt
        let hostNetwork = spec["hostNetwork"].bool ?? false
        // A host-network pod keeps the node's hostname; the runtime refuses to set one without its own UTS namespace.
        if !hostNetwork {
            config.hostname = spec["hostname"].string ?? String(name.prefix(63))
        }
        config.logDirectory = paths.logDirectory(namespace: namespace, name: name, uid: uid)
        config.dnsConfig = dns(spec)
        var labels: [String: String] = [:]
        for (key, value) in metadata["labels"].object ?? [:] { labels[key] = value.string ?? "" }
        labels[RuntimeLabels.podName] = name
        labels[RuntimeLabels.podNamespace] = namespace
        labels[RuntimeLabels.podUID] = uid
        config.labels = labels
        var annotations: [String: String] = [:]
        for (key, value) in metadata["annotations"].object ?? [:] { annotations[key] = value.string ?? "" }
        config.annotations = annotations
        for container in spec["containers"].array ?? [] {
            for port in container["ports"].array ?? [] {
                guard let hostPort = port["hostPort"].int, hostPort > 0 else { continue }
                var mapping = Runtime_V1_PortMapping()
                mapping.containerPort = Int32(port["containerPort"].int ?? 0)
                mapping.hostPort = Int32(hostPort)
                mapping.hostIp = port["hostIP"].string ?? ""
                mapping.protocol = Self.protocolOf(port["protocol"].string)
                config.portMappings.append(mapping)
            }
        }
        config.linux.cgroupParent = "/apus/pod" + uid
        var security = Runtime_V1_LinuxSandboxSecurityContext()
        security.namespaceOptions.network = hostNetwork ? .node : .pod
        security.namespaceOptions.pid = (spec["hostPID"].bool ?? false) ? .node : .container
        security.namespaceOptions.ipc = (spec["hostIPC"].bool ?? false) ? .node : .pod
        let podSecurity = spec["securityContext"]
        if let user = podSecurity["runAsUser"].int { security.runAsUser.value = user }
        if let group = podSecurity["runAsGroup"].int { security.runAsGroup.value = group }
        security.supplementalGroups = (podSecurity["supplementalGroups"].array ?? []).compactMap(\.int)
        config.linux.securityContext = security
        var sysctls: [String: String] = [:]
        for sysctl in podSecurity["sysctls"].array ?? [] {
            if let key = sysctl["name"].string { sysctls[key] = sysctl["value"].string ?? "" }
        }
        config.linux.sysctls = sysctls
        return config
    }

    static func protocolOf(_ name: String?) -> Runtime_V1_Protocol {
        switch name {
        case "UDP": .udp
        case "SCTP": .sctp
        default: .tcp
        }
    }

    /// dnsPolicy None uses only dnsConfig; the others use the host's resolvers until the cluster
    /// serves DNS, with dnsConfig's servers, searches and options appended.
    func dns(_ spec: JSON) -> Runtime_V1_DNSConfig {
        var config = spec["dnsPolicy"].string == "None" ? Runtime_V1_DNSConfig() : hostDNS
        let extra = spec["dnsConfig"]
        config.servers += (extra["nameservers"].array ?? []).compactMap(\.string)
        config.searches += (extra["searches"].array ?? []).compactMap(\.string)
        for option in extra["options"].array ?? [] {
            guard let name = option["name"].string else { continue }
            config.options.append(option["value"].string.map { "\(name):\($0)" } ?? name)
        }
        return config
    }

    /// The container's config; `environment` is already resolved, `mounts` the pod's volumes as host paths.
    func container(_ container: JSON, pod: JSON, attempt: UInt32, isInit: Bool, environment: [(String, String)],
                   volumes: [String: String], image: String) throws(ContainerEnvironment.Failure) -> Runtime_V1_ContainerConfig {
        let name = container["name"].string ?? ""
        let metadata = pod["metadata"]
        var config = Runtime_V1_ContainerConfig()
        config.metadata.name = name
        config.metadata.attempt = attempt
        config.image.image = image
        let values = Dictionary(environment, uniquingKeysWith: { _, last in last })
        config.command = (container["command"].array ?? []).map { VariableExpansion.expand($0.string ?? "", values) }
        config.args = (container["args"].array ?? []).map { VariableExpansion.expand($0.string ?? "", values) }
        config.workingDir = container["workingDir"].string ?? ""
        config.envs = environment.map { key, value in
            var pair = Runtime_V1_KeyValue()
            pair.key = key
            pair.value = value
            return pair
        }
        for mount in container["volumeMounts"].array ?? [] {
            let volume = mount["name"].string ?? ""
            guard var hostPath = volumes[volume] else {
                throw ContainerEnvironment.Failure(message: "cannot find volume \"\(volume)\" to mount into container \"\(name)\"")
            }
            if let sub = mount["subPath"].string, !sub.isEmpty { hostPath += "/" + sub }
            var runtimeMount = Runtime_V1_Mount()
            runtimeMount.containerPath = mount["mountPath"].string ?? ""
            runtimeMount.hostPath = hostPath
            runtimeMount.readonly = mount["readOnly"].bool ?? false
            switch mount["mountPropagation"].string {
            case "HostToContainer": runtimeMount.propagation = .propagationHostToContainer
            case "Bidirectional": runtimeMount.propagation = .propagationBidirectional
            default: runtimeMount.propagation = .propagationPrivate
            }
            config.mounts.append(runtimeMount)
        }
        config.labels = [
            RuntimeLabels.podName: metadata["name"].string ?? "", RuntimeLabels.podNamespace: metadata["namespace"].string ?? "",
            RuntimeLabels.podUID: metadata["uid"].string ?? "", RuntimeLabels.containerName: name,
        ]
        if isInit { config.labels[RuntimeLabels.initContainer] = "true" }
        config.annotations = [
            RuntimeLabels.restartCount: String(attempt),
            RuntimeLabels.containerHash: ContainerHash.of(container),
            RuntimeLabels.terminationGracePeriod: String(pod["spec"]["terminationGracePeriodSeconds"].int ?? 30),
        ]
        config.logPath = "\(name)/\(attempt).log"
        config.stdin = container["stdin"].bool ?? false
        config.stdinOnce = container["stdinOnce"].bool ?? false
        config.tty = container["tty"].bool ?? false
        config.linux.resources = Self.resources(container["resources"])
        config.linux.securityContext = Self.security(container["securityContext"], pod: pod["spec"]["securityContext"])
        return config
    }

    /// Requests and limits as cgroup settings, as the kubelet computes them (cgroup v1).
    static func resources(_ resources: JSON) -> Runtime_V1_LinuxContainerResources {
        var out = Runtime_V1_LinuxContainerResources()
        let cpuRequest = resources["requests"]["cpu"].string.flatMap { try? Quantity.parse($0) }
        let cpuLimit = resources["limits"]["cpu"].string.flatMap { try? Quantity.parse($0) }
        // Shares are proportional to the request (1024 per CPU, at least 2); a limit without a request counts as the request.
        let requestMilli = (cpuRequest ?? cpuLimit)?.milliValue ?? 0
        out.cpuShares = max(2, requestMilli * 1024 / 1000)
        if let limit = cpuLimit?.milliValue, limit > 0 {
            out.cpuPeriod = 100_000
            out.cpuQuota = max(1000, limit * 100_000 / 1000)
        }
        if let memory = resources["limits"]["memory"].string.flatMap({ try? Quantity.parse($0) }) {
            out.memoryLimitInBytes = memory.value
        }
        return out
    }

    static func security(_ context: JSON, pod: JSON) -> Runtime_V1_LinuxContainerSecurityContext {
        var out = Runtime_V1_LinuxContainerSecurityContext()
        out.privileged = context["privileged"].bool ?? false
        if let user = context["runAsUser"].int ?? pod["runAsUser"].int { out.runAsUser.value = user }
        if let group = context["runAsGroup"].int ?? pod["runAsGroup"].int { out.runAsGroup.value = group }
        out.readonlyRootfs = context["readOnlyRootFilesystem"].bool ?? false
        out.supplementalGroups = (pod["supplementalGroups"].array ?? []).compactMap(\.int)
        out.noNewPrivs = context["allowPrivilegeEscalation"].bool == false
        out.capabilities.addCapabilities = (context["capabilities"]["add"].array ?? []).compactMap { $0.string.map { "CAP_" + $0 } }
        out.capabilities.dropCapabilities = (context["capabilities"]["drop"].array ?? []).compactMap { $0.string.map { "CAP_" + $0 } }
        out.namespaceOptions.network = .pod
        out.namespaceOptions.pid = .container
        out.namespaceOptions.ipc = .pod
        return out
    }
}

/// A short hash of a container's spec: a container whose spec changed is restarted.
enum ContainerHash {
    static func of(_ container: JSON) -> String {
        // FNV-1a over the canonical JSON (members sorted by name).
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in container.serialized() {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return String(hash, radix: 16)
    }
}
