import ApusControllerKit
import ApusMachinery

extension DeploymentSync {
    /// Applies a change of spec.replicas (or a resize while paused): a single active ReplicaSet takes
    /// the whole count; a saturated new ReplicaSet makes the old ones go to 0; otherwise, in a
    /// rolling update, the difference is spread over the active ReplicaSets in proportion to
    /// their size, so scaling neither hastens nor holds back the rollout.
    mutating func scale(new newRS: JSON?, old oldRSs: [JSON]) async throws {
        if let target = DeploymentReplicaSets.activeOrLatest(new: newRS, old: oldRSs) {
            if DeploymentsFields.specReplicas(target) == replicas { return }
            _ = try await scaleReplicaSetAndRecordEvent(target, to: replicas)
            return
        }
        if DeploymentStrategy.isSaturated(deployment, newRS) {
            for old in DeploymentReplicaSets.active(oldRSs) {
                _ = try await scaleReplicaSetAndRecordEvent(old, to: 0)
            }
            return
        }
        guard DeploymentStrategy.isRollingUpdate(deployment) else { return }

        var active = DeploymentReplicaSets.active(oldRSs + [newRS])
        let current = DeploymentReplicaSets.specReplicasSum(active)
        let allowed = replicas > 0 ? replicas + DeploymentStrategy.maxSurge(deployment) : 0
        let toAdd = allowed - current
        // Larger ReplicaSets first; among equals the newer ones grow first and the older ones shrink first.
        var operation = ""
        if toAdd > 0 {
            active = DeploymentReplicaSets.bySizeNewer(active)
            operation = "up"
        } else if toAdd < 0 {
            active = DeploymentReplicaSets.bySizeOlder(active)
            operation = "down"
        }
        var added = 0
        var sizes: [Int] = []
        for rs in active {
            let size = DeploymentsFields.specReplicas(rs)
            guard toAdd != 0 else { sizes.append(size); continue }
            let proportion = self.proportion(rs, toAdd: toAdd, added: added)
            sizes.append(size + proportion)
            added += proportion
        }
        for (index, rs) in active.enumerated() {
            var size = sizes[index]
            // What rounding left over goes to the largest ReplicaSet.
            if index == 0, toAdd != 0 { size = max(size + toAdd - added, 0) }
            _ = try await scaleReplicaSet(rs, to: size, operation: operation)
        }
    }

    /// The share of `toAdd` (of which `added` is handed out already) that `rs` gets, from its
    /// size relative to the max-replicas annotation it was last sized for.
    func proportion(_ rs: JSON, toAdd: Int, added: Int) -> Int {
        let size = DeploymentsFields.specReplicas(rs)
        guard size != 0, toAdd != 0, toAdd != added else { return 0 }
        let fraction: Int
        if replicas == 0 {
            fraction = -size
        } else {
            let deploymentReplicas = replicas + DeploymentStrategy.maxSurge(deployment)
            let annotated = DeploymentRevisions.intAnnotation(rs, DeploymentRevisions.maxReplicasAnnotation)
                ?? DeploymentsFields.status(deployment, "replicas")
            guard annotated > 0 else { return 0 }
            fraction = Int((Double(size * deploymentReplicas) / Double(annotated)).rounded()) - size
        }
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// Resizes `rs` to `newScale` when it differs; returns whether it was resized and its current version.
    mutating func scaleReplicaSetAndRecordEvent(_ rs: JSON, to newScale: Int) async throws -> (scaled: Bool, rs: JSON) {
        let size = DeploymentsFields.specReplicas(rs)
        if size == newScale { return (false, rs) }
        return try await scaleReplicaSet(rs, to: newScale, operation: size < newScale ? "up" : "down")
    }

    /// Writes the size and the desired/max-replicas annotations of `rs` when either is out of date,
    /// with a ScalingReplicaSet event on the Deployment for a size change.
    mutating func scaleReplicaSet(_ rs: JSON, to newScale: Int, operation: String) async throws -> (scaled: Bool, rs: JSON) {
        let oldScale = DeploymentsFields.specReplicas(rs)
        let maxReplicas = replicas + DeploymentStrategy.maxSurge(deployment)
        let sizeNeedsUpdate = oldScale != newScale
        guard sizeNeedsUpdate || DeploymentRevisions.replicasAnnotationsNeedUpdate(rs, desired: replicas, max: maxReplicas) else {
            return (false, rs)
        }
        var copy = rs
        DeploymentsFields.setSpecReplicas(&copy, newScale)
        var annotations = DeploymentsFields.annotations(copy)
        _ = DeploymentRevisions.setReplicasAnnotations(&annotations, desired: replicas, max: maxReplicas)
        DeploymentsFields.setAnnotations(&copy, annotations)
        let updated = try await context.writer.update(.replicaSets, copy)
        remember(updated)
        guard sizeNeedsUpdate else { return (false, updated) }
        await record("Normal", "ScalingReplicaSet",
                     "Scaled \(operation) replica set \(DeploymentsFields.name(updated)) from \(oldScale) to \(newScale)")
        return (true, updated)
    }

    /// Deletes the oldest revisions beyond spec.revisionHistoryLimit, only those fully scaled down
    /// (no pods, nothing pending) and not already being deleted.
    mutating func cleanupHistory(old oldRSs: [JSON]) async throws {
        guard let limit = DeploymentStrategy.revisionHistoryLimit(deployment) else { return }
        let cleanable = oldRSs.filter { !DeploymentsFields.isDeleting($0) }
        let excess = cleanable.count - limit
        guard excess > 0 else { return }
        for rs in DeploymentReplicaSets.byRevision(cleanable).prefix(excess) {
            if DeploymentsFields.status(rs, "replicas") != 0 || DeploymentsFields.specReplicas(rs) != 0
                || DeploymentsFields.generation(rs) > (rs["status"]["observedGeneration"].int ?? 0) {
                continue
            }
            do {
                try await context.writer.delete(.replicaSets, namespace: DeploymentsFields.namespace(rs), name: DeploymentsFields.name(rs))
            } catch {
                if error.code != 404 { throw error }
            }
            forget(rs)
        }
    }
}
