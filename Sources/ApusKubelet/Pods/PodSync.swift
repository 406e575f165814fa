import ApusCRI
import ApusControllerKit
import ApusMachinery
import Foundation

extension Kubelet {
    /// Brings one pod's sandbox and containers to what its spec asks, then reports its status.
    func syncPod(_ key: String) async -> SyncResult {
        // Pods wait for the node's images (the pause image among them).
        guard await imageImport.isFinished else { return .requeue(after: 1) }
        let pod = await context.lister(.pods).get(key)
        let current: RuntimePod
        do {
            current = try await RuntimePod.read(runtime, podKey: key)
        } catch {
            logger.debug("cannot read the pod from the runtime", metadata: ["pod": "\(key)", "error": "\(error)"])
            return .retry
        }
        guard let pod, PodState.nodeName(pod) == node.name else {
            // Gone from the API (or moved): whatever the runtime still runs for it goes.
            await removeAll(current, grace: 0)
            return .done
        }
        let uid = pod["metadata"]["uid"].string ?? ""
        // Sandboxes of an earlier pod of the same name.
        var stale = RuntimePod(sandboxes: current.sandboxes.filter { $0.metadata.uid != uid },
                               containers: current.containers.filter { $0.labels[RuntimeLabels.podUID] != uid })
        stale.sandboxOf = current.sandboxOf
        if !stale.sandboxes.isEmpty || !stale.containers.isEmpty { await removeAll(stale, grace: 0) }
        let mine = current.only(uid: uid)

        if PodState.isTerminating(pod) { return await terminate(pod, mine) }
        let phase = PodState.phase(pod)
        if phase == "Succeeded" || phase == "Failed" {
            // Finished for good: its network goes, its containers stay for their logs.
            for sandbox in mine.sandboxes where sandbox.state == .sandboxReady {
                try? await runtime.stopPodSandbox(sandbox.id)
            }
            return .done
        }
        return await run(pod, mine)
    }

    // MARK: Running

    private func run(_ pod: JSON, _ runtimePod: RuntimePod) async -> SyncResult {
        let events = context.events("kubelet")
        var requeue: Double?
        // Whether this sync changed containers, so the status must be read from the runtime again.
        var changed = false

        let sandbox: Runtime_V1_PodSandbox
        let sandboxConfig: Runtime_V1_PodSandboxConfig
        if let ready = runtimePod.sandboxes.first, ready.state == .sandboxReady {
            sandbox = ready
            sandboxConfig = configs.sandbox(pod, attempt: ready.metadata.attempt)
        } else {
            let dead = runtimePod.sandboxes.first
            if dead != nil {
                // The sandbox died (its network is gone): everything in it restarts in a new one.
                await events.record(pod, type: "Normal", reason: "SandboxChanged", message: "Pod sandbox changed, it will be killed and re-created.")
                await stopAll(runtimePod, grace: 0)
            }
            sandboxConfig = configs.sandbox(pod, attempt: dead.map { $0.metadata.attempt + 1 } ?? 0)
            do {
                try FileManager.default.createDirectory(atPath: sandboxConfig.logDirectory, withIntermediateDirectories: true)
                var created = Runtime_V1_PodSandbox()
                created.id = try await runtime.runPodSandbox(sandboxConfig)
                created.metadata = sandboxConfig.metadata
                created.state = .sandboxReady
                sandbox = created
                changed = true
            } catch {
                await events.record(pod, type: "Warning", reason: "FailedCreatePodSandBox", message: "Failed to create pod sandbox: \(error)")
                return .retry
            }
        }
        let podIP = (try? await runtime.podSandboxStatus(sandbox.id))?.network.ip
        var podWithIP = pod
        if let podIP, !podIP.isEmpty {
            podWithIP["status"]["podIP"] = .string(podIP)
            podWithIP["status"]["podIPs"] = [["ip": .string(podIP)]]
        }
        podWithIP["status"]["hostIP"] = .string(facts.internalIP)
        podWithIP["status"]["hostIPs"] = [["ip": .string(facts.internalIP)]]

        let restartPolicy = pod["spec"]["restartPolicy"].string ?? "Always"
        let volumes = prepareVolumes(pod)
        let now = context.clock.now()

        // Init containers, one at a time and in order; the app containers start once all succeeded.
        var initialized = true
        for spec in pod["spec"]["initContainers"].array ?? [] {
            let name = spec["name"].string ?? ""
            let latest = runtimePod.instances(of: name, sandbox: sandbox.id).first
            if latest?.state == .containerExited, latest?.exitCode == 0 { continue }
            initialized = false
            if latest?.state == .containerRunning || latest?.state == .containerCreated { break }
            if let latest, latest.state == .containerExited {
                if restartPolicy == "Never" { break }
                if let wait = await crashLoopWait(pod, spec, latest, now: now) { requeue = min(requeue ?? wait, wait); break }
            }
            let attempt = latest.map { $0.metadata.attempt + 1 } ?? 0
            changed = true
            if let wait = await start(spec, pod: podWithIP, isInit: true, attempt: attempt, sandbox: sandbox.id, sandboxConfig: sandboxConfig, volumes: volumes) {
                requeue = min(requeue ?? wait, wait)
            }
            break
        }
        if initialized {
            for spec in pod["spec"]["containers"].array ?? [] {
                let name = spec["name"].string ?? ""
                let latest = runtimePod.instances(of: name, sandbox: sandbox.id).first
                if let latest {
                    if latest.state == .containerRunning, let failed = await probes.state(of: latest.id).failed {
                        // A failed liveness or startup probe: the container is killed, and restarts by
                        // its restart policy once the runtime reports it exited.
                        await kill(latest, of: pod, spec, because: failed)
                        changed = true
                        continue
                    }
                    if latest.state == .containerRunning || latest.state == .containerCreated { continue }
                    let restart = restartPolicy == "Always" || (restartPolicy == "OnFailure" && latest.exitCode != 0)
                    if !restart { continue }
                    if let wait = await crashLoopWait(pod, spec, latest, now: now) { requeue = min(requeue ?? wait, wait); continue }
                }
                // Instances from an earlier sandbox count towards the restarts.
                let previous = runtimePod.containers.first { $0.metadata.name == name }
                let attempt = previous.map { $0.metadata.attempt + 1 } ?? 0
                changed = true
                if let wait = await start(spec, pod: podWithIP, isInit: false, attempt: attempt, sandbox: sandbox.id, sandboxConfig: sandboxConfig, volumes: volumes) {
                    requeue = min(requeue ?? wait, wait)
                }
            }
        }
        await pruneDeadInstances(runtimePod)
        let result = await postStatus(pod, runtimePod: changed ? nil : runtimePod, sandbox: sandbox, podIP: podIP)
        if result == .retry { return .retry }
        return requeue.map { .requeue(after: $0) } ?? .done
    }

