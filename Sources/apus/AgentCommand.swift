import ApusAssembly
import ApusNodeSimulator
import ArgumentParser
import Logging

struct Agent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a node agent: a kubelet that runs pods on containerd. With --simulate N: N simulated nodes whose pods run without containers (as KWOK does).",
        discussion: """
        A real agent starts containerd as a child with a config it renders under --data-dir (unless \
        --container-runtime-endpoint names a running one), loads the image archives of <data-dir>/images, \
        registers the node and runs the pods bound to it.

        Simulated nodes register with the given capacity, renew their Leases and report pods Running and Ready. \
        Pods with restartPolicy Never or OnFailure finish after --run-seconds (annotation simulation.apus.dev/run-seconds \
        overrides it; simulation.apus.dev/exit-code sets the exit code). Annotating a node \
        simulation.apus.dev/heartbeat=paused stops its heartbeats, as if its kubelet hung.
        """)

    @Option(help: "Number of simulated nodes to run.")
    var simulate: Int?
    @Option(help: "The agent's data directory (containerd, CNI config, pods' volumes and logs).")
    var dataDir = "/var/lib/apus/agent"
    @Option(help: "The node's name (default: this host's name).")
    var nodeName: String?
    @Option(help: "The node's InternalIP (default: the address of the interface with the default route).")
    var nodeIp: String?
    @Option(help: "CRI socket of a containerd that is already running, e.g. unix:///run/containerd/containerd.sock.")
    var containerRuntimeEndpoint: String?
    @Option(help: "kubeconfig of the cluster to join (e.g. the admin kubeconfig `apus server` writes).")
    var kubeconfig: String?
    @Option(help: "Simulated node names are <prefix>1 … <prefix>N.")
    var nodePrefix = "sim-"
    @Option(help: "Pod CIDR index of the first simulated node (10.42.<index>.0/24).")
    var firstNodeIndex = 1
    @Option(help: "CPU capacity of each simulated node.")
    var cpu = "4"
    @Option(help: "Memory capacity of each simulated node.")
    var memory = "16Gi"
    @Option(help: "Pod capacity of each simulated node.")
    var pods = 110
    @Option(help: "Seconds a pod with restartPolicy Never or OnFailure runs before it completes.")
    var runSeconds: Double = 5
    @Option(help: "Seconds containers take to stop after SIGTERM (capped by the grace period).")
    var terminationSeconds: Double = 1
    @Option(parsing: .singleValue, help: "A label key=value for the node (every simulated node) (repeatable).")
    var nodeLabel: [String] = []
    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        if let simulate, !(1...5000).contains(simulate) { throw ValidationError("--simulate must be between 1 and 5000") }
        guard kubeconfig != nil else { throw ValidationError("--kubeconfig is required") }
        for label in nodeLabel where !label.contains("=") { throw ValidationError("--node-label \(label): expected key=value") }
    }

    func run() async throws {
        let level = try bootstrapLogging(logLevel)
        guard simulate != nil else {
            var labels: [String: String] = [:]
            for label in nodeLabel {
                let parts = label.split(separator: "=", maxSplits: 1).map(String.init)
                labels[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            let config = NodeAgentConfig(dataDir: dataDir, nodeName: nodeName, nodeIP: nodeIp, controlPlane: false, labels: labels,
                                         containerRuntimeEndpoint: containerRuntimeEndpoint)
            try await AgentAssembly.runNode(config, kubeconfig: kubeconfig ?? "", logLevel: level)
            return
        }
        var settings = SimulationSettings()
        settings.cpu = cpu
        settings.memory = memory
        settings.pods = pods
        settings.runSeconds = runSeconds
        settings.terminationSeconds = terminationSeconds
        for label in nodeLabel {
            let parts = label.split(separator: "=", maxSplits: 1).map(String.init)
            settings.labels[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        try await AgentAssembly.runSimulated(SimulatedAgentConfig(
            kubeconfig: kubeconfig ?? "", nodeCount: simulate ?? 1, namePrefix: nodePrefix, firstIndex: firstNodeIndex,
            settings: settings, logLevel: level))
    }
}
