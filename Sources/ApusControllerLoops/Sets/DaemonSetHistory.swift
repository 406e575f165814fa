import ApusControllerKit
import ApusMachinery

/// A DaemonSet's revisions (daemon/update.go): the one matching the current template is current
/// and carries the highest revision number; the others are old and are pruned to
/// `revisionHistoryLimit`, sparing those whose pods still run.
extension DaemonSetController {
    /// The revisions the set controls, adopting matching orphans.
    func controlledHistories(_ daemonSet: JSON) async throws -> [JSON] {
        let selector = try LabelSelector.from(daemonSet["spec"]["selector"])
        let revisions = await context.lister(.controllerRevisions).list(namespace: SetSupport.namespace(daemonSet))
        let ownership = SetOwnership(owner: daemonSet, ownerKind: "DaemonSet", selector: selector, writer: context.writer)
        return try await ownership.claim(revisions, of: .controllerRevisions)
    }

    /// The current revision (created, or renumbered to be the newest) and the old ones.
    func constructHistory(_ daemonSet: JSON) async throws -> (current: JSON, old: [JSON]) {
        let data = SetControllerRevisions.data(template: daemonSet["spec"]["template"])
        var currents: [JSON] = []
        var old: [JSON] = []
        for var revision in try await controlledHistories(daemonSet) {
            // Older revisions may lack the hash label; their name stands in for it.
            if PodState.labels(revision)[SetControllerRevisions.revisionHashLabel] == nil {
                revision[path: ["metadata", "labels", SetControllerRevisions.revisionHashLabel]] = revision["metadata"]["name"]
                revision = try await context.writer.update(.controllerRevisions, revision)
            }
            if SetControllerRevisions.sameData(revision["data"], data) {
                currents.append(revision)
            } else {
                old.append(revision)
            }
        }
        let nextNumber = (old.map(SetControllerRevisions.number).max() ?? 0) + 1
        guard !currents.isEmpty else {
            return (try await snapshot(daemonSet, number: nextNumber), old)
        }
        let current = try await dedupCurrent(daemonSet, currents)
        if SetControllerRevisions.number(of: current) < nextNumber {
            var renumbered = current
            renumbered["revision"] = .int(nextNumber)
            _ = try await context.writer.update(.controllerRevisions, renumbered)
        }
        return (current, old)
    }

    /// Creates the revision of the current template. A name taken by a different template is a hash
    /// collision: `status.collisionCount` goes up and the sync is retried with a new name.
    private func snapshot(_ daemonSet: JSON, number: Int64) async throws -> JSON {
        let template = daemonSet["spec"]["template"]
        let hash = SetControllerRevisions.templateHash(template, collisionCount: SetControllerRevisions.collisionCount(of: daemonSet))
        let name = "\(SetSupport.name(daemonSet))-\(hash)"
        var labels = PodState.labels(template)
        labels[SetControllerRevisions.revisionHashLabel] = hash
        let revision = SetControllerRevisions.revision(
            owner: daemonSet, ownerKind: "DaemonSet", name: name, labels: labels,
            annotations: daemonSet["metadata"]["annotations"].object ?? [:],
            data: SetControllerRevisions.data(template: template), number: number)
        let failure: ClientError
        do {
            return try await context.writer.create(.controllerRevisions, revision)
        } catch {
            failure = error
        }
        guard SetSupport.isAlreadyExists(failure) else { throw failure }
        let key = ObjectKey.make(namespace: SetSupport.namespace(daemonSet), name: name)
        guard let existing = await context.lister(.controllerRevisions).get(key) else { throw failure }
        if SetControllerRevisions.sameData(existing["data"], revision["data"]) { return existing }
        var bumped = daemonSet
        bumped[path: ["status", "collisionCount"]] = .int((SetControllerRevisions.collisionCount(of: daemonSet) ?? 0) + 1)
        _ = try await context.writer.updateStatus(.daemonSets, bumped)
        throw failure
    }

    /// Keeps the current revision with the highest number; pods labelled with the others are relabelled.
    private func dedupCurrent(_ daemonSet: JSON, _ currents: [JSON]) async throws -> JSON {
        guard currents.count > 1 else { return currents[0] }
        var keep = currents[0]
        for revision in currents where SetControllerRevisions.number(of: revision) >= SetControllerRevisions.number(of: keep) {
            keep = revision
        }
        let keepHash = keep["metadata"]["labels"][SetControllerRevisions.revisionHashLabel]
        for pod in try await daemonPods(daemonSet) where pod["metadata"]["labels"][SetControllerRevisions.revisionHashLabel] != keepHash {
            let patch: JSON = ["metadata": ["labels": [SetControllerRevisions.revisionHashLabel: keepHash]]]
            _ = try await context.writer.patch(.pods, namespace: SetSupport.namespace(pod), name: SetSupport.name(pod),
                                               type: .merge, patch)
        }
        for revision in currents where SetSupport.name(revision) != SetSupport.name(keep) {
            try await context.writer.delete(.controllerRevisions, namespace: SetSupport.namespace(revision),
                                            name: SetSupport.name(revision))
        }
        return keep
    }

    /// Deletes the oldest old revisions beyond the history limit whose hash no pod carries.
    func cleanupHistory(_ daemonSet: JSON, old: [JSON]) async throws {
        let excess = old.count - SetControllerRevisions.historyLimit(of: daemonSet)
        guard excess > 0 else { return }
        var liveHashes = Set<String>()
        for pods in try await podsByNode(daemonSet, includeDeletedTerminal: true).values {
            for pod in pods {
                if let hash = PodState.labels(pod)[SetControllerRevisions.revisionHashLabel], !hash.isEmpty { liveHashes.insert(hash) }
            }
        }
        var remaining = excess
        for revision in SetControllerRevisions.sortedByRevision(old) where remaining > 0 {
            if let hash = PodState.labels(revision)[SetControllerRevisions.revisionHashLabel], liveHashes.contains(hash) { continue }
            try await context.writer.delete(.controllerRevisions, namespace: SetSupport.namespace(revision), name: SetSupport.name(revision))
            remaining -= 1
        }
    }
}
