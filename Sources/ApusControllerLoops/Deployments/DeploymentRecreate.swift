import ApusControllerKit
import ApusMachinery

extension DeploymentSync {
    /// One step of a Recreate rollout: scale every old ReplicaSet to 0, wait until no old pod is
    /// left running, then create (if needed) and scale up the new ReplicaSet.
    mutating func rolloutRecreate() async throws {
        // The new ReplicaSet is not created yet, so nothing scales up before the old pods are gone.
        var (newRS, oldRSs) = try await allReplicaSetsAndSyncRevision(create: false)
        var allRSs = oldRSs + [newRS].compactMap { $0 }

        var scaledDown = false
        for rs in DeploymentReplicaSets.active(oldRSs) {
            if try await scaleReplicaSetAndRecordEvent(rs, to: 0).scaled { scaledDown = true }
        }
        if scaledDown || oldPodsRunning(new: newRS, old: oldRSs) {
            try await syncRolloutStatus(all: allRSs, new: newRS)
            return
        }

        if newRS == nil {
            (newRS, oldRSs) = try await allReplicaSetsAndSyncRevision(create: true)
            allRSs = oldRSs + [newRS].compactMap { $0 }
        }
        if let newRS { _ = try await scaleReplicaSetAndRecordEvent(newRS, to: replicas) }

        if DeploymentProgress.isComplete(deployment, status: deployment["status"]) {
            try await cleanupHistory(old: oldRSs)
        }
        try await syncRolloutStatus(all: allRSs, new: newRS)
    }

    /// Whether an old ReplicaSet still reports pods, or a pod of one is not yet finished
    /// (Failed and Succeeded pods do not count).
    func oldPodsRunning(new newRS: JSON?, old oldRSs: [JSON]) -> Bool {
        if DeploymentReplicaSets.statusSum(oldRSs, "replicas") > 0 { return true }
        let newUID = newRS.map(DeploymentsFields.uid)
        for (uid, pods) in podsByReplicaSet where uid != newUID {
            for pod in pods {
                let phase = pod["status"]["phase"].string
                if phase == "Failed" || phase == "Succeeded" { continue }
                return true
            }
        }
        return false
    }
}
