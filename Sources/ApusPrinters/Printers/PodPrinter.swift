import ApusMachinery

/// Pods: READY, the aggregate STATUS (kubectl's "reason" logic), RESTARTS with the last restart's age.
enum PodPrinter {
    static let printer = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Columns.string("Status", "The aggregate status of the containers in this pod."),
            Columns.string(
                "Restarts",
                "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            Columns.age,
            Columns.string("IP", "IP address allocated to the pod.", priority: 1),
            Columns.string("Node", "NodeName is the node the pod is scheduled onto.", priority: 1),
            Columns.string("Nominated Node", "The node the scheduler nominated for this pod after preemption.", priority: 1),
            Columns.string("Readiness Gates", "Pod conditions evaluated for pod readiness.", priority: 1),
        ],
        cells: { pod, now in cells(pod, now: now) },
        rowConditions: { pod in rowConditions(pod) })

    static func cells(_ pod: JSON, now: Double) -> [JSON] {
        let summary = PodSummary(pod)
        var restarts = String(summary.restarts)
        if summary.restarts != 0, let last = summary.lastRestart {
            restarts = "\(summary.restarts) (\(TablePrinters.humanDuration(seconds: now - last)) ago)"
        }
        return [
            .string(Read.name(pod)),
            .string("\(summary.readyContainers)/\(summary.totalContainers)"),
            .string(summary.reason),
            .string(restarts),
            .string(Read.age(pod, now: now)),
            .string(podIP(pod)),
            .string(nonEmpty(Read.string(pod, "spec", "nodeName"))),
            .string(nonEmpty(Read.string(pod, "status", "nominatedNodeName"))),
            .string(readinessGates(pod)),
        ]
    }

    static func rowConditions(_ pod: JSON) -> [JSON] {
        switch Read.string(pod, "status", "phase") {
        case "Succeeded":
            return [["type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."]]
        case "Failed":
            return [["type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."]]
        default:
            return []
        }
    }

    private static func podIP(_ pod: JSON) -> String {
        // Older objects carry only status.podIP; Kubernetes converts it into podIPs[0].
        let ip = Read.string(Read.array(pod, "status", "podIPs").first ?? .null, "ip")
        return nonEmpty(ip.isEmpty ? Read.string(pod, "status", "podIP") : ip)
    }

    private static func readinessGates(_ pod: JSON) -> String {
        let gates = Read.array(pod, "spec", "readinessGates")
        guard !gates.isEmpty else { return "<none>" }
        let conditions = Read.array(pod, "status", "conditions")
        let satisfied = gates.filter { gate in
            let type = Read.string(gate, "conditionType")
            return Read.condition(conditions, type: type).map { Read.string($0, "status") == "True" } ?? false
        }.count
        return "\(satisfied)/\(gates.count)"
    }

    private static func nonEmpty(_ text: String) -> String { text.isEmpty ? "<none>" : text }
}

/// The READY/STATUS/RESTARTS figures of a pod, computed the way kube-apiserver's pod printer does.
struct PodSummary {
    private(set) var reason: String
    private(set) var readyContainers = 0
    private(set) var totalContainers: Int
    private(set) var restarts: Int64 = 0
    /// When the most recently restarted container last terminated (seconds since 1970).
    private(set) var lastRestart: Double?