    /// The time left of a container's crash-loop back-off (10 s doubling to 300 s; none after a
    /// run of ten minutes), or nil when it may restart now.
    private func crashLoopWait(_ pod: JSON, _ spec: JSON, _ latest: Runtime_V1_ContainerStatus, now: Double) async -> Double? {
        let name = spec["name"].string ?? ""
        let uid = pod["metadata"]["uid"].string ?? ""
        let restarts = Int(latest.metadata.attempt)
        let finished = Double(latest.finishedAt) / 1e9
        let ran = finished - Double(latest.startedAt) / 1e9
        guard ran < 600 else { return nil }
        let delay = restarts == 0 ? 0 : min(300, 10 * pow(2, Double(min(restarts - 1, 5))))
        let remaining = finished + delay - now
        guard remaining > 0 else { return nil }
        // The kubelet names a pod `name_namespace(uid)` in these messages.
        let podName = "\(pod["metadata"]["name"].string ?? "")_\(pod["metadata"]["namespace"].string ?? "")(\(uid))"
        let reason = PodWorkerState.Waiting(reason: "CrashLoopBackOff", message: "back-off \(Int(delay))s restarting failed container=\(name) pod=\(podName)")
        if await state.waitingReason(uid + "/" + name) != reason {
            await state.setWaiting(uid + "/" + name, reason)
            await context.events("kubelet").record(pod, type: "Warning", reason: "BackOff", message: "Back-off restarting failed container \(name) in pod \(podName)")
        }
        return remaining
    }

    /// Pulls the image as the policy says, then creates and starts one container. Returns when to
    /// look again if it could not start (image pull back-off).
    private func start(_ spec: JSON, pod: JSON, isInit: Bool, attempt: UInt32, sandbox: String,
                       sandboxConfig: Runtime_V1_PodSandboxConfig, volumes: [String: String]) async -> Double? {
        let name = spec["name"].string ?? ""
        let uid = pod["metadata"]["uid"].string ?? ""
        let events = context.events("kubelet")
        let waitingKey = uid + "/" + name
        switch await ensureImage(spec, pod: pod, sandboxConfig: sandboxConfig) {
        case .ready(let image):
            let environment = ContainerEnvironment(
                configMap: { key in await context.lister(.configMaps).get(key) },
                secret: { key in await context.lister(.secrets).get(key) },
                nodeAllocatable: NodeObjects.allocatable(facts))
            let config: Runtime_V1_ContainerConfig
            do {
                let env = try await environment.resolve(spec, pod: pod)
                config = try configs.container(spec, pod: pod, attempt: attempt, isInit: isInit, environment: env, volumes: volumes, image: image)
            } catch {
                await state.setWaiting(waitingKey, .init(reason: error.reason, message: error.message))
                await events.record(pod, type: "Warning", reason: "Failed", message: "Error: \(error.message)")
                return 5
            }
            do {
                try FileManager.default.createDirectory(atPath: sandboxConfig.logDirectory + "/" + name, withIntermediateDirectories: true)
                let id = try await runtime.createContainer(in: sandbox, config, sandboxConfig: sandboxConfig)
                await events.record(pod, type: "Normal", reason: "Created", message: "Created container: \(name)")
                try await runtime.startContainer(id)
                await events.record(pod, type: "Normal", reason: "Started", message: "Started container \(name)")
                await state.setWaiting(waitingKey, nil)
                return nil
            } catch {
                await state.setWaiting(waitingKey, .init(reason: "RunContainerError", message: "\(error)"))
                await events.record(pod, type: "Warning", reason: "Failed", message: "Error: \(error)")
                return 5
            }
        case .waiting(let reason, let wait):
            await state.setWaiting(waitingKey, reason)
            return wait
        }
    }

