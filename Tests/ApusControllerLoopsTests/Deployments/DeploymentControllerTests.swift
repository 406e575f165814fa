import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct DeploymentControllerTests {
    @Test func createsTheFirstReplicaSetAsKubernetesNamesAndAnnotatesIt() async throws {
        let h = DeploymentsHarness()
        var d = DeploymentsFixtures.deployment(replicas: 3)
        d[path: ["metadata", "annotations"]] = [DeploymentRevisions.lastAppliedAnnotation: "{}", "team": "blue"]
        await h.cluster.seed(.deployments, [d])
        #expect(await h.syncDeployment() == .done)

        let hash = DeploymentTemplateHash.compute(d["spec"]["template"], collisionCount: nil)
        let rs = try #require(await h.replicaSet("web-\(hash)"))
        #expect(rs["metadata"]["labels"] == ["app": "web", "pod-template-hash": .string(hash)])
        #expect(rs["spec"]["selector"]["matchLabels"] == ["app": "web", "pod-template-hash": .string(hash)])
        #expect(rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == .string(hash))
        #expect(rs["spec"]["replicas"] == 3)
        #expect(OwnerReferences.isControlled(rs, by: await h.deployment()))
        #expect(OwnerReferences.controller(of: rs)?["kind"] == "Deployment")
        #expect(DeploymentsFields.annotations(rs) == [
            "team": "blue",
            DeploymentRevisions.revisionAnnotation: "1",
            DeploymentRevisions.desiredReplicasAnnotation: "3",
            DeploymentRevisions.maxReplicasAnnotation: "4",
        ])

        let stored = await h.deployment()
        #expect(DeploymentsFields.annotation(stored, DeploymentRevisions.revisionAnnotation) == "1")
        #expect(await h.messages("ScalingReplicaSet") == ["Scaled up replica set web-\(hash) from 0 to 3"])
        let progressing = DeploymentConditions.get(stored["status"], DeploymentConditions.progressing)
        #expect(progressing?["reason"] == "NewReplicaSetCreated")
        #expect(progressing?["message"] == .string("Created new replica set \"web-\(hash)\""))
        let available = DeploymentConditions.get(stored["status"], DeploymentConditions.available)
        #expect(available?["status"] == "False")
        #expect(available?["reason"] == "MinimumReplicasUnavailable")
        #expect(available?["message"] == "Deployment does not have minimum availability.")
        #expect(stored["status"]["observedGeneration"] == 1)

        // Nothing changes on the next sync, which asks to be woken for the progress deadline (600 s after the last update, +1).
        #expect(await h.syncDeployment() == .requeue(after: 600))
    }

    @Test func reportsACompletedRolloutAsRolloutStatusReadsIt() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 3))
        let d = await h.deployment()
        let rsName = DeploymentsFields.name(await h.cluster.all(.replicaSets)[0])
        let status = d["status"]
        #expect(status["observedGeneration"] == 1)
        #expect(status["replicas"] == 3)
        #expect(status["updatedReplicas"] == 3)
        #expect(status["readyReplicas"] == 3)
        #expect(status["availableReplicas"] == 3)
        #expect(status["unavailableReplicas"].isNull)
        let available = DeploymentConditions.get(status, DeploymentConditions.available)
        #expect(available?["status"] == "True")
        #expect(available?["reason"] == "MinimumReplicasAvailable")
        #expect(available?["message"] == "Deployment has minimum availability.")
        let progressing = DeploymentConditions.get(status, DeploymentConditions.progressing)
        #expect(progressing?["status"] == "True")
        #expect(progressing?["reason"] == "NewReplicaSetAvailable")
        #expect(progressing?["message"] == .string("ReplicaSet \"\(rsName)\" has successfully progressed."))
        // A completed Deployment needs no timer.
        #expect(await h.syncDeployment() == .done)
    }

    @Test func scalingChangesTheReplicaSetAndItsAnnotations() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 3))
        let rsName = DeploymentsFields.name(await h.cluster.all(.replicaSets)[0])
        await h.updateDeployment { $0[path: ["spec", "replicas"]] = 5 }
        await h.syncDeployment()

        let rs = await h.replicaSet(rsName)!
        #expect(rs["spec"]["replicas"] == 5)
        #expect(DeploymentsFields.annotation(rs, DeploymentRevisions.desiredReplicasAnnotation) == "5")
        #expect(DeploymentsFields.annotation(rs, DeploymentRevisions.maxReplicasAnnotation) == "7")
        #expect(await h.messages("ScalingReplicaSet").last == "Scaled up replica set \(rsName) from 3 to 5")
        await h.rollOut()
        #expect(await h.activePods().count == 5)
    }

    @Test func adoptsAMatchingOrphanReplicaSetInsteadOfCreatingOne() async {
        let h = DeploymentsHarness()
        let d = DeploymentsFixtures.deployment(replicas: 2)
        var orphan = DeploymentsFixtures.replicaSet(name: "web-legacy", replicas: 2)
        orphan[path: ["spec", "template"]] = d["spec"]["template"]
        orphan[path: ["spec", "template", "metadata", "labels", "pod-template-hash"]] = "legacy"
        orphan[path: ["metadata", "labels"]] = ["app": "web", "pod-template-hash": "legacy"]
        await h.cluster.seed(.replicaSets, [orphan])
        await h.cluster.seed(.deployments, [d])
        await h.syncDeployment()

        let adopted = await h.replicaSet("web-legacy")!
        #expect(OwnerReferences.isControlled(adopted, by: await h.deployment()))
        #expect(await h.cluster.calls.filter { $0.verb == "create" && $0.resource == .replicaSets }.isEmpty)
        #expect(DeploymentsFields.annotation(adopted, DeploymentRevisions.revisionAnnotation) == "1")
        await h.syncDeployment()
        #expect(DeploymentsFields.annotation(await h.deployment(), DeploymentRevisions.revisionAnnotation) == "1")
        #expect(await h.cluster.all(.replicaSets).count == 1)
    }

    @Test func releasesAReplicaSetWhoseLabelsNoLongerMatch() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 1))
        var rs = await h.cluster.all(.replicaSets)[0]
        rs[path: ["metadata", "labels", "app"]] = "moved"
        await h.cluster.seed(.replicaSets, [rs])
        await h.syncDeployment()

        let released = await h.replicaSet(DeploymentsFields.name(rs))!
        #expect(OwnerReferences.controller(of: released) == nil)
        // Its own new ReplicaSet would have the released one's name: a hash collision, counted...
        #expect(await h.cluster.all(.replicaSets).count == 1)
        #expect(await h.deployment()["status"]["collisionCount"] == 1)
        // ...so the next name differs.
        await h.syncDeployment()
        let names = await h.cluster.all(.replicaSets).map(DeploymentsFields.name)
        #expect(names.count == 2)
        let hash = DeploymentTemplateHash.compute(await h.deployment()["spec"]["template"], collisionCount: 1)
        #expect(names.contains("web-\(hash)"))
    }

    @Test func refusesToSelectEverything() async {
        let h = DeploymentsHarness()
        var d = DeploymentsFixtures.deployment()
        d[path: ["spec", "selector"]] = .emptyObject
        await h.cluster.seed(.deployments, [d])
        await h.syncDeployment()
        #expect(await h.messages("SelectingAll") == ["This deployment is selecting all pods. A non-empty selector is required."])
        #expect(await h.deployment()["status"]["observedGeneration"] == 1)
        #expect(await h.cluster.all(.replicaSets).isEmpty)
    }

    @Test func replicaSetAndPodEventsWakeTheDeployment() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 1, strategy: ["type": "Recreate"]))
        let rs = await h.cluster.all(.replicaSets)[0]
        let rsWatch = h.deployments.watches.first { $0.resource == .replicaSets }!
        var changed = rs
        changed[path: ["metadata", "resourceVersion"]] = "changed"
        #expect(await rsWatch.keys(rs, changed) == ["default/web"])
        #expect(await rsWatch.keys(rs, rs) == [])
        #expect(await rsWatch.keys(rs, nil) == ["default/web"])

        // A Recreate Deployment is woken when its last pod goes, not before.
        let podWatch = h.deployments.watches.first { $0.resource == .pods }!
        let pod = await h.cluster.all(.pods)[0]
        #expect(await podWatch.keys(nil, pod) == [])
        #expect(await podWatch.keys(pod, nil) == ["default/web"])
        var sibling = pod
        sibling[path: ["metadata", "name"]] = "sibling"
        sibling[path: ["metadata", "uid"]] = "sibling-uid"
        await h.cluster.seed(.pods, [sibling])
        #expect(await podWatch.keys(pod, nil) == [])
    }
}
