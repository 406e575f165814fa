import ApusControllerKit
import ApusMachinery

/// MarkPodsNotReady: pods on a node that is not Ready get their Ready condition set to False, so
/// endpoints stop sending them traffic while the kubelet cannot report.
enum NodePodsNotReady {
    /// Marks each pod bound to `node`; returns whether every status update went through.
    static func mark(_ pods: [JSON], node: String, now: Double, writer: any ClusterWriter, events: any EventSink) async -> Bool {
        var allWritten = true
        for pod in pods where pod["spec"]["nodeName"].string == node {
            var conditions = pod["status"]["conditions"].array ?? []
            guard let index = ClusterLoopSupport.index(ofCondition: "Ready", in: conditions),
                  conditions[index]["status"].string != "False" else { continue }
            conditions[index]["status"] = "False"
            conditions[index]["lastTransitionTime"] = ClusterLoopSupport.time(now)
            var updated = pod
            updated[path: ["status", "conditions"]] = .array(conditions)
            do {
                _ = try await writer.updateStatus(.pods, updated)
            } catch {
                if error.code == 404 { continue }
                allWritten = false
            }
            await events.record(pod, type: "Warning", reason: "NodeNotReady", message: "Node is not ready")
        }
        return allWritten
    }
}
