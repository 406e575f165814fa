import ApusMachinery

/// What simulated nodes report and how fast simulated pods move.
public struct SimulationSettings: Sendable {
    /// Capacity (and allocatable) of every simulated node.
    public var cpu = "4"
    public var memory = "16Gi"
    public var pods = 110
    public var ephemeralStorage = "100Gi"
    /// Extra labels on every node.
    public var labels: [String: String] = [:]
    /// How long a pod that is not restarted forever (restartPolicy Never or OnFailure) runs before
    /// its containers exit; a pod's `simulation.apus.dev/run-seconds` annotation overrides it.
    public var runSeconds: Double = 5
    /// How long containers take to stop after SIGTERM (never longer than the grace period).
    public var terminationSeconds: Double = 1
    /// The node Lease's duration; it is renewed every quarter of it, as the kubelet does.
    public var leaseDurationSeconds: Int64 = 40
    /// How often the node status is posted when nothing changed (the kubelet's
    /// nodeStatusReportFrequency).
    public var statusReportSeconds: Double = 60

    public init() {}

    public var renewSeconds: Double { Double(leaseDurationSeconds) / 4 }
}

/// The annotations that steer the simulation.
public enum SimulationAnnotations {
    /// On a node: "paused" stops its heartbeats (Lease and status), as if its kubelet hung.
    public static let heartbeat = "simulation.apus.dev/heartbeat"
    /// On a pod: seconds its containers run before exiting (pods not restarted forever).
    public static let runSeconds = "simulation.apus.dev/run-seconds"
    /// On a pod: the exit code its containers end with (default 0).
    public static let exitCode = "simulation.apus.dev/exit-code"
    /// On a node: marks it as simulated.
    public static let simulated = "simulation.apus.dev/simulated"
}
