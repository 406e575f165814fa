import ApusControllerKit
import ApusMachinery

/// What a simulated kubelet does next with one pod bound to its node.
enum SimulatedPodStep: Equatable {
    /// Nothing until the pod changes.
    case idle
    /// Nothing yet; look again after this many seconds.
    case wait(Double)
    /// Post this status, then look again after the given seconds (nil: when the pod changes).
    case post(status: JSON, recheckAfter: Double?)
    /// Containers have stopped: remove the pod object (grace period 0, as the kubelet confirms).
    case remove
}

/// The pod lifecycle without containers: Pending → Running (Ready once readiness delays pass) →
/// for pods not restarted forever, Succeeded or Failed after their run time; a pod being deleted
/// stops after the termination time (within its grace period) and is removed.
struct SimulatedPodLifecycle {
    let settings: SimulationSettings
    let now: Double

    func step(_ pod: JSON, podIP: String, hostIP: String) -> SimulatedPodStep {
        let phase = PodState.phase(pod)
        if PodState.isTerminating(pod) { return terminate(pod, phase: phase) }
        if phase == "Succeeded" || phase == "Failed" { return .idle }
        guard let started = pod["status"]["startTime"].string.flatMap(Timestamp.parse), phase == "Running" else {
            return .post(status: running(pod, podIP: podIP, hostIP: hostIP), recheckAfter: readinessDelay(pod) > 0 ? readinessDelay(pod) : runTime(pod))
        }
        if !PodState.isReady(pod) {
            let readyAt = started + readinessDelay(pod)
            if now < readyAt { return .wait(readyAt - now) }
            return .post(status: withReadiness(pod["status"], ready: true), recheckAfter: runTime(pod))
        }
        guard let runSeconds = runTime(pod) else { return .idle }
        let containerStart = (pod["status"]["containerStatuses"].array ?? []).compactMap {
            $0["state"]["running"]["startedAt"].string.flatMap(Timestamp.parse)
        }.max() ?? started
        let exitAt = containerStart + runSeconds
        if now < exitAt { return .wait(exitAt - now) }
        return .post(status: exited(pod, code: exitCode(pod)), recheckAfter: nil)
    }

    // MARK: Phases

    private func running(_ pod: JSON, podIP: String, hostIP: String) -> JSON {
        let stamp = JSON.string(Timestamp.rfc3339(now))
        var status = pod["status"]
        status["phase"] = "Running"
        status["hostIP"] = .string(hostIP)
        status["hostIPs"] = [["ip": .string(hostIP)]]
        status["podIP"] = .string(podIP)
        status["podIPs"] = [["ip": .string(podIP)]]
        status["startTime"] = stamp
        status["qosClass"] = .string(PodConditions.qosClass(pod))
        status["initContainerStatuses"] = .array((pod["spec"]["initContainers"].array ?? []).map { container in
            Self.containerStatus(container, pod: pod, ready: true,
                                 state: ["terminated": ["exitCode": 0, "reason": "Completed", "startedAt": stamp, "finishedAt": stamp]])
        })
        if status["initContainerStatuses"] == .array([]) { status["initContainerStatuses"] = .null }
        status["containerStatuses"] = .array((pod["spec"]["containers"].array ?? []).map { container in
            Self.containerStatus(container, pod: pod, ready: false, state: ["running": ["startedAt": stamp]])
        })
        var conditions = status["conditions"].array ?? []
        for type in ["PodReadyToStartContainers", "Initialized", "PodScheduled"] {
            PodConditions.set(&conditions, type: type, status: "True", reason: nil, at: now)
        }
        status["conditions"] = .array(conditions)
        return readinessDelay(pod) > 0 ? withReadiness(status, ready: false) : withReadiness(status, ready: true)
    }

    private func withReadiness(_ status: JSON, ready: Bool) -> JSON {
        var status = status
        status["containerStatuses"] = .array((status["containerStatuses"].array ?? []).map { container in
            var container = container
            container["ready"] = .bool(ready)
            return container
        })
        var conditions = status["conditions"].array ?? []
        let reason: String? = ready ? nil : "ContainersNotReady"
        PodConditions.set(&conditions, type: "ContainersReady", status: ready ? "True" : "False", reason: reason, at: now)
        PodConditions.set(&conditions, type: "Ready", status: ready ? "True" : "False", reason: reason, at: now)
        status["conditions"] = .array(conditions)
        return status
    }

