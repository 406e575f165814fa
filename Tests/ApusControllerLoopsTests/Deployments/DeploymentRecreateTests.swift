import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct DeploymentRecreateTests {
    @Test func stopsEveryOldPodBeforeStartingNewOnes() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 3, strategy: ["type": "Recreate"]))
        let old = DeploymentsFields.name(await h.cluster.all(.replicaSets)[0])
        await h.setImage("nginx:1.26")

        // First sync: the old ReplicaSet goes to 0 and no new one exists yet.
        await h.syncDeployment()
        #expect(await h.replicaSet(old)?["spec"]["replicas"] == 0)
        #expect(await h.cluster.all(.replicaSets).count == 1)

        // While old pods remain (or the old ReplicaSet still reports them), nothing new starts.
        await h.syncDeployment()
        #expect(await h.cluster.all(.replicaSets).count == 1)

        var sawMixedPods = false
        for _ in 0..<6 {
            await h.syncAllReplicaSets()
            let images = Set(await h.activePods().map { $0["spec"]["containers"][0]["image"].string ?? "" })
            if images.count > 1 { sawMixedPods = true }
            await h.runPods()
            await h.syncAllReplicaSets()
            await h.syncDeployment()
        }
        #expect(!sawMixedPods)
        let byRevision = await h.replicaSetsByRevision()
        let new = DeploymentsFields.name(byRevision["2"]!)
        #expect(byRevision["2"]?["spec"]["replicas"] == 3)
        #expect(await h.messages("ScalingReplicaSet") == [
            "Scaled up replica set \(old) from 0 to 3",
            "Scaled down replica set \(old) from 3 to 0",
            "Scaled up replica set \(new) from 0 to 3",
        ])
        #expect(await h.isRolledOut())
    }

    @Test func finishedPodsDoNotHoldTheRolloutBack() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 1, strategy: ["type": "Recreate"]))
        let oldRS = await h.cluster.all(.replicaSets)[0]
        await h.setImage("nginx:1.26")
        await h.syncDeployment()
        await h.syncAllReplicaSets()
        // A pod of the old ReplicaSet that has failed, released from it, still selected: it does not count.
        var failed = DeploymentsFixtures.pod("failed", owner: oldRS, created: h.clock.now(), phase: "Failed")
        failed[path: ["metadata", "labels"]] = oldRS["spec"]["template"]["metadata"]["labels"]
        await h.cluster.seed(.pods, [failed])
        await h.syncDeployment()
        #expect(await h.cluster.all(.replicaSets).count == 2)
    }

    @Test func maxSurgeAndUnavailableDoNotApply() {
        let d = DeploymentsFixtures.deployment(replicas: 4, strategy: ["type": "Recreate"])
        #expect(DeploymentStrategy.maxSurge(d) == 0)
        #expect(DeploymentStrategy.maxUnavailable(d) == 0)
    }
}
