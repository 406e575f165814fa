import ApusControllerKit
import ApusMachinery

extension DeploymentController {
    /// The Deployments a ReplicaSet change concerns: its controller before and after, or, for an
    /// orphan whose labels or owner changed, every Deployment selecting it (which may adopt it).
    func replicaSetChangeKeys(old: JSON?, new: JSON?) async -> [String] {
        switch (old, new) {
        case (nil, let rs?):
            if let reference = OwnerReferences.controller(of: rs) {
                return await resolve(reference, namespace: DeploymentsFields.namespace(rs)).map { [$0] } ?? []
            }
            return DeploymentsFields.isDeleting(rs) ? [] : await selectingDeployments(rs)

        case (let oldRS?, let rs?):
            if oldRS["metadata"]["resourceVersion"] == rs["metadata"]["resourceVersion"] { return [] }
            var keys: [String] = []
            let (oldReference, reference) = (OwnerReferences.controller(of: oldRS), OwnerReferences.controller(of: rs))
            let referenceChanged = oldReference != reference
            if referenceChanged, let oldReference, let key = await resolve(oldReference, namespace: DeploymentsFields.namespace(oldRS)) {
                keys.append(key)
            }
            if let reference {
                if let key = await resolve(reference, namespace: DeploymentsFields.namespace(rs)), !keys.contains(key) { keys.append(key) }
                return keys
            }
            if referenceChanged || PodState.labels(oldRS) != PodState.labels(rs) {
                for key in await selectingDeployments(rs) where !keys.contains(key) { keys.append(key) }
            }
            return keys

        case (let rs?, nil):
            guard let reference = OwnerReferences.controller(of: rs) else { return [] }
            return await resolve(reference, namespace: DeploymentsFields.namespace(rs)).map { [$0] } ?? []

        case (nil, nil):
            return []
        }
    }

    /// A Recreate Deployment waits for its old pods to be gone: wake it when its last pod is deleted.
    func podDeletedKeys(_ pod: JSON) async -> [String] {
        let namespace = DeploymentsFields.namespace(pod)
        guard let podReference = OwnerReferences.controller(of: pod), podReference["kind"].string == "ReplicaSet",
              let rsName = podReference["name"].string,
              let rs = await context.lister(.replicaSets).get(namespace: namespace, name: rsName),
              DeploymentsFields.uid(rs) == podReference["uid"].string,
              let reference = OwnerReferences.controller(of: rs),
              let key = await resolve(reference, namespace: namespace),
              let deployment = await context.lister(.deployments).get(key),
              DeploymentStrategy.type(deployment) == DeploymentStrategy.recreate,
              let selector = try? LabelSelector.from(deployment["spec"]["selector"])
        else { return [] }
        let owned = await context.lister(.replicaSets).list(namespace: namespace).filter { OwnerReferences.isControlled($0, by: deployment) }
        let pods = await podsByReplicaSet(namespace: namespace, selector: selector, replicaSets: owned)
        let remaining = pods.values.joined().filter { DeploymentsFields.uid($0) != DeploymentsFields.uid(pod) }
        return remaining.isEmpty ? [key] : []
    }

    /// The key of the Deployment a controller reference names, if it exists with that uid.
    private func resolve(_ reference: JSON, namespace: String) async -> String? {
        guard reference["kind"].string == Self.kind, let name = reference["name"].string else { return nil }
        let key = ObjectKey.make(namespace: namespace, name: name)
        guard let deployment = await context.lister(.deployments).get(key),
              DeploymentsFields.uid(deployment) == reference["uid"].string else { return nil }
        return key
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
