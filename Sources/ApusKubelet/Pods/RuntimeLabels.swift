/// The labels and annotations the kubelet puts on CRI sandboxes and containers (Kubernetes' own
/// keys), by which it finds a pod's sandboxes and containers again after a restart.
enum RuntimeLabels {
    static let podName = "io.kubernetes.pod.name"
    static let podNamespace = "io.kubernetes.pod.namespace"
    static let podUID = "io.kubernetes.pod.uid"
    static let containerName = "io.kubernetes.container.name"
    static let restartCount = "io.kubernetes.container.restartCount"
    static let containerHash = "io.kubernetes.container.hash"
    static let terminationGracePeriod = "io.kubernetes.pod.terminationGracePeriod"
    /// Set on containers the kubelet created for a pod's init containers.
    static let initContainer = "io.apus.container.init"

    /// `namespace/name` of the pod a sandbox or container belongs to.
    static func podKey(_ labels: [String: String]) -> String? {
        guard let namespace = labels[podNamespace], let name = labels[podName] else { return nil }
        return namespace + "/" + name
    }
}

/// Where a pod's files live under the agent's data dir.
struct PodPaths: Sendable {
    var root: String

    /// `<root>/logs/<namespace>_<name>_<uid>`, the sandbox's log directory (as /var/log/pods/…).
    func logDirectory(namespace: String, name: String, uid: String) -> String {
        "\(root)/logs/\(namespace)_\(name)_\(uid)"
    }

    func podDirectory(uid: String) -> String { "\(root)/pods/\(uid)" }

    func emptyDir(uid: String, volume: String) -> String {
        podDirectory(uid: uid) + "/volumes/kubernetes.io~empty-dir/" + volume
    }
}
