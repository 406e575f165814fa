import ApusControllerKit
import ApusMachinery

extension DeploymentSync {
    /// One step of a rolling update: grow the new ReplicaSet within maxSurge, else shrink the old
    /// ones within maxUnavailable, else (once complete) clean up history; then the status.
    mutating func rolloutRolling() async throws {
        let (created, oldRSs) = try await allReplicaSetsAndSyncRevision(create: true)
        guard let newRS = created else { return }
        let allRSs = oldRSs + [newRS]

        if try await reconcileNewReplicaSet(newRS, all: allRSs) {
            try await syncRolloutStatus(all: allRSs, new: newRS)
            return
        }
        if await reconcileOldReplicaSets(DeploymentReplicaSets.active(oldRSs), new: newRS, all: allRSs) {
            try await syncRolloutStatus(all: allRSs, new: newRS)
            return
        }
        if DeploymentProgress.isComplete(deployment, status: deployment["status"]) {
            try await cleanupHistory(old: oldRSs)
        }
        try await syncRolloutStatus(all: allRSs, new: newRS)
    }

    /// Scales the new ReplicaSet toward spec.replicas as far as the surge budget allows.
    mutating func reconcileNewReplicaSet(_ newRS: JSON, all allRSs: [JSON]) async throws -> Bool {
        let size = DeploymentsFields.specReplicas(newRS)
        if size == replicas { return false }
        if size > replicas { return try await scaleReplicaSetAndRecordEvent(newRS, to: replicas).scaled }
        let target = try DeploymentStrategy.newReplicaSetReplicas(deployment, allReplicaSets: allRSs, newReplicaSet: newRS)
        return try await scaleReplicaSetAndRecordEvent(newRS, to: target).scaled
    }

    /// Scales old ReplicaSets down without going below spec.replicas - maxUnavailable available
    /// pods, counting the new ReplicaSet's unavailable pods against the budget. Unhealthy old pods
    /// go first since removing them costs no availability. Failures end the step quietly, as in
    /// Kubernetes; the next sync tries again.
    mutating func reconcileOldReplicaSets(_ oldRSs: [JSON], new newRS: JSON, all allRSs: [JSON]) async -> Bool {
        let oldPods = DeploymentReplicaSets.specReplicasSum(oldRSs)
        if oldPods == 0 { return false }
        let allPods = DeploymentReplicaSets.specReplicasSum(allRSs)
        let minAvailable = replicas - DeploymentStrategy.maxUnavailable(deployment)
        let newUnavailable = DeploymentsFields.specReplicas(newRS) - DeploymentsFields.status(newRS, "availableReplicas")
        let maxScaledDown = allPods - minAvailable - newUnavailable
        if maxScaledDown <= 0 { return false }

        guard let (cleanedOld, cleaned) = try? await cleanupUnhealthyReplicas(oldRSs, maxCleanup: maxScaledDown),
              let scaledDown = try? await scaleDownOldReplicaSets(cleanedOld, all: cleanedOld + [newRS])
        else { return false }
        return cleaned + scaledDown > 0
    }

    /// Removes old pods that are not available, oldest ReplicaSets first, up to `maxCleanup`.
    mutating func cleanupUnhealthyReplicas(_ oldRSs: [JSON], maxCleanup: Int) async throws -> ([JSON], Int) {
        var sorted = DeploymentReplicaSets.byCreation(oldRSs)
        var total = 0
        for index in sorted.indices {
            if total >= maxCleanup { break }
            let rs = sorted[index]
            let size = DeploymentsFields.specReplicas(rs)
            let available = DeploymentsFields.status(rs, "availableReplicas")
            if size == 0 || size == available { continue }
            let count = min(maxCleanup - total, size - available)
            let target = size - count
            if target > size {
                throw DeploymentsFailure("when cleaning up unhealthy replicas, got invalid request to scale down \(ObjectKey.of(rs)) \(size) -> \(target)")
            }
            sorted[index] = try await scaleReplicaSetAndRecordEvent(rs, to: target).rs
            total += count
        }
        return (sorted, total)
    }

    /// Scales old ReplicaSets down, oldest first, by as many pods as are available above the minimum.
    mutating func scaleDownOldReplicaSets(_ oldRSs: [JSON], all allRSs: [JSON]) async throws -> Int {
        let minAvailable = replicas - DeploymentStrategy.maxUnavailable(deployment)
        let available = DeploymentReplicaSets.statusSum(allRSs, "availableReplicas")
        if available <= minAvailable { return 0 }
        let wanted = available - minAvailable
        var total = 0
        for rs in DeploymentReplicaSets.byCreation(oldRSs) {
            if total >= wanted { break }
            let size = DeploymentsFields.specReplicas(rs)
            if size == 0 { continue }
            let count = min(size, wanted - total)
            let target = size - count
            if target > size {
                throw DeploymentsFailure("when scaling down old RS, got invalid request to scale down \(ObjectKey.of(rs)) \(size) -> \(target)")
            }
            _ = try await scaleReplicaSetAndRecordEvent(rs, to: target)
            total += count
        }
        return total
    }
}
