import ApusControllerKit
import ApusMachinery

/// Kubernetes' ReplicaSet controller: keeps `spec.replicas` active pods that match the selector and
/// are controlled by the ReplicaSet, adopting orphans and releasing pods that stopped matching,
/// creating pods in slow-start batches and deleting the least valuable ones first, and reports
/// the pod counts and a ReplicaFailure condition in its status.
public struct ReplicaSetController: ControlLoop {
    public let name = "replicaset"
    public let workers: Int
    let context: ControllerContext
    /// At most this many pods are created or deleted per sync (Kubernetes' BurstReplicas).
    let burstReplicas: Int
    let expectations = ReplicaSetExpectations()

    static let apiVersion = "apps/v1"
    static let kind = "ReplicaSet"
    static let component = "replicaset-controller"

    public init(context: ControllerContext, burstReplicas: Int = 500, workers: Int = 5) {
        self.context = context
        self.burstReplicas = burstReplicas
        self.workers = workers
    }

    public var watches: [LoopWatch] {
        [
            LoopWatch(.replicaSets) { old, new in
                let key = ObjectKey.of(new ?? old ?? .null)
                // A deleted or re-created ReplicaSet starts with clean expectations.
                let replaced = old.flatMap { before in new.map { DeploymentsFields.uid(before) != DeploymentsFields.uid($0) } } ?? false
                if new == nil || replaced { await expectations.forget(key) }
                return [key]
            },
            LoopWatch(.pods) { old, new in await podChangeKeys(old: old, new: new) },
        ]
    }

    public func sync(_ key: String) async -> SyncResult {
        let now = context.clock.now()
        guard let rs = await context.lister(.replicaSets).get(key) else {
            await expectations.forget(key)
            return .done
        }
        let needsSync = await expectations.satisfied(key, now: now)
        // An unreadable selector selects nothing; there is nothing to do until it is fixed.
        guard let selector = try? LabelSelector.from(rs["spec"]["selector"]) else { return .done }
        let namespace = DeploymentsFields.namespace(rs)
        let allPods = await context.lister(.pods).list(namespace: namespace)

        let ownership = DeploymentsOwnership(owner: rs, ownerAPIVersion: Self.apiVersion, ownerKind: Self.kind, resource: .pods,
                                             writer: context.writer)
        let (pods, claimErrors) = await ownership.claim(allPods.filter(PodState.isActive)) { selector.matches(PodState.labels($0)) }
        if !claimErrors.isEmpty { return .retry }

        var manageError: (any Error)?
        if needsSync, !DeploymentsFields.isDeleting(rs) {
            manageError = await manageReplicas(pods, rs: rs, key: key, allPods: allPods, now: now)
        }

        var status = ReplicaSetStatusReport.calculate(rs, pods: pods, manageError: manageError, now: now)
        if ReplicaSetStatusReport.needsUpdate(rs, status) {
            let generation = DeploymentsFields.generation(rs)
            status["observedGeneration"] = generation == 0 ? .null : .int(generation)
            var updated = rs
            updated["status"] = status
            do { _ = try await context.writer.updateStatus(.replicaSets, updated) } catch { return .retry }
        }
        if manageError != nil { return .retry }
        return await nextLook(rs, pods: pods, status: status, key: key, now: now)
    }

    /// When to look again without a watch event: when a ready pod becomes available after
    /// minReadySeconds, or when unmet expectations expire.
    private func nextLook(_ rs: JSON, pods: [JSON], status: JSON, key: String, now: Double) async -> SyncResult {
        var after: [Double] = []
        let minReady = DeploymentsFields.minReadySeconds(rs)
        if minReady > 0 {
            for pod in pods where PodState.isReady(pod) && !PodState.isAvailable(pod, minReadySeconds: minReady, now: now) {
                if let since = PodState.condition(pod, "Ready")?["lastTransitionTime"].string.flatMap(Timestamp.parse) {
                    // One second more, as Kubernetes adds, against clock skew.
                    after.append(since + Double(minReady) - now + 1)
                }
            }
            let replicas = DeploymentsFields.specReplicas(rs)
            if after.isEmpty, (status["readyReplicas"].int ?? 0) == replicas, (status["availableReplicas"].int ?? 0) != replicas {
                after.append(Double(minReady))
            }
        }
        if let expiry = await expectations.secondsUntilExpiry(key, now: now) { after.append(expiry) }
        guard let soonest = after.min() else { return .done }
        return .requeue(after: max(soonest, 0))
    }
}
