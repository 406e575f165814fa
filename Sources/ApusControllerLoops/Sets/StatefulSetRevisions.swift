import ApusControllerKit
import ApusMachinery

/// A StatefulSet's revisions (getStatefulSetRevisions, truncateHistory). The update revision is the
/// one whose data restores the current template: the latest if it does, else an older equal one
/// renumbered to be the latest (a rollback), else a new one. The current revision is the one
/// `status.currentRevision` names.
extension StatefulSetController {
    /// The revisions matching the selector that the set controls or nobody does, oldest first.
    func listRevisions(_ set: JSON, selector: LabelSelector) async -> [JSON] {
        let revisions = await context.lister(.controllerRevisions).list(namespace: SetSupport.namespace(set)).filter { revision in
            guard selector.matches(PodState.labels(revision)) else { return false }
            guard let owner = OwnerReferences.controller(of: revision) else { return true }
            return owner["uid"].string == SetSupport.uid(set)
        }
        return SetControllerRevisions.sortedByRevision(revisions)
    }

    /// Adopts the matching revisions nobody controls.
    func adoptOrphanRevisions(_ set: JSON, selector: LabelSelector) async throws {
        let orphans = await listRevisions(set, selector: selector).filter { OwnerReferences.controller(of: $0) == nil }
        guard !orphans.isEmpty else { return }
        guard !SetSupport.isTerminating(set) else { throw SetSyncError("can't adopt ControllerRevisions: the StatefulSet is being deleted") }
        let ownership = SetOwnership(owner: set, ownerKind: "StatefulSet", selector: selector, writer: context.writer)
        for orphan in orphans { _ = try await ownership.adopt(orphan, of: .controllerRevisions) }
    }

    /// A revision of the set's current template with number `number` (newRevision).
    func newRevision(_ set: JSON, number: Int64, collisionCount: Int64) -> JSON {
        let data = SetControllerRevisions.data(template: set["spec"]["template"])
        let hash = SetControllerRevisions.dataHash(data, collisionCount: collisionCount)
        var labels = PodState.labels(set["spec"]["template"])
        labels[SetControllerRevisions.dataHashLabel] = hash
        return SetControllerRevisions.revision(
            owner: set, ownerKind: "StatefulSet", name: SetControllerRevisions.name(prefix: SetSupport.name(set), hash: hash),
            labels: labels, annotations: set["metadata"]["annotations"].object ?? [:], data: data, number: number)
    }

    /// The current and update revisions and the collision count to report. `revisions` is sorted.
    func currentAndUpdateRevisions(_ set: JSON, revisions: [JSON]) async throws -> (current: JSON, update: JSON, collisionCount: Int64) {
        var collisionCount = SetControllerRevisions.collisionCount(of: set) ?? 0
        let next = (revisions.last.map(SetControllerRevisions.number) ?? 0) + 1
        var update = newRevision(set, number: next, collisionCount: collisionCount)
        let equal = revisions.filter { SetControllerRevisions.sameData($0["data"], update["data"]) }
        if let latestEqual = equal.last, let latest = revisions.last,
           SetControllerRevisions.sameData(latest["data"], latestEqual["data"]) {
            // The template has not changed since the latest revision.
            update = latest
        } else if let latestEqual = equal.last {
            // Back to an earlier template: that revision becomes the newest again.
            update = latestEqual
            if SetControllerRevisions.number(of: latestEqual) != next {
                update["revision"] = .int(next)
                update = try await context.writer.update(.controllerRevisions, update)
            }
        } else {
            update = try await createRevision(set, update, collisionCount: &collisionCount)
        }
        let currentName = set["status"]["currentRevision"].string
        let current = revisions.first { SetSupport.name($0) == currentName } ?? update
        return (current, update, collisionCount)
    }

    /// Creates `revision`, renaming it with a higher collision count while its name is taken by
    /// different data (history.CreateControllerRevision).
    private func createRevision(_ set: JSON, _ revision: JSON, collisionCount: inout Int64) async throws -> JSON {
        var candidate = revision
        for _ in 0..<100 {
            let hash = SetControllerRevisions.dataHash(revision["data"], collisionCount: collisionCount)
            let name = SetControllerRevisions.name(prefix: SetSupport.name(set), hash: hash)
            candidate[path: ["metadata", "name"]] = .string(name)
            let failure: ClientError
            do {
                return try await context.writer.create(.controllerRevisions, candidate)
            } catch {
                failure = error
            }
            guard SetSupport.isAlreadyExists(failure),
                  let existing = await context.lister(.controllerRevisions).get(namespace: SetSupport.namespace(set), name: name) else {
                throw failure
            }
            if SetControllerRevisions.sameData(existing["data"], revision["data"]) { return existing }
            collisionCount += 1
        }
        throw SetSyncError("could not find a free name for a revision of StatefulSet \(SetSupport.name(set))")
    }

    /// Deletes the oldest revisions beyond `revisionHistoryLimit` that neither the current nor update
    /// revision nor any pod uses.
    func truncateHistory(_ set: JSON, pods: [JSON], revisions: [JSON], current: JSON?, update: JSON?) async throws {
        var live = Set(pods.map(StatefulSetPods.revision(of:)))
        if let current { live.insert(SetSupport.name(current)) }
        if let update { live.insert(SetSupport.name(update)) }
        let history = revisions.filter { !live.contains(SetSupport.name($0)) }
        let limit = SetControllerRevisions.historyLimit(of: set)
        guard limit >= 0, history.count > limit else { return }
        for revision in history.prefix(history.count - limit) {
            try await context.writer.delete(.controllerRevisions, namespace: SetSupport.namespace(revision), name: SetSupport.name(revision))
        }
    }
}
