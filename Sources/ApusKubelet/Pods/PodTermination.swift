import ApusCRI
import ApusControllerKit
import ApusMachinery

extension Kubelet {
    /// A pod being deleted: its containers get SIGTERM and the rest of the grace period, then
    /// SIGKILL; its sandbox (and IP) goes; then the kubelet removes the pod object for good.
    func terminate(_ pod: JSON, _ runtimePod: RuntimePod) async -> SyncResult {
        let grace = pod["metadata"]["deletionGracePeriodSeconds"].int ?? pod["spec"]["terminationGracePeriodSeconds"].int ?? 30
        await probes.stop(podKey: ObjectKey.of(pod))
        let events = context.events("kubelet")
        for container in runtimePod.containers where container.state == .containerRunning {
            await events.record(pod, type: "Normal", reason: "Killing", message: "Stopping container \(container.metadata.name)")
        }
        await stopAll(runtimePod, grace: grace)
        // A pod a finalizer holds first reports how its containers ended, so its owner can count it.
        if !(pod["metadata"]["finalizers"].array ?? []).isEmpty, PodState.phase(pod) != "Succeeded", PodState.phase(pod) != "Failed" {
            if (await postTerminalStatus(pod)) == .retry { return .retry }
        }
        for sandbox in runtimePod.sandboxes {
            do {
                try await runtime.stopPodSandbox(sandbox.id)
                try await runtime.removePodSandbox(sandbox.id)
            } catch {
                if error.isNotFound { continue }
                logger.warning("cannot remove a sandbox", metadata: ["pod": "\(ObjectKey.of(pod))", "error": "\(error)"])
                return .retry
            }
        }
        await state.forget(uid: pod["metadata"]["uid"].string ?? "")
        let options = DeleteOptions(gracePeriodSeconds: 0, preconditionUID: pod["metadata"]["uid"].string)
        do {
            _ = try await context.writer.delete(.pods, namespace: pod["metadata"]["namespace"].string, name: pod["metadata"]["name"].string ?? "", options: options)
        } catch {
            if error.code == 404 || error.code == 409 { return .done }
            return .retry
        }
        return .done
    }

    private func postTerminalStatus(_ pod: JSON) async -> SyncResult {
        guard let mine = try? await RuntimePod.read(runtime, pod: pod) else { return .retry }
        let builder = PodStatusBuilder(hostIP: facts.internalIP, now: context.clock.now())
        var status = builder.build(pod, runtime: mine, sandbox: nil, podIP: pod["status"]["podIP"].string, waiting: [:])
        let exited = (status["containerStatuses"].array ?? []).allSatisfy { $0["state"]["terminated"]["exitCode"].int == 0 }
        status["phase"] = .string(exited ? "Succeeded" : "Failed")
        return await writeStatus(pod, status)
    }

    /// Stops every running container of the pod at once, each with the grace period.
    func stopAll(_ runtimePod: RuntimePod, grace: Int64) async {
        await withTaskGroup(of: Void.self) { group in
            for container in runtimePod.containers where container.state == .containerRunning || container.state == .containerCreated {
                group.addTask { try? await runtime.stopContainer(container.id, timeout: max(0, grace)) }
            }
        }
    }

    /// Stops and removes everything the runtime has for a pod that no longer runs here.
    func removeAll(_ runtimePod: RuntimePod, grace: Int64) async {
        await probes.stop(containers: Set(runtimePod.containers.map(\.id)))
        await stopAll(runtimePod, grace: grace)
        for sandbox in runtimePod.sandboxes {
            try? await runtime.stopPodSandbox(sandbox.id)
            try? await runtime.removePodSandbox(sandbox.id)
        }
        // Containers whose sandbox is already gone are not removed with it.
        let sandboxes = Set(runtimePod.sandboxes.map(\.id))
        for container in runtimePod.containers where !sandboxes.contains(runtimePod.sandboxOf[container.id] ?? "") {
            try? await runtime.removeContainer(container.id)
        }
        for uid in Set(runtimePod.sandboxes.map(\.metadata.uid)) { await state.forget(uid: uid) }
    }
}
