import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct DeploymentPauseAndProgressTests {
    private func progressing(_ h: DeploymentsHarness) async -> JSON? {
        DeploymentConditions.get(await h.deployment()["status"], DeploymentConditions.progressing)
    }

    @Test func pauseHoldsTheRolloutButNotScaling() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 3))
        let rsName = DeploymentsFields.name(await h.cluster.all(.replicaSets)[0])

        await h.updateDeployment { $0[path: ["spec", "paused"]] = true }
        await h.syncDeployment()
        var condition = await progressing(h)
        #expect(condition?["status"] == "Unknown")
        #expect(condition?["reason"] == "DeploymentPaused")
        #expect(condition?["message"] == "Deployment is paused")

        // A new template waits; a new size does not.
        await h.setImage("nginx:1.26")
        await h.updateDeployment { $0[path: ["spec", "replicas"]] = 5 }
        await h.syncDeployment()
        #expect(await h.cluster.all(.replicaSets).count == 1)
        #expect(await h.replicaSet(rsName)?["spec"]["replicas"] == 5)
        #expect(await h.messages("ScalingReplicaSet").last == "Scaled up replica set \(rsName) from 3 to 5")
        #expect(await h.deployment()["status"]["observedGeneration"] == 4)
        await h.syncAllReplicaSets()
        await h.runPods()
        await h.syncAllReplicaSets()
        await h.syncDeployment()

        await h.updateDeployment { $0[path: ["spec", "paused"]] = false }
        await h.cluster.forgetCalls()
        await h.syncDeployment()
        let resumed = await h.cluster.calls.contains {
            $0.subresource == "status" && DeploymentConditions.get($0.body["status"], DeploymentConditions.progressing)?["reason"] == "DeploymentResumed"
        }
        #expect(resumed)
        condition = await progressing(h)
        #expect(condition?["reason"] == "NewReplicaSetCreated")
        #expect(await h.cluster.all(.replicaSets).count == 2)
        await h.rollOut(limits: .init(maxTotal: 7, minReady: 4))
    }

    @Test func reportsTheProgressDeadlineAndWakesUpForIt() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 2, progressDeadlineSeconds: 60))
        await h.setImage("nginx:broken")
        for _ in 0..<3 {
            await h.syncDeployment()
            await h.syncAllReplicaSets()
            await h.runPods(ready: false)
            await h.syncAllReplicaSets()
        }
        // No progress: the sync asks to look again when the deadline passes.
        let lastUpdate = Timestamp.parse((await progressing(h))?["lastUpdateTime"].string ?? "")!
        let now = h.clock.now()
        #expect(await h.syncDeployment() == .requeue(after: lastUpdate + 60 - now + 1))

        h.clock.advance(by: 61)
        await h.syncDeployment()
        let newRS = DeploymentsFields.name(await h.replicaSetsByRevision()["2"]!)
        let condition = await progressing(h)
        #expect(condition?["status"] == "False")
        #expect(condition?["reason"] == "ProgressDeadlineExceeded")
        #expect(condition?["message"] == .string("ReplicaSet \"\(newRS)\" has timed out progressing."))
        #expect(await !h.isRolledOut())
        // Once timed out, no more timers; pausing does not hide the failure.
        #expect(await h.syncDeployment() == .done)
        await h.updateDeployment { $0[path: ["spec", "paused"]] = true }
        await h.syncDeployment()
        #expect(await progressing(h)?["reason"] == "ProgressDeadlineExceeded")
        await h.updateDeployment { $0[path: ["spec", "paused"]] = false }

        // The pods come up after all: progress is reported again and the rollout completes.
        for pod in await h.activePods() { await h.setPod(pod, ready: true) }
        await h.syncAllReplicaSets()
        await h.rollOut()
        #expect(await progressing(h)?["reason"] == "NewReplicaSetAvailable")
    }

    @Test func progressRefreshesTheConditionButKeepsItsTransitionTime() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 4, strategy: DeploymentsFixtures.rolling(surge: 1, unavailable: 0)))
        await h.setImage("nginx:1.26")
        await h.syncDeployment()
        let created = await progressing(h)
        #expect(created?["reason"] == "NewReplicaSetCreated")
        await h.syncAllReplicaSets()
        await h.runPods()
        await h.syncAllReplicaSets()
        await h.syncDeployment()
        let updated = await progressing(h)
        #expect(updated?["reason"] == "ReplicaSetUpdated")
        #expect(updated?["lastTransitionTime"] == created?["lastTransitionTime"])
        #expect(updated?["lastUpdateTime"] != created?["lastUpdateTime"])
    }

    @Test func withoutADeadlineThereIsNoProgressingCondition() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 1, progressDeadlineSeconds: Int(Int32.max)))
        #expect(await progressing(h) == nil)
        #expect(DeploymentConditions.get(await h.deployment()["status"], DeploymentConditions.available)?["status"] == "True")
    }

    @Test func replicaSetFailuresShowOnTheDeployment() async {
        let h = DeploymentsHarness()
        await h.cluster.seed(.deployments, [DeploymentsFixtures.deployment(replicas: 2)])
        await h.syncDeployment()
        let quota = "pods \"x\" is forbidden: exceeded quota: q"
        await h.cluster.failNext("create", .pods, with: .api(APIError(code: 403, reason: "Forbidden", message: quota)))
        await h.syncReplicaSet(ObjectKey.of(await h.cluster.all(.replicaSets)[0]))
        await h.syncDeployment()
        let failure = DeploymentConditions.get(await h.deployment()["status"], DeploymentConditions.replicaFailure)
        #expect(failure?["reason"] == "FailedCreate")
        #expect(failure?["message"] == .string(quota))
        await h.rollOut()
        #expect(DeploymentConditions.get(await h.deployment()["status"], DeploymentConditions.replicaFailure) == nil)
    }
}
