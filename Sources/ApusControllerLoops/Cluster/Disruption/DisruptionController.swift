import ApusControllerKit
import ApusMachinery

/// Kubernetes' disruption controller (`disruption`): keeps each PodDisruptionBudget's status —
/// how many selected pods are healthy, how many must be, how many may be disrupted now — which the
/// eviction API consults before evicting a pod.
public struct DisruptionController: ControlLoop {
    public let name = "disruption"

    let context: ControllerContext

    public init(context: ControllerContext) {
        self.context = context
    }

    public var workers: Int { 1 }

    public var watches: [LoopWatch] {
        let budgets = context.lister(.podDisruptionBudgets)
        return [
            .primary(.podDisruptionBudgets),
            LoopWatch(.pods) { old, new in
                guard let pod = new ?? old else { return [] }
                let labels = PodState.labels(pod)
                return await budgets.list(namespace: pod["metadata"]["namespace"].string ?? "")
                    .filter { budget in (try? LabelSelector.from(budget["spec"]["selector"]).matches(labels)) ?? false }
                    .map(ObjectKey.of).sorted()
            },
            // Caches for the scale of the pods' controllers.
            LoopWatch(.deployments) { _, _ in [] },
            LoopWatch(.replicaSets) { _, _ in [] },
            LoopWatch(.statefulSets) { _, _ in [] },
        ]
    }

    var events: any EventSink { context.events("controllermanager") }

    public func sync(_ key: String) async -> SyncResult {
        guard let pdb = await context.lister(.podDisruptionBudgets).get(key) else { return .done }
        let now = context.clock.now()
        let selector: LabelSelector
        do {
            selector = try LabelSelector.from(pdb["spec"]["selector"])
        } catch {
            await events.record(pdb, type: "Warning", reason: "NoPods", message: "Failed to get pods: \(error.message)")
            return await failSafe(pdb, message: error.message, now: now)
        }
        let pods = await context.lister(.pods).list(namespace: pdb["metadata"]["namespace"].string ?? "")
            .filter { selector.matches(PodState.labels($0)) }
            .sorted { ObjectKey.of($0) < ObjectKey.of($1) }
        if pods.isEmpty {
            await events.record(pdb, type: "Normal", reason: "NoPods", message: "No matching pods found")
        }

        let finder = DisruptionExpectedPods(replicaSets: context.lister(.replicaSets), deployments: context.lister(.deployments),
                                            statefulSets: context.lister(.statefulSets))
        let counts: (expected: Int64, desiredHealthy: Int64, unmanaged: [String])
        do {
            counts = try await finder.counts(for: pdb, pods: pods)
        } catch {
            await events.record(pdb, type: "Warning", reason: "CalculateExpectedPodCountFailed",
                                message: "Failed to calculate the number of expected pods: \(error.message)")
            return await failSafe(pdb, message: error.message, now: now)
        }
        if !counts.unmanaged.isEmpty {
            await events.record(pdb, type: "Warning", reason: "UnmanagedPods", message:
                "Pods selected by this PodDisruptionBudget (selector: \(ClusterLoopSupport.describeSelector(pdb["spec"]["selector"]))) were found "
                + "to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. "
                + "To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.")
        }

        let disrupted = DisruptionBudgetStatus.disruptedPods(pdb, pods: pods, now: now)
        for pod in disrupted.overdue {
            let namespace = pdb["metadata"]["namespace"].string ?? ""
            await events.record(pod, type: "Warning", reason: "NotDeleted",
                                message: "Pod was expected by PDB \(namespace)/\(namespace) to be deleted but it wasn't")
        }
        let healthy = DisruptionBudgetStatus.healthyCount(pods, disrupted: disrupted.kept, now: now)
        let result = await updateStatus(pdb, healthy: healthy, desiredHealthy: counts.desiredHealthy, expected: counts.expected,
                                        disrupted: disrupted.kept, now: now)
        if result == .done, let recheck = disrupted.recheck { return .requeue(after: max(0.001, recheck - now)) }
        return result
    }

    /// updatePdbStatus: writes the counts when anything changed.
    private func updateStatus(_ pdb: JSON, healthy: Int64, desiredHealthy: Int64, expected: Int64, disrupted: JSONObject,
                              now: Double) async -> SyncResult {
        var allowed = healthy - desiredHealthy
        if expected <= 0 || allowed <= 0 { allowed = 0 }
        let status = pdb["status"]
        let generation = pdb["metadata"]["generation"].int ?? 0
        if status["currentHealthy"].int ?? 0 == healthy && status["desiredHealthy"].int ?? 0 == desiredHealthy
            && status["expectedPods"].int ?? 0 == expected && status["disruptionsAllowed"].int ?? 0 == allowed
            && (status["disruptedPods"].object ?? [:]) == disrupted && status["observedGeneration"].int ?? 0 == generation
            && DisruptionBudgetStatus.conditionUpToDate(pdb) {
            return .done
        }
        var newStatus: JSON = ["currentHealthy": .int(healthy), "desiredHealthy": .int(desiredHealthy), "expectedPods": .int(expected),
                               "disruptionsAllowed": .int(allowed)]
        if generation != 0 { newStatus["observedGeneration"] = .int(generation) }
        if !disrupted.isEmpty { newStatus["disruptedPods"] = .object(disrupted) }
        let conditions = DisruptionBudgetStatus.setCondition(status["conditions"].array ?? [], type: "DisruptionAllowed",
                                                       status: allowed > 0 ? "True" : "False",
                                                       reason: allowed > 0 ? "SufficientPods" : "InsufficientPods", message: "",
                                                       observedGeneration: generation, now: now)
        newStatus["conditions"] = .array(conditions)
        var updated = pdb
        updated["status"] = newStatus
        do {
            _ = try await context.writer.updateStatus(.podDisruptionBudgets, updated)
            return .done
        } catch {
            return .retry
        }
    }

    /// failSafe: when the budget cannot be computed, allow no disruptions.
    private func failSafe(_ pdb: JSON, message: String, now: Double) async -> SyncResult {
        var updated = pdb
        updated[path: ["status", "disruptionsAllowed"]] = .int(0)
        let conditions = DisruptionBudgetStatus.setCondition(pdb["status"]["conditions"].array ?? [], type: "DisruptionAllowed", status: "False",
                                                       reason: "SyncFailed", message: message,
                                                       observedGeneration: pdb["status"]["observedGeneration"].int, now: now)
        updated[path: ["status", "conditions"]] = .array(conditions)
        do {
            _ = try await context.writer.updateStatus(.podDisruptionBudgets, updated)
            return .done
        } catch {
            return .retry
        }
    }
}
