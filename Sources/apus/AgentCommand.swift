import ApusAssembly
import ApusNodeSimulator
import ArgumentParser
import Logging

struct Agent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a node agent. With --simulate N: N simulated nodes whose pods run without containers (as KWOK does).",
        discussion: """
        Simulated nodes register with the given capacity, renew their Leases and report pods Running and Ready. \
        Pods with restartPolicy Never or OnFailure finish after --run-seconds (annotation simulation.apus.dev/run-seconds \
        overrides it; simulation.apus.dev/exit-code sets the exit code). Annotating a node \
        simulation.apus.dev/heartbeat=paused stops its heartbeats, as if its kubelet hung.
        """)

    @Option(help: "Number of simulated nodes to run.")
    var simulate: Int?
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
    @Option(parsing: .singleValue, help: "A label key=value for every simulated node (repeatable).")
    var nodeLabel: [String] = []
    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard let simulate else {
            throw ValidationError("only simulated nodes are available in this build: pass --simulate N")
        }
        guard (1...5000).contains(simulate) else { throw ValidationError("--simulate must be between 1 and 5000") }
        guard kubeconfig != nil else { throw ValidationError("--kubeconfig is required") }
        for label in nodeLabel where !label.contains("=") { throw ValidationError("--node-label \(label): expected key=value") }
    }

    func run() async throws {
        let level = try bootstrapLogging(logLevel)
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
