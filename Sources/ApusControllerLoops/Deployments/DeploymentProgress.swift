import ApusControllerKit
import ApusMachinery

/// A Deployment's status from its ReplicaSets, and the progress rules `kubectl rollout status`
/// depends on (complete, progressing, timed out).
enum DeploymentProgress {
    /// The status Kubernetes computes: counts summed over the ReplicaSets, the Available condition
    /// against spec.replicas - maxUnavailable, other conditions and collisionCount kept.
    static func calculateStatus(_ d: JSON, all allRSs: [JSON], new newRS: JSON?, now: Double) -> JSON {
        let available = DeploymentReplicaSets.statusSum(allRSs, "availableReplicas")
        let unavailable = max(DeploymentReplicaSets.specReplicasSum(allRSs) - available, 0)
        var status = JSON.emptyObject
        func count(_ field: String, _ value: Int) { if value != 0 { status[field] = .int(Int64(value)) } }
        let generation = DeploymentsFields.generation(d)
        if generation != 0 { status["observedGeneration"] = .int(generation) }
        count("replicas", DeploymentReplicaSets.statusSum(allRSs, "replicas"))
        count("updatedReplicas", newRS.map { DeploymentsFields.status($0, "replicas") } ?? 0)
        count("readyReplicas", DeploymentReplicaSets.statusSum(allRSs, "readyReplicas"))
        count("availableReplicas", available)
        count("unavailableReplicas", unavailable)
        status["collisionCount"] = d["status"]["collisionCount"]
        if let conditions = d["status"]["conditions"].array, !conditions.isEmpty { status["conditions"] = .array(conditions) }

        if available >= DeploymentsFields.specReplicas(d) - DeploymentStrategy.maxUnavailable(d) {
            DeploymentConditions.set(&status, DeploymentConditions.make(DeploymentConditions.available, "True",
                                                                        reason: DeploymentConditions.minimumReplicasAvailable,
                                                                        message: "Deployment has minimum availability.", now: now))
        } else {
            DeploymentConditions.set(&status, DeploymentConditions.make(DeploymentConditions.available, "False",
                                                                        reason: DeploymentConditions.minimumReplicasUnavailable,
                                                                        message: "Deployment does not have minimum availability.", now: now))
        }
        return status
    }

    /// All desired replicas are updated and available, no old ones remain, and the generation is observed.
    static func isComplete(_ d: JSON, status: JSON) -> Bool {
        let replicas = Int64(DeploymentsFields.specReplicas(d))
        return (status["updatedReplicas"].int ?? 0) == replicas && (status["replicas"].int ?? 0) == replicas
            && (status["availableReplicas"].int ?? 0) == replicas
            && (status["observedGeneration"].int ?? 0) >= DeploymentsFields.generation(d)
    }

    /// New pods were added or became ready/available, or old ones went away, since the stored status.
    static func isProgressing(_ d: JSON, status new: JSON) -> Bool {
        let old = d["status"]
        func value(_ status: JSON, _ field: String) -> Int64 { status[field].int ?? 0 }
        let oldOld = value(old, "replicas") - value(old, "updatedReplicas")
        let newOld = value(new, "replicas") - value(new, "updatedReplicas")
        return value(new, "updatedReplicas") > value(old, "updatedReplicas") || newOld < oldOld
            || value(new, "readyReplicas") > value(old, "readyReplicas")
            || value(new, "availableReplicas") > value(old, "availableReplicas")
    }

    /// The Progressing condition (unless it reports success) was last updated more than
    /// progressDeadlineSeconds ago, or already says the deadline passed.
    static func hasTimedOut(_ d: JSON, status: JSON, now: Double) -> Bool {
        guard let deadline = DeploymentStrategy.progressDeadline(d),
              let condition = DeploymentConditions.get(status, DeploymentConditions.progressing) else { return false }
        let reason = condition["reason"].string
        if reason == DeploymentConditions.newReplicaSetAvailable { return false }
        if reason == DeploymentConditions.progressDeadlineExceeded { return true }
        guard let from = condition["lastUpdateTime"].string.flatMap(Timestamp.parse) else { return false }
        return from + Double(deadline) < now
    }

    /// Statuses equal as Go compares the structs (zero counts and absent ones alike).
    static func sameStatus(_ a: JSON, _ b: JSON) -> Bool {
        func canonical(_ status: JSON) -> JSONObject {
            (status.object ?? [:]).filter { _, value in value != .int(0) && !value.isNull && value != .array([]) }
        }
        return canonical(a) == canonical(b)
    }
}

