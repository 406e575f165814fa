import ApusControllerKit
import ApusMachinery

/// Kubernetes' taint eviction controller (`taint-eviction-controller`, the NoExecute taint manager):
/// pods on a node with NoExecute taints they do not tolerate are deleted at once; pods tolerating
/// them for `tolerationSeconds` are deleted when the shortest such toleration runs out, counted from
/// when the controller saw the taint. Timers are requeues of the node's key.
public struct TaintEvictionController: ControlLoop {
    public let name = "taint-eviction-controller"

    let context: ControllerContext
    let schedule = TaintEvictionSchedule()

    public init(context: ControllerContext) {
        self.context = context
    }

    /// UpdateWorkerSize.
    public var workers: Int { 8 }

    public var watches: [LoopWatch] {
        [
            // Only changes of the NoExecute taints matter.
            LoopWatch(.nodes) { old, new in
                if let old, let new, NodeTaintRules.noExecuteTaints(of: old) == NodeTaintRules.noExecuteTaints(of: new) { return [] }
                guard let name = (new ?? old)?["metadata"]["name"].string else { return [] }
                return [name]
            },
            // A pod matters when it is bound, deleted, or its tolerations change.
            LoopWatch(.pods) { old, new in
                if let old, let new, old["spec"]["tolerations"] == new["spec"]["tolerations"],
                   PodState.nodeName(old) == PodState.nodeName(new) { return [] }
                guard let pod = new ?? old, let node = PodState.nodeName(pod) else { return [] }
                return [node]
            },
        ]
    }

    var events: any EventSink { context.events(name) }

    public func sync(_ key: String) async -> SyncResult {
        let now = context.clock.now()
        guard let node = await context.lister(.nodes).get(key) else {
            await schedule.forget(node: key)
            return .done
        }
        let taints = NodeTaintRules.noExecuteTaints(of: node)
        let pods = await ClusterLoopSupport.pods(onNode: key, in: context.lister(.pods))
        let present = Set(pods.map(ObjectKey.of))

        // Deleted pods lose their scheduled deletion.
        for pod in await schedule.pods(on: key) where !present.contains(pod) {
            await cancel(pod)
        }
        for pod in pods {
            await process(pod, node: key, taints: taints, now: now)
        }

        var failed = false
        let (due, next) = await schedule.due(on: key, now: now)
        for podKey in due {
            if await evict(podKey) { await schedule.markFired(podKey) } else { failed = true }
        }
        if failed { return .retry }
        if let next { return .requeue(after: max(0.001, next - now)) }
        return .done
    }

    /// processPodOnNode: schedules (or cancels) the pod's deletion for the node's current taints.
    private func process(_ pod: JSON, node: String, taints: [JSON], now: Double) async {
        let key = ObjectKey.of(pod)
        if taints.isEmpty {
            await cancel(key)
            return
        }
        // A pod already being deleted needs no second deletion.
        if PodState.isTerminating(pod) { return }
        let (allTolerated, used) = NodeTaintRules.matchingTolerations(taints, pod["spec"]["tolerations"].array ?? [])
        guard allTolerated else {
            await cancel(key)
            await schedule.add(key, node: node, createdAt: now, fireAt: now)
            return
        }
        guard let seconds = NodeTaintRules.minimumTolerationSeconds(used) else {
            await cancel(key)  // tolerated forever
            return
        }
        let trigger = now + Double(seconds)
        var start = now
        if let scheduled = await schedule.work(key), !scheduled.fired {
            start = scheduled.createdAt
            if start + Double(seconds) < trigger { return }
            await cancel(key)
        }
        await schedule.add(key, node: node, createdAt: start, fireAt: start + Double(seconds))
    }

    private func cancel(_ podKey: String) async {
        guard await schedule.cancel(podKey) else { return }
        await events.record(podReference(podKey), type: "Normal", reason: "TaintManagerEviction",
                            message: "Cancelling deletion of Pod \(podKey)")
    }

    /// addConditionAndDeletePod: marks the pod as a disruption target, then deletes it.
    private func evict(_ podKey: String) async -> Bool {
        await events.record(podReference(podKey), type: "Normal", reason: "TaintManagerEviction",
                            message: "Marking for deletion Pod \(podKey)")
        let (namespace, name) = ObjectKey.split(podKey)
        guard let pod = await context.lister(.pods).get(podKey) else { return true }
        do {
            let existing = ClusterLoopSupport.condition("DisruptionTarget", of: pod)
            if existing?["status"].string != "True" || existing?["reason"].string != "DeletionByTaintManager" {
                let condition: JSON = ["type": "DisruptionTarget", "status": "True", "reason": "DeletionByTaintManager",
                                       "message": "Taint manager: deleting due to NoExecute taint",
                                       "lastTransitionTime": ClusterLoopSupport.time(context.clock.now())]
                let patch: JSON = ["metadata": ["uid": pod["metadata"]["uid"]], "status": ["conditions": [condition]]]
                _ = try await context.writer.patch(.pods, namespace: namespace, name: name, type: .strategic, patch, subresource: "status")
            }
            try await context.writer.delete(.pods, namespace: namespace, name: name)
            return true
        } catch {
            return error.code == 404
        }
    }

    private func podReference(_ podKey: String) -> JSON {
        let (namespace, name) = ObjectKey.split(podKey)
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["namespace": .string(namespace), "name": .string(name)]]
    }
}
