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
            if OwnerReferences.controller(of: pod) != nil {
                guard let key = await controllerKey(of: pod) else { return [] }
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
            return await OwnerReferences.ownerKeys(old: oldPod, new: pod, owner: { await controllerKey(of: $0) },
                                                   selecting: { await selectingReplicaSets($0) })

        case (let pod?, nil):
            return await podGone(pod)

        case (nil, nil):
            return []
        }
    }

    /// A pod of a ReplicaSet was deleted or began terminating.
    private func podGone(_ pod: JSON) async -> [String] {
        guard let key = await controllerKey(of: pod) else { return [] }
        await expectations.deletionObserved(key, podKey: ObjectKey.of(pod))
        return [key]
    }

    /// The key of the ReplicaSet that controls `pod`, if it exists with the referenced uid.
    private func controllerKey(of pod: JSON) async -> String? {
        await context.lister(.replicaSets).controller(of: pod, kind: Self.kind).map(ObjectKey.of)
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
