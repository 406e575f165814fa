import ApusControllerKit
import ApusMachinery
import ApusPatch

extension Scheduler {
    /// What a failed cycle does to the pod's nominated node.
    enum Nomination {
        case keep
        case clear
        case set(String)
    }

    /// Schedules one pod if one is ready; returns false when the active queue is empty.
    public func scheduleOne() async -> Bool {
        while bindings.count >= max(configuration.maxInFlightBindings, 1), let binding = bindings.values.first {
            await binding.value
        }
        guard let queued = queue.pop() else { return false }
        // The newest version the informer delivered; a pod deleted or bound meanwhile is skipped.
        guard let pod = pendingPods[queued.pod.uid], !pod.isTerminating, !cache.isAssumed(uid: pod.uid) else {
            queue.done(uid: queued.pod.uid)
            return true
        }

        switch algorithm.schedule(pod, cache: cache, nominator: nominator) {
        case .scheduled(let node):
            cache.assume(pod, on: node)
            nominator.remove(uid: pod.uid)
            startBinding(pod, to: node)
        case .noNodes:
            await handleFailure(pod, message: "no nodes available to schedule pods", reason: "Unschedulable",
                                rejectedBy: [], nomination: .clear)
        case .error(let message):
            await handleFailure(pod, message: message, reason: "SchedulerError", rejectedBy: [], nomination: .clear)
        case .unfit(var fitError, let state):
            var nomination = Nomination.keep
            let now = clock.now()
            switch preemption.preempt(pod, state: state, statuses: fitError.diagnosis.nodeStatuses, cache: cache,
                                      nominator: nominator, now: now, random: &algorithm.random) {
            case .preempt(let plan):
                if let failure = await execute(plan, for: pod) {
                    fitError.diagnosis.postFilterMessage = failure
                } else {
                    nomination = .set(plan.nodeName)
                }
            case .failed(let message, let clear):
                fitError.diagnosis.postFilterMessage = "preemption: " + message
                if clear { nomination = .clear }
            }
            await handleFailure(pod, message: fitError.message, reason: "Unschedulable",
                                rejectedBy: fitError.diagnosis.unschedulablePlugins, nomination: nomination)
        }
        return true
    }

    /// Requeues the pod (unless it was deleted or bound meanwhile), records FailedScheduling and sets
    /// its PodScheduled condition to False (and its nominated node).
    func handleFailure(_ pod: SchedulingPod, message: String, reason: String, rejectedBy plugins: Set<String>,
                       nomination: Nomination) async {
        let latest = pendingPods[pod.uid]
        if let latest {
            queue.requeue(latest, rejectedBy: plugins, now: clock.now())
            signalWork()
        } else {
            queue.done(uid: pod.uid)
        }
        let current = latest ?? pod
        switch nomination {
        case .keep: break
        case .clear: nominator.remove(uid: pod.uid)
        case .set(let node): nominator.set(current, node: node)
        }
        await events.record(current.object, type: "Warning", reason: "FailedScheduling", message: Self.truncated(message))
        await updatePodScheduledCondition(current, reason: reason, message: message, nomination: nomination)
    }

    /// Patches status.conditions[PodScheduled] = False (and nominatedNodeName) unless already so.
    private func updatePodScheduledCondition(_ pod: SchedulingPod, reason: String, message: String, nomination: Nomination) async {
        let existing = PodState.condition(pod.object, "PodScheduled")
        let conditionUnchanged = existing?["status"].string == "False" && existing?["reason"].string == reason
            && existing?["message"].string == message
        var status: JSON = [:]
        switch nomination {
        case .set(let node) where pod.nominatedNodeName != node: status["nominatedNodeName"] = .string(node)
        case .clear where !pod.nominatedNodeName.isEmpty: status.setExplicitNull("nominatedNodeName")
        default: break
        }
        if conditionUnchanged && status == [:] { return }
        let transition = existing?["status"].string == "False" ? existing?["lastTransitionTime"] ?? .null : .null
        status["conditions"] = [[
            "type": "PodScheduled", "status": "False", "reason": .string(reason), "message": .string(message),
            "lastProbeTime": .null,
            "lastTransitionTime": transition.isNull ? .string(Timestamp.rfc3339(clock.now())) : transition,
        ]]
        _ = try? await writer.patch(.pods, namespace: pod.namespace, name: pod.name, type: .strategic, ["status": status],
                                    subresource: "status")
    }

    /// Deletes the victims (marking them with a DisruptionTarget condition first), records
    /// Preempted on each, and clears lower-priority nominations on the node. Returns an error
    /// message if a deletion failed.
    private func execute(_ plan: DefaultPreemption.Plan, for pod: SchedulingPod) async -> String? {
        let schedulerName = pod.schedulerName.isEmpty ? configuration.schedulerName : pod.schedulerName
        for victim in plan.victims {
            let condition: JSON = [
                "type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
                "message": .string("\(schedulerName): preempting to accommodate a higher priority pod"),
                "lastTransitionTime": .string(Timestamp.rfc3339(clock.now())),
            ]
            do {
                _ = try await writer.patch(.pods, namespace: victim.namespace, name: victim.name, type: .strategic,
                                           ["status": ["conditions": [condition]]], subresource: "status")
                try await writer.delete(.pods, namespace: victim.namespace, name: victim.name, options: DeleteOptions())
            } catch where error.code == 404 {
                // Already gone: that is what preemption wanted.
            } catch {
                return "preemption: " + Self.describe(error)
            }
            await events.record(victim.object, type: "Normal", reason: "Preempted",
                                message: "Preempted by pod \(pod.uid) on node \(plan.nodeName)")
        }
        for nominated in plan.nominationsToClear {
            nominator.remove(uid: nominated.uid)
            var status: JSON = [:]
            status.setExplicitNull("nominatedNodeName")
            _ = try? await writer.patch(.pods, namespace: nominated.namespace, name: nominated.name, type: .strategic,
                                        ["status": status], subresource: "status")
        }
        return nil
    }

    static func describe(_ error: ClientError) -> String {
        if case .api(let apiError) = error { return apiError.message }
        return error.description
    }

    /// Event messages are capped at 1024 bytes, as Kubernetes does.
    static func truncated(_ message: String) -> String {
        let limit = 1024
        guard message.utf8.count > limit else { return message }
        let suffix = " ..."
        var prefix = ""
        for character in message {
            if prefix.utf8.count + character.utf8.count > limit - suffix.utf8.count { break }
            prefix.append(character)
        }
        return prefix + suffix
    }
}
