import ApusControllerKit
import ApusMachinery

extension DeploymentController {
    /// The Deployments a ReplicaSet change concerns: its controller before and after, or, for an
    /// orphan whose labels or owner changed, every Deployment selecting it (which may adopt it).
    func replicaSetChangeKeys(old: JSON?, new: JSON?) async -> [String] {
        switch (old, new) {
        case (nil, let rs?):
            if OwnerReferences.controller(of: rs) != nil { return await controllerKey(of: rs).map { [$0] } ?? [] }
            return DeploymentsFields.isDeleting(rs) ? [] : await selectingDeployments(rs)

        case (let oldRS?, let rs?):
            if oldRS["metadata"]["resourceVersion"] == rs["metadata"]["resourceVersion"] { return [] }
            return await OwnerReferences.ownerKeys(old: oldRS, new: rs, owner: { await controllerKey(of: $0) },
                                                   selecting: { await selectingDeployments($0) })

        case (let rs?, nil):
            return await controllerKey(of: rs).map { [$0] } ?? []

        case (nil, nil):
            return []
        }
    }

    /// A Recreate Deployment waits for its old pods to be gone: wake it when its last pod is deleted.
    func podDeletedKeys(_ pod: JSON) async -> [String] {
        let namespace = DeploymentsFields.namespace(pod)
        guard let rs = await context.lister(.replicaSets).controller(of: pod, kind: "ReplicaSet"),
              let deployment = await context.lister(.deployments).controller(of: rs, kind: Self.kind),
              DeploymentStrategy.type(deployment) == DeploymentStrategy.recreate,
              let selector = try? LabelSelector.from(deployment["spec"]["selector"])
        else { return [] }
        let owned = await context.lister(.replicaSets).list(namespace: namespace).filter { OwnerReferences.isControlled($0, by: deployment) }
        let pods = await podsByReplicaSet(namespace: namespace, selector: selector, replicaSets: owned)
        let remaining = pods.values.joined().filter { DeploymentsFields.uid($0) != DeploymentsFields.uid(pod) }
        return remaining.isEmpty ? [ObjectKey.of(deployment)] : []
    }

    /// The key of the Deployment that controls `rs`, if it exists with the referenced uid.
    private func controllerKey(of rs: JSON) async -> String? {
        await context.lister(.deployments).controller(of: rs, kind: Self.kind).map(ObjectKey.of)
    }

    /// Deployments whose (non-empty) selector matches the ReplicaSet's labels.
    private func selectingDeployments(_ rs: JSON) async -> [String] {
        let labels = PodState.labels(rs)
        if labels.isEmpty { return [] }
        return await context.lister(.deployments).list(namespace: DeploymentsFields.namespace(rs)).compactMap { deployment in
            guard let selector = try? LabelSelector.from(deployment["spec"]["selector"]), !selector.isEmpty,
                  selector.matches(labels) else { return nil }
            return ObjectKey.of(deployment)
        }
    }
}
