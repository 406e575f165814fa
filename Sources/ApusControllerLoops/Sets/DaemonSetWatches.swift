import ApusControllerKit
import ApusMachinery

/// How changes reach the DaemonSet controller (the event handlers of NewDaemonSetsController).
/// Pod events also settle expectations: a pod of a set appearing is an observed creation, one
/// disappearing or starting to terminate an observed deletion.
extension DaemonSetController {
    public var watches: [LoopWatch] {
        let controller = self
        return [
            LoopWatch(.daemonSets) { old, new in
                guard let object = new ?? old else { return [] }
                let key = ObjectKey.of(object)
                // A deleted (or re-created) set starts over.
                if new == nil || (old.map(SetSupport.uid) != nil && old.map(SetSupport.uid) != new.map(SetSupport.uid)) {
                    await controller.expectations.forget(key)
                }
                return [key]
            },
            LoopWatch(.nodes) { old, new in await controller.keysForNode(old: old, new: new) },
            LoopWatch(.pods) { old, new in await controller.keysForPod(old: old, new: new) },
            LoopWatch(.controllerRevisions) { old, new in await controller.keysForRevision(old: old, new: new) },
        ]
    }

    /// The set named by an object's controller reference, if it is still that set.
    func controllingSet(of object: JSON) async -> JSON? {
        await context.lister(.daemonSets).controller(of: object, kind: "DaemonSet")
    }

    /// Sets whose selector matches an orphan's labels.
    func selectingSets(_ object: JSON) async -> [String] {
        let labels = PodState.labels(object)
        return await context.lister(.daemonSets).list(namespace: SetSupport.namespace(object)).filter { set in
            (try? LabelSelector.from(set["spec"]["selector"]))?.matches(labels) ?? false
        }.map(ObjectKey.of)
    }

    func keysForPod(old: JSON?, new: JSON?) async -> [String] {
        switch (old, new) {
        case (nil, let pod?):
            if SetSupport.isTerminating(pod) { return await podGone(pod) }
            if let set = await controllingSet(of: pod) {
                await expectations.creationObserved(ObjectKey.of(set))
                return [ObjectKey.of(set)]
            }
            return await selectingSets(pod)
        case (let oldPod?, let pod?):
            if oldPod["metadata"]["resourceVersion"] == pod["metadata"]["resourceVersion"] { return [] }
            if SetSupport.isTerminating(pod) {
                // Counted once, when deletion starts; the final removal then only wakes the set.
                if SetSupport.isTerminating(oldPod) { return await controllingSet(of: pod).map { [ObjectKey.of($0)] } ?? [] }
                return await podGone(pod)
            }
            return await OwnerReferences.ownerKeys(old: oldPod, new: pod, owner: { await controllingSet(of: $0).map(ObjectKey.of) },
                                                   selecting: { await selectingSets($0) }).sorted()
        case (let pod?, nil):
            if SetSupport.isTerminating(pod) { return await controllingSet(of: pod).map { [ObjectKey.of($0)] } ?? [] }
            return await podGone(pod)
        case (nil, nil):
            return []
        }
    }

    private func podGone(_ pod: JSON) async -> [String] {
        guard let set = await controllingSet(of: pod) else { return [] }
        await expectations.deletionObserved(ObjectKey.of(set))
        return [ObjectKey.of(set)]
    }

    /// A node added, changed in a way that changes where sets run, or removed.
    func keysForNode(old: JSON?, new: JSON?) async -> [String] {
        if let old, let new, Self.ignorableNodeUpdate(old, new) { return [] }
        var keys: [String] = []
        for set in await context.lister(.daemonSets).list() {
            let before = old.map { DaemonSetNodeEligibility.evaluate(node: $0, daemonSet: set) }
            let after = new.map { DaemonSetNodeEligibility.evaluate(node: $0, daemonSet: set) }
            let wakes: Bool
            switch (before, after) {
            case (nil, let after?): wakes = after.shouldRun
            case (let before?, let after?): wakes = before != after
            case (let before?, nil): wakes = before.shouldRun || before.shouldContinueRunning
            case (nil, nil): wakes = false
            }
            if wakes { keys.append(ObjectKey.of(set)) }
        }
        return keys
    }

    /// Only heartbeats changed: the same conditions are True and nothing else differs (shouldIgnoreNodeUpdate).
    static func ignorableNodeUpdate(_ old: JSON, _ new: JSON) -> Bool {
        func trueConditions(_ node: JSON) -> Set<String> {
            Set((node["status"]["conditions"].array ?? []).filter { $0["status"].string == "True" }.compactMap { $0["type"].string })
        }
        guard trueConditions(old) == trueConditions(new) else { return false }
        func rest(_ node: JSON) -> JSON {
            var node = node
            node[path: ["metadata", "resourceVersion"]] = .null
            node[path: ["status", "conditions"]] = .null
            return node
        }
        return rest(old) == rest(new)
    }

    func keysForRevision(old: JSON?, new: JSON?) async -> [String] {
        var keys: [String] = []
        if let old, let new, old["metadata"]["resourceVersion"] == new["metadata"]["resourceVersion"] { return [] }
        if let old, OwnerReferences.controller(of: old) != OwnerReferences.controller(of: new ?? .null),
           let previous = await controllingSet(of: old) {
            keys.append(ObjectKey.of(previous))
        }
        if let revision = new ?? old {
            if OwnerReferences.controller(of: revision) != nil {
                if let set = await controllingSet(of: revision) { keys.append(ObjectKey.of(set)) }
            } else if new != nil {
                keys += await selectingSets(revision)
            }
        }
        return Array(Set(keys)).sorted()
    }
}
