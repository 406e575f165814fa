import ApusCRI
import ApusControllerKit
import ApusMachinery

/// The pod status the kubelet reports, from what the runtime says and why containers wait.
struct PodStatusBuilder {
    let hostIP: String
    let now: Double

    func build(_ pod: JSON, runtime: RuntimePod, sandbox: Runtime_V1_PodSandbox?, podIP: String?,
               waiting: [String: PodWorkerState.Waiting], probes: [String: ProbeManager.ContainerState] = [:]) -> JSON {
        var status = pod["status"].isNull ? JSON.emptyObject : pod["status"]
        let spec = pod["spec"]
        let initSpecs = spec["initContainers"].array ?? []
        let specs = spec["containers"].array ?? []
        let sandboxID = sandbox?.id
        let initStatuses = initSpecs.map { containerStatus($0, runtime: runtime, sandbox: sandboxID, waiting: waiting[$0["name"].string ?? ""]) }
        let statuses = specs.map { containerStatus($0, runtime: runtime, sandbox: sandboxID, waiting: waiting[$0["name"].string ?? ""], probes: probes) }
        let restartPolicy = spec["restartPolicy"].string ?? "Always"
        let initialized = initSpecs.indices.allSatisfy { initStatuses[$0]["state"]["terminated"]["exitCode"].int == 0 }
        let phase = Self.phase(initStatuses: initStatuses, statuses: statuses, initialized: initialized, restartPolicy: restartPolicy)

        status["phase"] = .string(phase)
        status["hostIP"] = .string(hostIP)
        status["hostIPs"] = [["ip": .string(hostIP)]]
        if let podIP, !podIP.isEmpty {
            status["podIP"] = .string(podIP)
            status["podIPs"] = [["ip": .string(podIP)]]
        }
        if status["startTime"].isNull { status["startTime"] = .string(Timestamp.rfc3339(now)) }
        status["qosClass"] = .string(PodConditions.qosClass(pod))
        if !initSpecs.isEmpty { status["initContainerStatuses"] = .array(initStatuses) }
        status["containerStatuses"] = .array(statuses)

        var conditions = status["conditions"].array ?? []
        let sandboxReady = sandbox?.state == .sandboxReady
        let containersReady = statuses.allSatisfy { $0["ready"].bool == true }
        PodConditions.set(&conditions, type: "PodReadyToStartContainers", status: sandboxReady ? "True" : "False", reason: nil, at: now)
        PodConditions.set(&conditions, type: "Initialized", status: initialized ? "True" : "False",
                          reason: initialized ? nil : "ContainersNotInitialized", at: now)
        let notReady = statuses.filter { $0["ready"].bool != true }.compactMap { $0["name"].string }
        let readyReason = containersReady ? nil : (phase == "Succeeded" || phase == "Failed" ? "PodCompleted" : "ContainersNotReady")
        PodConditions.set(&conditions, type: "ContainersReady", status: containersReady ? "True" : "False", reason: readyReason, at: now)
        PodConditions.set(&conditions, type: "Ready", status: containersReady ? "True" : "False", reason: readyReason, at: now)
        if !containersReady, readyReason == "ContainersNotReady" {
            let message = "containers with unready status: [\(notReady.joined(separator: " "))]"
            for type in ["ContainersReady", "Ready"] {
                if let index = conditions.firstIndex(where: { $0["type"].string == type }) { conditions[index]["message"] = .string(message) }
            }
        }
        status["conditions"] = .array(Self.ordered(conditions))
        return status
    }

    /// Kubernetes' order of the kubelet's conditions, others (PodScheduled, readiness gates) after.
    static func ordered(_ conditions: [JSON]) -> [JSON] {
        let order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
        return conditions.sorted { (order.firstIndex(of: $0["type"].string ?? "") ?? 99) < (order.firstIndex(of: $1["type"].string ?? "") ?? 99) }
    }

