import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct DeploymentRollingUpdateTests {
    /// Rolls out a new image by hand and checks the budgets after every phase of every step.
    private func rollImage(replicas: Int, surge: JSON, unavailable: JSON, limits: DeploymentsRolloutLimits,
                           sourceLocation: SourceLocation = #_sourceLocation) async -> DeploymentsHarness {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: replicas,
                                                                strategy: DeploymentsFixtures.rolling(surge: surge, unavailable: unavailable)))
        await h.setImage("nginx:1.26")
        await h.rollOut(limits: limits, sourceLocation: sourceLocation)

        let byRevision = await h.replicaSetsByRevision()
        #expect(byRevision["1"]?["spec"]["replicas"] == 0, sourceLocation: sourceLocation)
        #expect(byRevision["2"]?["spec"]["replicas"] == .int(Int64(replicas)), sourceLocation: sourceLocation)
        #expect(byRevision["2"]?["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26", sourceLocation: sourceLocation)
        let pods = await h.activePods()
        #expect(pods.count == replicas, sourceLocation: sourceLocation)
        #expect(pods.allSatisfy { $0["spec"]["containers"][0]["image"] == "nginx:1.26" }, sourceLocation: sourceLocation)
        #expect(DeploymentsFields.annotation(await h.deployment(), DeploymentRevisions.revisionAnnotation) == "2", sourceLocation: sourceLocation)
        return h
    }

    @Test func stepsWithinOneSurgeAndOneUnavailable() async {
        let h = await rollImage(replicas: 4, surge: 1, unavailable: 1, limits: .init(maxTotal: 5, minReady: 3))
        let byRevision = await h.replicaSetsByRevision()
        let (old, new) = (DeploymentsFields.name(byRevision["1"]!), DeploymentsFields.name(byRevision["2"]!))
        let scaling = await h.messages("ScalingReplicaSet")
        // The first step creates the new ReplicaSet with the one surge pod, then the old one gives one up.
        #expect(Array(scaling.prefix(3)) == [
            "Scaled up replica set \(old) from 0 to 4",
            "Scaled up replica set \(new) from 0 to 1",
            "Scaled down replica set \(old) from 4 to 3",
        ])
        #expect(scaling.last == "Scaled down replica set \(old) from 1 to 0")
    }

    @Test func percentagesRoundSurgeUpAndUnavailableDown() async {
        // 10 replicas at 25%: surge ceil(2.5) = 3, unavailable floor(2.5) = 2.
        _ = await rollImage(replicas: 10, surge: "25%", unavailable: "25%", limits: .init(maxTotal: 13, minReady: 8))
    }

    @Test func surgeOnlyKeepsEveryPodReady() async {
        _ = await rollImage(replicas: 3, surge: 1, unavailable: 0, limits: .init(maxTotal: 4, minReady: 3))
    }

    @Test func unavailableOnlyNeverAddsPods() async {
        _ = await rollImage(replicas: 3, surge: 0, unavailable: 1, limits: .init(maxTotal: 3, minReady: 2))
    }

    @Test func zeroBudgetsRoundedDownLetOnePodBeUnavailable() async {
        // 1% of 3 is 0 for both; Kubernetes then allows one unavailable pod rather than stalling.
        _ = await rollImage(replicas: 3, surge: "0%", unavailable: "1%", limits: .init(maxTotal: 3, minReady: 2))
    }

    @Test func waitsForNewPodsBeforeScalingOldOnesFurther() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 4, strategy: DeploymentsFixtures.rolling(surge: 1, unavailable: 1)))
        await h.setImage("nginx:1.26")
        for _ in 0..<4 {
            await h.syncDeployment()
            await h.syncAllReplicaSets()
            // The kubelet never makes the new pods ready.
            await h.runPods(ready: false)
            await h.syncAllReplicaSets()
        }
        let byRevision = await h.replicaSetsByRevision()
        #expect(byRevision["1"]?["spec"]["replicas"] == 3)
        #expect(byRevision["2"]?["spec"]["replicas"] == 2)
        #expect(await h.activePods().filter(PodState.isReady).count == 3)
        let status = await h.deployment()["status"]
        #expect(status["updatedReplicas"] == 2)
        #expect(status["unavailableReplicas"] == 2)
        #expect(DeploymentConditions.get(status, DeploymentConditions.available)?["status"] == "True")
        #expect(DeploymentConditions.get(status, DeploymentConditions.progressing)?["reason"] == "ReplicaSetUpdated")
        #expect(DeploymentConditions.get(status, DeploymentConditions.progressing)?["message"]
            == .string("ReplicaSet \"\(DeploymentsFields.name(byRevision["2"]!))\" is progressing."))
    }

    @Test func scalesProportionallyDuringARollout() async {
        // Kubernetes' documented example: 10 replicas, surge 3, unavailable 2, a rollout stuck at
        // 8 old + 5 new; scaling to 15 gives the old ReplicaSet 3 more and the new one 2.
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 10, strategy: DeploymentsFixtures.rolling(surge: 3, unavailable: 2)))
        await h.setImage("nginx:bad")
        for _ in 0..<4 {
            await h.syncDeployment()
            await h.syncAllReplicaSets()
            await h.runPods(ready: false)
            await h.syncAllReplicaSets()
        }
        var byRevision = await h.replicaSetsByRevision()
        #expect(byRevision["1"]?["spec"]["replicas"] == 8)
        #expect(byRevision["2"]?["spec"]["replicas"] == 5)

        await h.updateDeployment { $0[path: ["spec", "replicas"]] = 15 }
        await h.syncDeployment()
        byRevision = await h.replicaSetsByRevision()
        #expect(byRevision["1"]?["spec"]["replicas"] == 11)
        #expect(byRevision["2"]?["spec"]["replicas"] == 7)
        for rs in byRevision.values {
            #expect(DeploymentsFields.annotation(rs, DeploymentRevisions.desiredReplicasAnnotation) == "15")
            #expect(DeploymentsFields.annotation(rs, DeploymentRevisions.maxReplicasAnnotation) == "18")
        }
        let (old, new) = (DeploymentsFields.name(byRevision["1"]!), DeploymentsFields.name(byRevision["2"]!))
        #expect(await h.messages("ScalingReplicaSet").suffix(2) == [
            "Scaled up replica set \(old) from 8 to 11",
            "Scaled up replica set \(new) from 5 to 7",
        ])
    }
}