    /// The running app containers with probes, for the probe workers.
    private func probeTargets(_ pod: JSON, _ runtimePod: RuntimePod, sandbox: String, podIP: String) -> [ProbeManager.Target] {
        (pod["spec"]["containers"].array ?? []).compactMap { spec in
            guard ProbeSettings.Kind.allCases.contains(where: { !spec[$0.specField].isNull }),
                  let latest = runtimePod.instances(of: spec["name"].string ?? "", sandbox: sandbox).first,
                  latest.state == .containerRunning else { return nil }
            return ProbeManager.Target(pod: pod, containerID: latest.id, container: spec, podIP: podIP, startedAt: Double(latest.startedAt) / 1e9)
        }
    }

    /// Kills a container whose liveness or startup probe failed, with the probe's grace period
    /// (or the pod's).
    private func kill(_ container: Runtime_V1_ContainerStatus, of pod: JSON, _ spec: JSON, because kind: ProbeSettings.Kind) async {
        let name = spec["name"].string ?? ""
        let grace = ProbeSettings(spec, kind: kind)?.terminationGracePeriodSeconds ?? pod["spec"]["terminationGracePeriodSeconds"].int ?? 30
        await context.events("kubelet").record(pod, type: "Normal", reason: "Killing",
                                               message: "Container \(name) failed \(kind.rawValue) probe, will be restarted")
        do {
            try await runtime.stopContainer(container.id, timeout: max(0, grace))
        } catch {
            logger.warning("cannot stop a container that failed its probe", metadata: ["container": "\(container.id)", "error": "\(error)"])
        }
    }

    /// Removes exited instances older than the latest two of each container (the latest and the
    /// one before it, for `logs --previous`).
    private func pruneDeadInstances(_ runtimePod: RuntimePod) async {
        for (_, instances) in Dictionary(grouping: runtimePod.containers, by: { $0.metadata.name }) {
            // Statuses are sorted newest (highest attempt) first.
            for old in instances.dropFirst(2) where old.state == .containerExited {
                try? await runtime.removeContainer(old.id)
            }
        }
    }

    // MARK: Status

    /// Reports the pod's status from `runtimePod`, or from a fresh read of the runtime when nil.
    func postStatus(_ pod: JSON, runtimePod: RuntimePod?, sandbox: Runtime_V1_PodSandbox?, podIP: String?) async -> SyncResult {
        let uid = pod["metadata"]["uid"].string ?? ""
        let mine: RuntimePod
        if let runtimePod {
            mine = runtimePod
        } else {
            do {
                mine = try await RuntimePod.read(runtime, pod: pod)
            } catch {
                return .retry
            }
        }
        var waiting: [String: PodWorkerState.Waiting] = [:]
        let containers = (pod["spec"]["initContainers"].array ?? []) + (pod["spec"]["containers"].array ?? [])
        for spec in containers {
            let name = spec["name"].string ?? ""
            if let reason = await state.waitingReason(uid + "/" + name) { waiting[name] = reason }
        }
        if let sandbox {
            // Workers start for containers this sync saw running, so their first result is not late by a sync.
            await probes.sync(podKey: ObjectKey.of(pod), targets: probeTargets(pod, mine, sandbox: sandbox.id, podIP: podIP ?? ""))
        }
        var probeStates: [String: ProbeManager.ContainerState] = [:]
        for container in mine.containers where container.state == .containerRunning {
            probeStates[container.id] = await probes.state(of: container.id)
        }
        let builder = PodStatusBuilder(hostIP: facts.internalIP, now: context.clock.now())
        return await writeStatus(pod, builder.build(pod, runtime: mine, sandbox: sandbox, podIP: podIP, waiting: waiting, probes: probeStates))
    }

    /// Writes the pod's status unless it is unchanged; a pod already gone needs none.
    func writeStatus(_ pod: JSON, _ status: JSON) async -> SyncResult {
        guard status != pod["status"] else { return .done }
        var updated = pod
        updated["status"] = status
        do {
            _ = try await context.writer.updateStatus(.pods, updated)
            return .done
        } catch {
            return error.code == 404 ? .done : .retry
        }
    }
}