    init(_ pod: JSON) {
        let status = pod["status"]
        let phase = Read.string(status, "phase")
        let conditions = Read.array(status, "conditions")
        reason = phase
        if let statusReason = Read.optionalString(status, "reason"), !statusReason.isEmpty { reason = statusReason }
        if conditions.contains(where: { Read.string($0, "type") == "PodScheduled" && Read.string($0, "reason") == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }

        let initContainers = Read.array(pod, "spec", "initContainers")
        // Sidecars are init containers with restartPolicy Always; they count towards READY.
        var sidecars = Set<String>()
        for container in initContainers where Read.string(container, "restartPolicy") == "Always" {
            sidecars.insert(Read.string(container, "name"))
        }
        totalContainers = Read.array(pod, "spec", "containers").count + sidecars.count

        var sidecarRestarts: Int64 = 0
        var lastSidecarRestart: Double?
        var initializing = false
        for (index, container) in Read.array(status, "initContainerStatuses").enumerated() {
            let restartCount = Read.int(container, "restartCount")
            let terminatedAt = Self.lastTerminationTime(container)
            restarts += restartCount
            lastRestart = Self.later(lastRestart, terminatedAt)
            let isSidecar = sidecars.contains(Read.string(container, "name"))
            if isSidecar {
                sidecarRestarts += restartCount
                lastSidecarRestart = Self.later(lastSidecarRestart, terminatedAt)
            }

            let terminated = container["state"]["terminated"]
            let waiting = container["state"]["waiting"]
            if terminated.object != nil && Read.int(terminated, "exitCode") == 0 { continue }
            if isSidecar && Read.bool(container, "started") {
                if Read.bool(container, "ready") { readyContainers += 1 }
                continue
            }
            if terminated.object != nil {
                let terminatedReason = Read.string(terminated, "reason")
                if !terminatedReason.isEmpty {
                    reason = "Init:" + terminatedReason
                } else if Read.int(terminated, "signal") != 0 {
                    reason = "Init:Signal:\(Read.int(terminated, "signal"))"
                } else {
                    reason = "Init:ExitCode:\(Read.int(terminated, "exitCode"))"
                }
            } else if waiting.object != nil, !Read.string(waiting, "reason").isEmpty,
                      Read.string(waiting, "reason") != "PodInitializing" {
                reason = "Init:" + Read.string(waiting, "reason")
            } else {
                reason = "Init:\(index)/\(initContainers.count)"
            }
            initializing = true
            break
        }

        let initialized = conditions.contains { Read.string($0, "type") == "Initialized" && Read.string($0, "status") == "True" }
        if !initializing || initialized {
            restarts = sidecarRestarts
            lastRestart = lastSidecarRestart
            var hasRunning = false
            for container in Read.array(status, "containerStatuses").reversed() {
                restarts += Read.int(container, "restartCount")
                lastRestart = Self.later(lastRestart, Self.lastTerminationTime(container))
                let waiting = container["state"]["waiting"]
                let terminated = container["state"]["terminated"]
                if waiting.object != nil, !Read.string(waiting, "reason").isEmpty {
                    reason = Read.string(waiting, "reason")
                } else if terminated.object != nil, !Read.string(terminated, "reason").isEmpty {
                    reason = Read.string(terminated, "reason")
                } else if terminated.object != nil {
                    let signal = Read.int(terminated, "signal")
                    reason = signal != 0 ? "Signal:\(signal)" : "ExitCode:\(Read.int(terminated, "exitCode"))"
                } else if Read.bool(container, "ready"), container["state"]["running"].object != nil {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            // A pod whose last container completed but another still runs is not "Completed".
            if reason == "Completed" && hasRunning {
                let ready = conditions.contains { Read.string($0, "type") == "Ready" && Read.string($0, "status") == "True" }
                reason = ready ? "Running" : "NotReady"
            }
        }

        if Read.isDeleting(pod) {
            if Read.optionalString(status, "reason") == "NodeLost" {
                reason = "Unknown"
            } else if phase != "Succeeded" && phase != "Failed" {
                reason = "Terminating"
            }
        }
    }

    private static func lastTerminationTime(_ container: JSON) -> Double? {
        let terminated = container["lastState"]["terminated"]
        guard terminated.object != nil else { return nil }
        return TablePrinters.timestampSeconds(terminated["finishedAt"])
    }

    private static func later(_ current: Double?, _ candidate: Double?) -> Double? {
        guard let candidate else { return current }
        guard let current else { return candidate }
        return max(current, candidate)
    }
}