    /// One container's status; `probes` holds what the probes of running instances say (a running
    /// instance absent from it has no probes).
    func containerStatus(_ spec: JSON, runtime: RuntimePod, sandbox: String?, waiting: PodWorkerState.Waiting?,
                         probes: [String: ProbeManager.ContainerState] = [:]) -> JSON {
        let name = spec["name"].string ?? ""
        // Instances of earlier sandboxes count too: restartCount and lastState outlive a sandbox.
        let all = runtime.containers.filter { $0.metadata.name == name }
        let latest = all.first
        var status: JSON = ["name": .string(name), "image": .string(spec["image"].string ?? ""), "imageID": "",
                            "ready": false, "started": false, "restartCount": .int(Int64(latest?.metadata.attempt ?? 0))]
        if let latest {
            status["containerID"] = .string("containerd://" + latest.id)
            status["imageID"] = .string(latest.imageRef)
        }
        let running = latest?.state == .containerRunning
        if let waiting, !running {
            status["state"] = ["waiting": ["reason": .string(waiting.reason), "message": .string(waiting.message)]]
            if let latest, latest.state == .containerExited { status["lastState"] = ["terminated": terminated(latest)] }
        } else if let latest {
            switch latest.state {
            case .containerRunning:
                status["state"] = ["running": ["startedAt": .string(Timestamp.rfc3339(Double(latest.startedAt) / 1e9))]]
                let probed = probes[latest.id] ?? ProbeManager.ContainerState(started: true, ready: true, failed: nil)
                status["started"] = .bool(probed.started)
                status["ready"] = .bool(probed.ready)
            case .containerExited:
                status["state"] = ["terminated": terminated(latest)]
            default:
                status["state"] = ["waiting": ["reason": "ContainerCreating"]]
            }
            if all.count > 1, all[1].state == .containerExited, status["lastState"].isNull {
                status["lastState"] = ["terminated": terminated(all[1])]
            }
        } else {
            status["state"] = ["waiting": ["reason": .string(sandbox == nil ? "ContainerCreating" : "PodInitializing")]]
        }
        if status["lastState"].isNull { status["lastState"] = [:] }
        return status
    }

    func terminated(_ container: Runtime_V1_ContainerStatus) -> JSON {
        var reason = container.reason
        if reason.isEmpty { reason = container.exitCode == 0 ? "Completed" : "Error" }
        var out: JSON = ["exitCode": .int(Int64(container.exitCode)), "reason": .string(reason), "containerID": .string("containerd://" + container.id)]
        if container.startedAt > 0 { out["startedAt"] = .string(Timestamp.rfc3339(Double(container.startedAt) / 1e9)) }
        if container.finishedAt > 0 { out["finishedAt"] = .string(Timestamp.rfc3339(Double(container.finishedAt) / 1e9)) }
        if !container.message.isEmpty { out["message"] = .string(container.message) }
        return out
    }

    /// The kubelet's pod phase: Pending until initialized and every container has started,
    /// Running while containers run or will be restarted, Succeeded or Failed when all have
    /// terminated for good.
    static func phase(initStatuses: [JSON], statuses: [JSON], initialized: Bool, restartPolicy: String) -> String {
        if !initialized {
            let failed = initStatuses.contains { ($0["state"]["terminated"]["exitCode"].int ?? 0) != 0 || ($0["lastState"]["terminated"]["exitCode"].int ?? 0) != 0 }
            return failed && restartPolicy == "Never" ? "Failed" : "Pending"
        }
        var running = 0, waiting = 0, stopped = 0, succeeded = 0
        for status in statuses {
            let state = status["state"]
            if !state["running"].isNull {
                running += 1
            } else if !state["terminated"].isNull {
                stopped += 1
                if state["terminated"]["exitCode"].int == 0 { succeeded += 1 }
            } else if !status["lastState"]["terminated"].isNull {
                // Waiting to restart after it ran: counted as stopped, as the kubelet does.
                stopped += 1
                if status["lastState"]["terminated"]["exitCode"].int == 0 { succeeded += 1 }
            } else {
                waiting += 1
            }
        }
        if waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        if stopped > 0 {
            if restartPolicy == "Always" { return "Running" }
            if stopped == succeeded { return "Succeeded" }
            return restartPolicy == "Never" ? "Failed" : "Running"
        }
        return "Pending"
    }
}
