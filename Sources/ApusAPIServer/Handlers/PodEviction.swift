import ApusMachinery
import ApusRegistry

/// `pods/<name>/eviction`: a deletion that honours the pod's PodDisruptionBudget, as Kubernetes'
/// eviction subresource does. A pod that is pending, finished or already terminating goes at once;
/// otherwise its one matching budget must allow a disruption, which the eviction takes (the budget's
/// `disruptionsAllowed` goes down and the pod is listed in `disruptedPods`) before the pod is deleted.
enum PodEviction {
    static let tooManyBudgets = "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
    static let wouldViolate = "Cannot evict pod as it would violate the pod's disruption budget."
    /// Kubernetes bounds the map of pods evicted but not yet seen gone.
    static let maxDisruptedPods = 2000

    static func evict(registry: Registry, podsDef: ResourceDefinition, namespace: String, name: String, options: DeleteOptions) async throws {
        let store = registry.store
        let pod = try await store.get(podsDef, namespace: namespace, name: name).object
        if try await budgetAllows(registry: registry, pod: pod, namespace: namespace, name: name) {
            _ = try await store.delete(podsDef, namespace: namespace, name: name, options: options)
        }
    }

    /// Takes a disruption from the pod's budget; true when the pod may go.
    private static func budgetAllows(registry: Registry, pod: JSON, namespace: String, name: String) async throws -> Bool {
        let phase = pod["status"]["phase"].string ?? "Pending"
        if !pod["metadata"]["deletionTimestamp"].isNull || ["Pending", "Succeeded", "Failed"].contains(phase) { return true }
        guard let budgetsDef = await registry.catalog.lookup(group: "policy", version: "v1", resource: "poddisruptionbudgets") else { return true }
        let labels = (pod["metadata"]["labels"].object ?? [:]).compactMapValues(\.string)
        let budgets = try await registry.store.list(budgetsDef, namespace: namespace, options: ListOptions()).items.map(\.object).filter { budget in
            guard let selector = try? LabelSelector.from(budget["spec"]["selector"]) else { return false }
            return !budget["spec"]["selector"].isNull && selector.matches(labels)
        }
        guard let budget = budgets.first else { return true }
        if budgets.count > 1 { throw APIError.internalError(tooManyBudgets) }
        let budgetName = budget["metadata"]["name"].string ?? ""
        let ready = (pod["status"]["conditions"].array ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
        if !ready {
            let policy = budget["spec"]["unhealthyPodEvictionPolicy"].string ?? "IfHealthyBudget"
            let healthy = budget["status"]["currentHealthy"].int ?? 0
            let desired = budget["status"]["desiredHealthy"].int ?? 0
            if policy == "AlwaysAllow" || healthy >= desired { return true }
        }
        let now = Timestamp.rfc3339(registry.store.clock.now())
        var options = WriteOptions()
        options.subresource = "status"
        options.tracksManagedFields = false
        _ = try await registry.store.update(budgetsDef, namespace: namespace, name: budgetName, mode: .transform { (current: JSON) throws(APIError) -> JSON in
            try takeDisruption(from: current, podName: name, at: now)
        }, strategy: StatusStrategy(main: budgetsDef.strategy), options: options)
        return true
    }

    /// The budget after one more disruption, or 429 when it allows none.
    static func takeDisruption(from budget: JSON, podName: String, at now: String) throws(APIError) -> JSON {
        let name = budget["metadata"]["name"].string ?? ""
        let status = budget["status"]
        if (status["observedGeneration"].int ?? 0) < (budget["metadata"]["generation"].int ?? 0) {
            throw refusal("The disruption budget \(name) is still being processed by the server.")
        }
        let allowed = status["disruptionsAllowed"].int ?? 0
        if allowed < 0 { throw APIError(code: 403, reason: "Forbidden", message: "pdb disruptions allowed is negative") }
        var disrupted = status["disruptedPods"].object ?? [:]
        if disrupted.count >= maxDisruptedPods {
            throw refusal("DisruptedPods map too big - too many evictions not confirmed by PDB controller")
        }
        if allowed == 0 {
            throw refusal("The disruption budget \(name) needs \(status["desiredHealthy"].int ?? 0) healthy pods and has \(status["currentHealthy"].int ?? 0) currently")
        }
        disrupted[podName] = .string(now)
        var next = budget
        next[path: ["status", "disruptionsAllowed"]] = .int(allowed - 1)
        next[path: ["status", "disruptedPods"]] = .object(disrupted)
        next[path: ["metadata", "resourceVersion"]] = .null
        return next
    }

    private static func refusal(_ cause: String) -> APIError {
        APIError(code: 429, reason: "TooManyRequests", message: wouldViolate,
                 details: .init(causes: [.init(reason: "DisruptionBudget", message: cause)], retryAfterSeconds: 0))
    }
}
