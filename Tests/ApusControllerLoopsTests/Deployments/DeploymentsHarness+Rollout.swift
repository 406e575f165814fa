import ApusControllerKit
import ApusMachinery
import Testing
@testable import ApusControllerLoops

/// What must hold at every point of a rolling update.
struct DeploymentsRolloutLimits {
    var maxTotal: Int
    var minReady: Int
}

extension DeploymentsHarness {
    /// Creates the Deployment and brings it to a completed rollout.
    func createAndRollOut(_ deployment: JSON) async {
        await cluster.seed(.deployments, [deployment])
        await rollOut()
    }

    /// Steps the rollout until the Deployment reports it complete: a Deployment sync, the
    /// ReplicaSet syncs, the kubelet making pods ready, the ReplicaSet syncs again. `limits` are
    /// checked after every phase. Returns the number of steps taken.
    @discardableResult
    func rollOut(limits: DeploymentsRolloutLimits? = nil, maxSteps: Int = 40, sourceLocation: SourceLocation = #_sourceLocation) async -> Int {
        for step in 1...maxSteps {
            await syncDeployment()
            await check(limits, sourceLocation)
            await syncAllReplicaSets()
            await check(limits, sourceLocation)
            await runPods()
            await syncAllReplicaSets()
            await check(limits, sourceLocation)
            if await isRolledOut() {
                await syncDeployment()  // records the final status
                return step
            }
        }
        Issue.record("rollout did not complete in \(maxSteps) steps", sourceLocation: sourceLocation)
        return maxSteps
    }

    /// `kubectl rollout status`'s test of success.
    func isRolledOut() async -> Bool {
        let d = await deployment()
        let status = d["status"]
        let replicas = DeploymentsFields.specReplicas(d)
        let updated = Int(status["updatedReplicas"].int ?? 0)
        let settled = await cluster.all(.replicaSets).allSatisfy { DeploymentsFields.specReplicas($0) == DeploymentsFields.status($0, "replicas") }
        return settled && DeploymentsFields.generation(d) <= (status["observedGeneration"].int ?? 0)
            && DeploymentConditions.get(status, DeploymentConditions.progressing)?["reason"].string != DeploymentConditions.progressDeadlineExceeded
            && updated >= replicas && Int(status["replicas"].int ?? 0) <= updated
            && Int(status["availableReplicas"].int ?? 0) >= updated
    }

    private func check(_ limits: DeploymentsRolloutLimits?, _ location: SourceLocation) async {
        guard let limits else { return }
        let pods = await activePods()
        let specTotal = await cluster.all(.replicaSets).reduce(0) { $0 + DeploymentsFields.specReplicas($1) }
        #expect(specTotal <= limits.maxTotal, "ReplicaSets want \(specTotal) pods", sourceLocation: location)
        #expect(pods.count <= limits.maxTotal, "\(pods.count) pods run", sourceLocation: location)
        let ready = pods.filter(PodState.isReady).count
        #expect(ready >= limits.minReady, "only \(ready) pods ready", sourceLocation: location)
    }
}
