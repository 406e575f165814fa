import ApusCRI
import ApusControllerKit
import ApusMachinery

/// One pod as the runtime has it: its sandboxes and containers, newest first, with each
/// container's full status.
struct RuntimePod: Sendable {
    var sandboxes: [Runtime_V1_PodSandbox]
    var containers: [Runtime_V1_ContainerStatus]

    /// The instances of one container in a sandbox, newest (highest attempt) first.
    func instances(of name: String, sandbox: String) -> [Runtime_V1_ContainerStatus] {
        containers.filter { $0.metadata.name == name && sandboxOf[$0.id] == sandbox }
    }

    /// Each container's sandbox (from the list call: a container's status does not say).
    var sandboxOf: [String: String] = [:]

    func sandboxID(of container: Runtime_V1_ContainerStatus) -> String? { sandboxOf[container.id] }

    /// What the runtime has of this pod object (its uid): not of an earlier pod of the same name.
    static func read(_ runtime: any ContainerRuntime, pod: JSON) async throws(ContainerRuntimeError) -> RuntimePod {
        let uid = pod["metadata"]["uid"].string ?? ""
        return try await read(runtime, podKey: ObjectKey.of(pod)).only(uid: uid)
    }

    /// The part of this that belongs to the pod object with `uid`.
    func only(uid: String) -> RuntimePod {
        var part = RuntimePod(sandboxes: sandboxes.filter { $0.metadata.uid == uid },
                              containers: containers.filter { $0.labels[RuntimeLabels.podUID] == uid })
        part.sandboxOf = sandboxOf
        return part
    }

    /// Everything the runtime has under a pod's namespace and name.
    static func read(_ runtime: any ContainerRuntime, podKey: String) async throws(ContainerRuntimeError) -> RuntimePod {
        let parts = podKey.split(separator: "/", maxSplits: 1).map(String.init)
        let selector = [RuntimeLabels.podNamespace: parts.first ?? "", RuntimeLabels.podName: parts.count > 1 ? parts[1] : ""]
        var sandboxFilter = Runtime_V1_PodSandboxFilter()
        sandboxFilter.labelSelector = selector
        let sandboxes = try await runtime.listPodSandboxes(sandboxFilter).sorted { $0.createdAt > $1.createdAt }
        var containerFilter = Runtime_V1_ContainerFilter()
        containerFilter.labelSelector = selector
        let listed = try await runtime.listContainers(containerFilter)
        var statuses: [Runtime_V1_ContainerStatus] = []
        var sandboxOf: [String: String] = [:]
        for container in listed {
            sandboxOf[container.id] = container.podSandboxID
            do {
                statuses.append(try await runtime.containerStatus(container.id))
            } catch where error.isNotFound {
                continue
            }
        }
        statuses.sort { ($0.metadata.attempt, $0.createdAt) > ($1.metadata.attempt, $1.createdAt) }
        var pod = RuntimePod(sandboxes: sandboxes, containers: statuses)
        pod.sandboxOf = sandboxOf
        return pod
    }
}
