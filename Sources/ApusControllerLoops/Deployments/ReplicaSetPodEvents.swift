import ApusControllerKit
import ApusMachinery

extension ReplicaSetController {
    /// The ReplicaSets a pod change concerns, recording observed creations and deletions on the
    /// way (Kubernetes' addPod/updatePod/deletePod handlers).
    func podChangeKeys(old: JSON?, new: JSON?) async -> [String] {
        switch (old, new) {
        case (nil, let pod?):
            // A pod that shows up already terminating counts as a deletion, not a creation.
            if DeploymentsFields.isDeleting(pod) { return await podGone(pod) }
            if let reference = OwnerReferences.controller(of: pod) {
                guard let key = await resolve(reference, namespace: DeploymentsFields.namespace(pod)) else { return [] }
                await expectations.creationObserved(key)
                return [key]
            }
            // An orphan: every ReplicaSet that selects it may adopt it. No creation is observed.
            return await selectingReplicaSets(pod)

        case (let oldPod?, let pod?):
            if oldPod["metadata"]["resourceVersion"] == pod["metadata"]["resourceVersion"] { return [] }
            let labelsChanged = PodState.labels(oldPod) != PodState.labels(pod)
            if DeploymentsFields.isDeleting(pod) {
                // Graceful deletion started: replace the pod now rather than when it is gone.
                var keys = await podGone(pod)
                if labelsChanged { keys += await podGone(oldPod) }
                return unique(keys)
            }
            var keys: [String] = []
            let (oldReference, reference) = (OwnerReferences.controller(of: oldPod), OwnerReferences.controller(of: pod))
            let referenceChanged = oldReference != reference
            if referenceChanged, let oldReference, let key = await resolve(oldReference, namespace: DeploymentsFields.namespace(oldPod)) {
                keys.append(key)
            }
            if let reference {
                if let key = await resolve(reference, namespace: DeploymentsFields.namespace(pod)) { keys.append(key) }
                return unique(keys)
            }
            if labelsChanged || referenceChanged { keys += await selectingReplicaSets(pod) }
            return unique(keys)

        case (let pod?, nil):
            return await podGone(pod)

        case (nil, nil):
            return []
        }
    }

    /// A pod of a ReplicaSet was deleted or began terminating.
    private func podGone(_ pod: JSON) async -> [String] {
        guard let reference = OwnerReferences.controller(of: pod),
              let key = await resolve(reference, namespace: DeploymentsFields.namespace(pod)) else { return [] }
        await expectations.deletionObserved(key, podKey: ObjectKey.of(pod))
        return [key]
    }

    /// The key of the ReplicaSet a controller reference names, if it exists with that uid.
    private func resolve(_ reference: JSON, namespace: String) async -> String? {
        guard reference["kind"].string == Self.kind, let name = reference["name"].string else { return nil }
        let key = ObjectKey.make(namespace: namespace, name: name)
        guard let rs = await context.lister(.replicaSets).get(key), DeploymentsFields.uid(rs) == reference["uid"].string else { return nil }
        return key
    }

    /// ReplicaSets whose (non-empty) selector matches the pod's labels.
    private func selectingReplicaSets(_ pod: JSON) async -> [String] {
        let labels = PodState.labels(pod)
        if labels.isEmpty { return [] }
        return await context.lister(.replicaSets).list(namespace: DeploymentsFields.namespace(pod)).compactMap { rs in
            guard let selector = try? LabelSelector.from(rs["spec"]["selector"]), !selector.isEmpty, selector.matches(labels) else { return nil }
            return ObjectKey.of(rs)
        }
    }

    private func unique(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }
}
