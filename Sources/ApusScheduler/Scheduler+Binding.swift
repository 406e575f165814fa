import ApusControllerKit
import ApusMachinery

extension Scheduler {
    /// Binds in the background (as Kubernetes' binding cycle does) so the next pod can be
    /// scheduled meanwhile; the pod stays assumed in the cache until the informer confirms it.
    func startBinding(_ pod: SchedulingPod, to node: String) {
        bindings[pod.uid] = Task { await self.bind(pod, to: node) }
    }

    private func bind(_ pod: SchedulingPod, to node: String) async {
        defer { bindings[pod.uid] = nil }
        let binding: JSON = [
            "apiVersion": "v1", "kind": "Binding",
            "metadata": ["namespace": .string(pod.namespace), "name": .string(pod.name), "uid": .string(pod.uid)],
            "target": ["kind": "Node", "name": .string(node)],
        ]
        do {
            _ = try await writer.post(.pods, namespace: pod.namespace, name: pod.name, subresource: "binding", binding)
        } catch {
            // The node's resources were held for this pod: release them as a deletion would.
            cache.forget(uid: pod.uid)
            moveUnschedulablePods(for: [.assignedPodDelete])
            await handleFailure(pod, message: "running Bind plugin \"DefaultBinder\": \(Self.describe(error))",
                                reason: "SchedulerError", rejectedBy: [], nomination: .keep)
            return
        }
        queue.done(uid: pod.uid)
        await events.record(pod.object, type: "Normal", reason: "Scheduled",
                            message: "Successfully assigned \(pod.namespace)/\(pod.name) to \(node)")
    }
}
