import ApusControllerKit
import ApusMachinery

/// Kubernetes' StatefulSet controller (pkg/controller/statefulset): pods `<set>-<ordinal>` with stable
/// names, hostnames and claims, created in order (OrderedReady) or all at once (Parallel), replaced
/// from the highest ordinal down on a template change, with revisions kept as ControllerRevisions.
public struct StatefulSetController: ControlLoop {
    public let name = "statefulset"
    public let workers: Int
    let context: ControllerContext
    /// The MaxUnavailableStatefulSet feature (alpha in 1.32, off by default): rolling updates honour
    /// `rollingUpdate.maxUnavailable` instead of replacing one pod at a time.
    let maxUnavailableStatefulSet: Bool

    public init(context: ControllerContext, workers: Int = 5, maxUnavailableStatefulSet: Bool = false) {
        self.context = context
        self.workers = workers
        self.maxUnavailableStatefulSet = maxUnavailableStatefulSet
    }

    var podControl: StatefulSetPodControl { StatefulSetPodControl(context: context) }
    var now: Double { context.clock.now() }

    public func sync(_ key: String) async -> SyncResult {
        guard let set = await context.lister(.statefulSets).get(key) else { return .done }
        // A selector that does not parse will not parse on a retry either.
        guard let selector = try? LabelSelector.from(set["spec"]["selector"]) else { return .done }
        do {
            try await adoptOrphanRevisions(set, selector: selector)
            let pods = try await claimPods(set, selector: selector)
            let status = try await update(set, pods: pods, selector: selector)
            // Pods become available with time alone; look again then.
            let minReady = set["spec"]["minReadySeconds"].int ?? 0
            if minReady > 0 && status.availableReplicas != StatefulSetPods.replicas(set) {
                return .requeue(after: Double(minReady))
            }
            return .done
        } catch {
            return .retry
        }
    }

    /// The set's pods: its own and matching orphans named after it, adopted; others it owns released.
    func claimPods(_ set: JSON, selector: LabelSelector) async throws -> [JSON] {
        let pods = await context.lister(.pods).list(namespace: SetSupport.namespace(set))
        let ownership = SetOwnership(owner: set, ownerKind: "StatefulSet", selector: selector, writer: context.writer)
        return try await ownership.claim(pods, of: .pods) { StatefulSetPods.isMember($0, of: set) }
    }

    /// Revisions, the pass over the pods, the status, then history pruning (UpdateStatefulSet).
    private func update(_ set: JSON, pods: [JSON], selector: LabelSelector) async throws -> StatefulSetStatusValues {
        let revisions = await listRevisions(set, selector: selector)
        let current: JSON
        let update: JSON
        let collisionCount: Int64
        do {
            (current, update, collisionCount) = try await currentAndUpdateRevisions(set, revisions: revisions)
        } catch {
            try? await truncateHistory(set, pods: pods, revisions: revisions, current: nil, update: nil)
            throw error
        }
        var outcome = await updatePods(set, current: current, update: update, collisionCount: collisionCount, pods: pods)
        var failure = outcome.error
        do {
            try await writeStatus(set, &outcome.status)
        } catch {
            if failure == nil { failure = error }
        }
        do {
            try await truncateHistory(set, pods: pods, revisions: revisions, current: current, update: update)
        } catch {
            if failure == nil { failure = error }
        }
        if let failure { throw failure }
        return outcome.status
    }
}

/// How changes reach the StatefulSet controller: its own objects, and its pods by controller
/// reference (orphans by selector). Claims and revisions are read from caches but wake nothing,
/// as in Kubernetes.
extension StatefulSetController {
    public var watches: [LoopWatch] {
        let controller = self
        return [
            .primary(.statefulSets),
            LoopWatch(.pods) { old, new in await controller.keysForPod(old: old, new: new) },
            LoopWatch(.persistentVolumeClaims) { _, _ in [] },
            LoopWatch(.controllerRevisions) { _, _ in [] },
        ]
    }

    private func controllingSet(of pod: JSON) async -> JSON? {
        await context.lister(.statefulSets).controller(of: pod, kind: "StatefulSet")
    }

    private func selectingSets(_ pod: JSON) async -> [String] {
        let labels = PodState.labels(pod)
        return await context.lister(.statefulSets).list(namespace: SetSupport.namespace(pod)).filter { set in
            (try? LabelSelector.from(set["spec"]["selector"]))?.matches(labels) ?? false
        }.map(ObjectKey.of)
    }

    func keysForPod(old: JSON?, new: JSON?) async -> [String] {
        switch (old, new) {
        case (nil, let pod?):
            if SetSupport.isTerminating(pod) { return await controllingSet(of: pod).map { [ObjectKey.of($0)] } ?? [] }
            if OwnerReferences.controller(of: pod) != nil { return await controllingSet(of: pod).map { [ObjectKey.of($0)] } ?? [] }
            return await selectingSets(pod)
        case (let oldPod?, let pod?):
            if oldPod["metadata"]["resourceVersion"] == pod["metadata"]["resourceVersion"] { return [] }
            return await OwnerReferences.ownerKeys(old: oldPod, new: pod, owner: { await controllingSet(of: $0).map(ObjectKey.of) },
                                                   selecting: { await selectingSets($0) }).sorted()
        case (let pod?, nil):
            return await controllingSet(of: pod).map { [ObjectKey.of($0)] } ?? []
        case (nil, nil):
            return []
        }
    }
}
