import ApusControllerKit
import ApusMachinery

/// Kubernetes' Deployment controller: owns ReplicaSets named `<deployment>-<pod-template-hash>`,
/// rolls a changed template out with RollingUpdate (within maxSurge/maxUnavailable) or Recreate,
/// scales proportionally when spec.replicas changes mid-rollout, keeps revision annotations and
/// revisionHistoryLimit, honours pause, and reports Available/Progressing conditions (with the
/// progress deadline) the way `kubectl rollout status` reads them.
public struct DeploymentController: ControlLoop {
    public let name = "deployment"
    public let workers: Int
    let context: ControllerContext

    static let apiVersion = "apps/v1"
    static let kind = "Deployment"

    public init(context: ControllerContext, workers: Int = 5) {
        self.context = context
        self.workers = workers
    }

    public var watches: [LoopWatch] {
        [
            .primary(.deployments),
            LoopWatch(.replicaSets) { old, new in await replicaSetChangeKeys(old: old, new: new) },
            LoopWatch(.pods) { old, new in
                guard new == nil, let pod = old else { return [] }
                return await podDeletedKeys(pod)
            },
        ]
    }

    public func sync(_ key: String) async -> SyncResult {
        guard let deployment = await context.lister(.deployments).get(key) else { return .done }
        if Self.selectsEverything(deployment) { return await refuseSelectingAll(deployment) }
        // An unreadable selector cannot be acted on until it is fixed.
        guard let selector = try? LabelSelector.from(deployment["spec"]["selector"]) else { return .done }

        let namespace = DeploymentsFields.namespace(deployment)
        let ownership = DeploymentsOwnership(owner: deployment, ownerAPIVersion: Self.apiVersion, ownerKind: Self.kind,
                                             resource: .replicaSets, writer: context.writer)
        let all = await context.lister(.replicaSets).list(namespace: namespace)
        let (replicaSets, errors) = await ownership.claim(all) { selector.matches(PodState.labels($0)) }
        if !errors.isEmpty { return .retry }
        let pods = await podsByReplicaSet(namespace: namespace, selector: selector, replicaSets: replicaSets)

        var run = DeploymentSync(context: context, deployment: deployment, replicaSets: replicaSets, podsByReplicaSet: pods)
        do {
            if DeploymentsFields.isDeleting(deployment) {
                try await run.syncStatusOnly()
                return run.result
            }
            try await run.checkPausedConditions()
            if deployment["spec"]["paused"].bool == true {
                try await run.syncScaling()
                return run.result
            }
            if try await run.isScalingEvent() {
                try await run.syncScaling()
                return run.result
            }
            switch DeploymentStrategy.type(deployment) {
            case DeploymentStrategy.recreate: try await run.rolloutRecreate()
            case DeploymentStrategy.rollingUpdate: try await run.rolloutRolling()
            default: return .done  // validation admits no other strategy
            }
            return run.result
        } catch {
            return .retry
        }
    }

    /// An empty selector would claim every pod of the namespace.
    static func selectsEverything(_ deployment: JSON) -> Bool {
        let selector = deployment["spec"]["selector"]
        guard case .object = selector else { return false }
        return (selector["matchLabels"].object ?? [:]).isEmpty && (selector["matchExpressions"].array ?? []).isEmpty
    }

    private func refuseSelectingAll(_ deployment: JSON) async -> SyncResult {
        await context.events(DeploymentSync.component).record(deployment, type: "Warning", reason: "SelectingAll",
                                                              message: "This deployment is selecting all pods. A non-empty selector is required.")
        let generation = DeploymentsFields.generation(deployment)
        guard (deployment["status"]["observedGeneration"].int ?? 0) < generation else { return .done }
        var updated = deployment
        updated[path: ["status", "observedGeneration"]] = .int(generation)
        do { _ = try await context.writer.updateStatus(.deployments, updated) } catch { return .retry }
        return .done
    }

    /// The Deployment's pods by the uid of the ReplicaSet that controls them (every ReplicaSet has an entry).
    func podsByReplicaSet(namespace: String, selector: LabelSelector, replicaSets: [JSON]) async -> [String: [JSON]] {
        var map: [String: [JSON]] = [:]
        for rs in replicaSets { map[DeploymentsFields.uid(rs)] = [] }
        for pod in await context.lister(.pods).list(namespace: namespace) where selector.matches(PodState.labels(pod)) {
            if let uid = OwnerReferences.controller(of: pod)?["uid"].string, map[uid] != nil { map[uid, default: []].append(pod) }
        }
        return map
    }
}