    /// The containers exit with `code`: Succeeded or Failed, or (OnFailure, nonzero) restarted.
    private func exited(_ pod: JSON, code: Int64) -> JSON {
        let stamp = JSON.string(Timestamp.rfc3339(now))
        var status = pod["status"]
        let restartPolicy = pod["spec"]["restartPolicy"].string ?? "Always"
        let restart = code != 0 && restartPolicy == "OnFailure"
        status["containerStatuses"] = .array((status["containerStatuses"].array ?? []).map { container in
            var container = container
            let terminated: JSON = ["terminated": ["exitCode": .int(code), "reason": code == 0 ? "Completed" : "Error",
                                                   "startedAt": container["state"]["running"]["startedAt"], "finishedAt": stamp,
                                                   "containerID": container["containerID"]]]
            if restart {
                container["lastState"] = terminated
                container["state"] = ["running": ["startedAt": stamp]]
                container["restartCount"] = .int((container["restartCount"].int ?? 0) + 1)
            } else {
                container["state"] = terminated
                container["ready"] = false
                container["started"] = false
            }
            return container
        })
        if restart { return status }
        status["phase"] = code == 0 ? "Succeeded" : "Failed"
        var conditions = status["conditions"].array ?? []
        PodConditions.set(&conditions, type: "ContainersReady", status: "False", reason: "PodCompleted", at: now)
        PodConditions.set(&conditions, type: "Ready", status: "False", reason: "PodCompleted", at: now)
        PodConditions.set(&conditions, type: "PodReadyToStartContainers", status: "False", reason: nil, at: now)
        status["conditions"] = .array(conditions)
        return status
    }

    /// Deletion: containers get SIGTERM and stop after the termination time (never later than the
    /// grace period); a pod a finalizer still holds first reaches a terminal phase, as the kubelet
    /// reports it, so whoever holds the finalizer can count it.
    private func terminate(_ pod: JSON, phase: String) -> SimulatedPodStep {
        guard let deadline = pod["metadata"]["deletionTimestamp"].string.flatMap(Timestamp.parse) else { return .remove }
        let grace = Double(pod["metadata"]["deletionGracePeriodSeconds"].int ?? 0)
        let stopAt = deadline - grace + min(grace, settings.terminationSeconds)
        if now < stopAt { return .wait(stopAt - now) }
        let holdsFinalizers = !(pod["metadata"]["finalizers"].array ?? []).isEmpty
        if holdsFinalizers, phase != "Succeeded", phase != "Failed" {
            var status = exited(pod, code: 137)
            status["phase"] = "Failed"
            return .post(status: status, recheckAfter: nil)
        }
        return .remove
    }

    // MARK: Pod facts

    /// The longest readiness-probe initial delay (0 without probes).
    private func readinessDelay(_ pod: JSON) -> Double {
        (pod["spec"]["containers"].array ?? []).map { Double($0["readinessProbe"]["initialDelaySeconds"].int ?? 0) }.max() ?? 0
    }

    /// How long containers run before exiting, nil for pods restarted forever.
    private func runTime(_ pod: JSON) -> Double? {
        if let text = pod["metadata"]["annotations"][SimulationAnnotations.runSeconds].string, let seconds = Double(text) { return max(0, seconds) }
        guard (pod["spec"]["restartPolicy"].string ?? "Always") != "Always" else { return nil }
        return settings.runSeconds
    }

    private func exitCode(_ pod: JSON) -> Int64 {
        pod["metadata"]["annotations"][SimulationAnnotations.exitCode].string.flatMap { Int64($0) } ?? 0
    }

    static func containerStatus(_ container: JSON, pod: JSON, ready: Bool, state: JSON) -> JSON {
        let name = container["name"].string ?? ""
        let image = container["image"].string ?? ""
        let uid = pod["metadata"]["uid"].string ?? ""
        let running = !state["running"].isNull
        return ["name": .string(name), "image": .string(image), "imageID": .string("simulated://" + image),
                "containerID": .string("simulated://\(uid)/\(name)"), "ready": .bool(ready), "started": .bool(running),
                "restartCount": 0, "state": state]
    }
}
