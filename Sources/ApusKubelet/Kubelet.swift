import ApusCRI
import ApusControllerKit
import ApusMachinery
import Logging

/// What the node is registered as.
public struct NodeSettings: Sendable {
    public var name: String
    /// Servers' nodes carry the control-plane role label.
    public var controlPlane: Bool
    public var labels: [String: String]
    public var taints: [JSON]
    public var kubeletPort: Int
    /// The cluster's pod range (nodes get a /24 of it from the server).
    public var clusterCIDR: String

    public init(name: String, controlPlane: Bool, labels: [String: String] = [:], taints: [JSON] = [], kubeletPort: Int = 10250,
                clusterCIDR: String = "10.42.0.0/16") {
        self.name = name
        self.controlPlane = controlPlane
        self.labels = labels
        self.taints = taints
        self.kubeletPort = kubeletPort
        self.clusterCIDR = clusterCIDR
    }
}

/// The kubelet: registers its node and keeps its status and Lease current, and runs the pods bound
/// to the node through the container runtime, reporting their status.
///
/// Keys are `node` and `pod/<namespace>/<name>`. Besides the cluster's changes, a relist of the
/// runtime every second (Kubernetes' PLEG) wakes the pods whose containers changed state.
package struct Kubelet: ControlLoop {
    package let name = "kubelet"
    let context: ControllerContext
    let runtime: any ContainerRuntime
    let node: NodeSettings
    let facts: HostFacts
    let paths: PodPaths
    let cniConfDirectory: String
    let configs: RuntimeConfigs
    let state = PodWorkerState()
    let probes: ProbeManager
    let imageImport: ImageImportProgress
    let usage: ResourceUsage
    let logger: Logger
    /// How often the Lease is renewed and the node's status checked.
    var renewSeconds = 10.0
    var statusReportSeconds = 60.0
    var relistSeconds = 1.0

    package init(context: ControllerContext, runtime: any ContainerRuntime, node: NodeSettings, facts: HostFacts,
                 dataDirectory: String, cniConfDirectory: String, hostDNS: Runtime_V1_DNSConfig,
                 imageImport: ImageImportProgress = ImageImportProgress(finished: true), usage: ResourceUsage = ResourceUsage(),
                 logger: Logger) {
        self.context = context
        self.runtime = runtime
        self.node = node
        self.facts = facts
        paths = PodPaths(root: dataDirectory)
        self.cniConfDirectory = cniConfDirectory
        self.imageImport = imageImport
        self.usage = usage
        configs = RuntimeConfigs(paths: paths, hostDNS: hostDNS)
        let clock = context.clock
        probes = ProbeManager(prober: Prober(runtime: runtime), events: context.events("kubelet"), now: { clock.now() })
        self.logger = logger
    }

    package var workers: Int { 8 }

    package var watches: [LoopWatch] {
        let nodeName = node.name
        return [
            LoopWatch(.nodes) { old, new in
                (new ?? old)?["metadata"]["name"].string == nodeName ? ["node"] : []
            },
            LoopWatch(.pods) { old, new in
                let onNode = [old, new].contains { $0.flatMap(PodState.nodeName) == nodeName }
                guard onNode, let pod = new ?? old else { return [] }
                return ["pod/" + ObjectKey.of(pod)]
            },
            // Followed for pods' environment and volumes, and the node's Lease; their changes wake nothing.
            LoopWatch(.configMaps) { _, _ in [] },
            LoopWatch(.secrets) { _, _ in [] },
            LoopWatch(.leases) { _, _ in [] },
        ]
    }

    package var initialKeys: [String] { ["node"] }

    package var triggers: [LoopTrigger] {
        [LoopTrigger { enqueue in await relist(enqueue) },
         // Probe workers wake their pod when a result changes.
         LoopTrigger { enqueue in await probes.setEnqueue { key in await enqueue("pod/" + key) } },
         // Resource usage for the summary API, every 10 s.
         LoopTrigger { _ in
             while !Task.isCancelled {
                 await usage.sample(runtime: runtime, now: context.clock.now())
                 try? await Task.sleep(for: .seconds(10))
             }
         }]
    }

    package func sync(_ key: String) async -> SyncResult {
        if key == "node" { return await syncNode() }
        if key.hasPrefix("pod/") { return await syncPod(String(key.dropFirst(4))) }
        return .done
    }

    /// Kubernetes' pod lifecycle event generator, by relisting: every second, the state of every
    /// sandbox and container; a pod whose sandboxes or containers changed is synced. The first
    /// relist syncs every pod the runtime has, so an agent that restarts adopts them.
    func relist(_ enqueue: @escaping @Sendable (String) async -> Void) async {
        var previous: [String: String] = [:]
        while !Task.isCancelled {
            var current: [String: String] = [:]
            var owners: [String: String] = [:]
            do {
                for sandbox in try await runtime.listPodSandboxes(Runtime_V1_PodSandboxFilter()) {
                    current[sandbox.id] = "\(sandbox.state.rawValue)"
                    owners[sandbox.id] = RuntimeLabels.podKey(sandbox.labels)
                }
                for container in try await runtime.listContainers(Runtime_V1_ContainerFilter()) {
                    current[container.id] = "\(container.state.rawValue)"
                    owners[container.id] = RuntimeLabels.podKey(container.labels)
                }
                var changed = Set<String>()
                for (id, state) in current where previous[id] != state {
                    if let owner = owners[id] { changed.insert(owner) }
                }
                for key in changed { await enqueue("pod/" + key) }
                previous = current
            } catch {
                logger.debug("relist failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(relistSeconds))
        }
    }
}
