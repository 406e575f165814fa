import ApusControllerKit
import ApusMachinery

/// One sync of one Deployment: the Deployment as the sync changes it, the ReplicaSets it controls
/// (kept current with the sync's own writes, so later steps do not write stale versions), and its
/// pods by ReplicaSet. The steps mirror Kubernetes' deployment controller.
struct DeploymentSync {
    static let component = "deployment-controller"

    let context: ControllerContext
    let now: Double
    /// The Deployment with this sync's changes (status, revision annotation).
    var deployment: JSON
    /// The Deployment as last read from the cache or returned by a write.
    private(set) var stored: JSON
    var replicaSets: [JSON]
    /// Pods selected by the Deployment, by the uid of the ReplicaSet controlling them.
    var podsByReplicaSet: [String: [JSON]]
    /// What the sync asks of the work queue (a later look for the progress deadline).
    var result: SyncResult = .done

    init(context: ControllerContext, deployment: JSON, replicaSets: [JSON], podsByReplicaSet: [String: [JSON]]) {
        self.context = context
        self.now = context.clock.now()
        self.deployment = deployment
        self.stored = deployment
        self.replicaSets = replicaSets
        self.podsByReplicaSet = podsByReplicaSet
    }

    var name: String { DeploymentsFields.name(deployment) }
    var replicas: Int { DeploymentsFields.specReplicas(deployment) }

    func record(_ type: String, _ reason: String, _ message: String) async {
        await context.events(Self.component).record(deployment, type: type, reason: reason, message: message)
    }

    /// Keeps the working list current after a write of a ReplicaSet.
    mutating func remember(_ rs: JSON) {
        if let index = replicaSets.firstIndex(where: { DeploymentsFields.uid($0) == DeploymentsFields.uid(rs) }) {
            replicaSets[index] = rs
        } else {
            replicaSets.append(rs)
        }
    }

    mutating func forget(_ rs: JSON) {
        replicaSets.removeAll { DeploymentsFields.uid($0) == DeploymentsFields.uid(rs) }
    }

    /// Writes the Deployment's status and, when it changed, its revision annotation. Kubernetes
    /// sends both in one status update (its deployments/status keeps annotations); a status
    /// subresource that resets metadata would drop the annotation, so it goes first as an update.
    mutating func writeStatus() async throws {
        if deployment["metadata"]["annotations"] != stored["metadata"]["annotations"] {
            let written = try await context.writer.update(.deployments, deployment)
            deployment[path: ["metadata", "resourceVersion"]] = written["metadata"]["resourceVersion"]
            stored = written
        }
        let written = try await context.writer.updateStatus(.deployments, deployment)
        deployment[path: ["metadata", "resourceVersion"]] = written["metadata"]["resourceVersion"]
        stored = written
    }

    // MARK: The paths of a sync

    /// A Deployment being deleted only gets its status refreshed.
    mutating func syncStatusOnly() async throws {
        let (newRS, oldRSs) = try await allReplicaSetsAndSyncRevision(create: false)
        try await syncDeploymentStatus(all: oldRSs + [newRS].compactMap { $0 }, new: newRS)
    }

    /// Scaling (and, while paused, history cleanup) without rollout progress.
    mutating func syncScaling() async throws {
        let (newRS, oldRSs) = try await allReplicaSetsAndSyncRevision(create: false)
        try await scale(new: newRS, old: oldRSs)
        if deployment["spec"]["paused"].bool == true {
            try await cleanupHistory(old: oldRSs)
        }
        try await syncDeploymentStatus(all: oldRSs + [newRS].compactMap { $0 }, new: newRS)
    }

    /// Records a Progressing condition of Unknown status when the Deployment is paused or resumed,
    /// so the time spent paused never counts against the progress deadline.
    mutating func checkPausedConditions() async throws {
        guard DeploymentStrategy.progressDeadline(deployment) != nil else { return }
        let current = DeploymentConditions.get(deployment["status"], DeploymentConditions.progressing)
        if current?["reason"].string == DeploymentConditions.progressDeadlineExceeded { return }
        let pausedConditionExists = current?["reason"].string == DeploymentConditions.paused
        let paused = deployment["spec"]["paused"].bool == true
        var status = deployment["status"]
        if paused, !pausedConditionExists {
            DeploymentConditions.set(&status, DeploymentConditions.make(DeploymentConditions.progressing, "Unknown",
                                                                        reason: DeploymentConditions.paused, message: "Deployment is paused", now: now))
        } else if !paused, pausedConditionExists {
            DeploymentConditions.set(&status, DeploymentConditions.make(DeploymentConditions.progressing, "Unknown",
                                                                        reason: DeploymentConditions.resumed, message: "Deployment is resumed", now: now))
        } else {
            return
        }
        deployment["status"] = status
        try await writeStatus()
    }

    /// Whether spec.replicas changed since the active ReplicaSets were last sized (their
    /// desired-replicas annotation differs).
    mutating func isScalingEvent() async throws -> Bool {
        let (newRS, oldRSs) = try await allReplicaSetsAndSyncRevision(create: false)
        for rs in DeploymentReplicaSets.active(oldRSs + [newRS]) {
            guard let desired = DeploymentRevisions.intAnnotation(rs, DeploymentRevisions.desiredReplicasAnnotation) else { continue }
            if desired != replicas { return true }
        }
        return false
    }
}