extension DeploymentSync {
    /// Writes the status when it changed, without touching the Progressing condition (scaling, pause).
    mutating func syncDeploymentStatus(all allRSs: [JSON], new newRS: JSON?) async throws {
        let status = DeploymentProgress.calculateStatus(deployment, all: allRSs, new: newRS, now: now)
        if DeploymentProgress.sameStatus(deployment["status"], status) { return }
        deployment["status"] = status
        try await writeStatus()
    }

    /// Writes the status during a rollout, with the Progressing condition (complete, progressing
    /// or timed out) and the ReplicaSets' ReplicaFailure condition; when nothing changed, asks to
    /// be looked at again when the progress deadline would pass.
    mutating func syncRolloutStatus(all allRSs: [JSON], new newRS: JSON?) async throws {
        var status = DeploymentProgress.calculateStatus(deployment, all: allRSs, new: newRS, now: now)
        let hasDeadline = DeploymentStrategy.progressDeadline(deployment) != nil
        if !hasDeadline { DeploymentConditions.remove(&status, DeploymentConditions.progressing) }

        let current = DeploymentConditions.get(deployment["status"], DeploymentConditions.progressing)
        let completeBefore = (status["replicas"].int ?? 0) == (status["updatedReplicas"].int ?? 0)
            && current?["reason"].string == DeploymentConditions.newReplicaSetAvailable
        if hasDeadline, !completeBefore {
            let subject = newRS.map { "ReplicaSet \"\(DeploymentsFields.name($0))\"" } ?? "Deployment \"\(name)\""
            if DeploymentProgress.isComplete(deployment, status: status) {
                DeploymentConditions.set(&status, DeploymentConditions.make(DeploymentConditions.progressing, "True",
                                                                            reason: DeploymentConditions.newReplicaSetAvailable,
                                                                            message: "\(subject) has successfully progressed.", now: now))
            } else if DeploymentProgress.isProgressing(deployment, status: status) {
                var condition = DeploymentConditions.make(DeploymentConditions.progressing, "True", reason: DeploymentConditions.replicaSetUpdated,
                                                          message: "\(subject) is progressing.", now: now)
                // Progress refreshes lastUpdateTime even with an unchanged reason; a True condition keeps its transition time.
                if let current {
                    if current["status"].string == "True" { condition["lastTransitionTime"] = current["lastTransitionTime"] }
                    DeploymentConditions.remove(&status, DeploymentConditions.progressing)
                }
                DeploymentConditions.set(&status, condition)
            } else if DeploymentProgress.hasTimedOut(deployment, status: status, now: now) {
                DeploymentConditions.set(&status, DeploymentConditions.make(DeploymentConditions.progressing, "False",
                                                                            reason: DeploymentConditions.progressDeadlineExceeded,
                                                                            message: "\(subject) has timed out progressing.", now: now))
            }
        }

        if let failure = replicaFailures(all: allRSs, new: newRS) {
            DeploymentConditions.set(&status, failure)
        } else {
            DeploymentConditions.remove(&status, DeploymentConditions.replicaFailure)
        }

        if DeploymentProgress.sameStatus(deployment["status"], status) {
            requeueIfStuck(status)
            return
        }
        deployment["status"] = status
        try await writeStatus()
    }

    /// The ReplicaFailure condition of the new ReplicaSet, else of any ReplicaSet.
    func replicaFailures(all allRSs: [JSON], new newRS: JSON?) -> JSON? {
        for rs in [newRS].compactMap({ $0 }) + allRSs {
            if let condition = ReplicaSetStatusReport.condition(rs["status"], ReplicaSetStatusReport.replicaFailure) {
                return DeploymentConditions.fromReplicaSet(condition)
            }
        }
        return nil
    }

    /// Without visible progress, looks again when the deadline passes (at once, rate-limited, when
    /// less than a second is left).
    mutating func requeueIfStuck(_ status: JSON) {
        guard let deadline = DeploymentStrategy.progressDeadline(deployment),
              let current = DeploymentConditions.get(deployment["status"], DeploymentConditions.progressing) else { return }
        if DeploymentProgress.isComplete(deployment, status: status)
            || current["reason"].string == DeploymentConditions.progressDeadlineExceeded { return }
        guard let lastUpdate = current["lastUpdateTime"].string.flatMap(Timestamp.parse) else { return }
        let after = lastUpdate + Double(deadline) - now
        result = after < 1 ? .retry : .requeue(after: after + 1)
    }
}
