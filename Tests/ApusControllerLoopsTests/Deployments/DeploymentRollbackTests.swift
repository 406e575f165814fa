import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import ApusPatch
import Testing
@testable import ApusControllerLoops

@Suite struct DeploymentRollbackTests {
    /// What `kubectl rollout undo` (1.32) sends: the template of the ReplicaSet with the previous
    /// revision, without its hash label and with Go's empty fields, plus annotations built from the
    /// Deployment's skipped ones and the ReplicaSet's others, as one JSON patch.
    private func rolloutUndo(_ h: DeploymentsHarness) async {
        let d = await h.deployment()
        let revisions = await h.replicaSetsByRevision()
        let previous = revisions.keys.compactMap { Int($0) }.sorted().dropLast().last!
        let target = revisions[String(previous)]!

        var template = target["spec"]["template"]
        template[path: ["metadata", "labels", "pod-template-hash"]] = .null
        template[path: ["metadata"]] = template["metadata"].object.map { var m = $0; m["creationTimestamp"] = .null; return .object(m) } ?? .null
        if var containers = template["spec"]["containers"].array {
            for index in containers.indices { containers[index]["resources"] = .emptyObject }
            template[path: ["spec", "containers"]] = .array(containers)
        }
        var annotations: JSONObject = [:]
        for (key, value) in d["metadata"]["annotations"].object ?? [:] where DeploymentRevisions.skippedAnnotations.contains(key) {
            annotations[key] = value
        }
        for (key, value) in target["metadata"]["annotations"].object ?? [:] where !DeploymentRevisions.skippedAnnotations.contains(key) {
            annotations[key] = value
        }
        let patch: JSON = [["op": "replace", "path": "/spec/template", "value": template],
                           ["op": "replace", "path": "/metadata/annotations", "value": .object(annotations)]]
        _ = try? await h.cluster.patch(.deployments, namespace: "default", name: "web", type: .json, patch)
        await h.updateDeployment { $0[path: ["metadata", "generation"]] = .int(DeploymentsFields.generation($0) + 1) }
    }

    @Test func undoReusesTheOldReplicaSetWithTheNextRevision() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 3))
        await h.setImage("nginx:1.26")
        await h.rollOut()
        let first = await h.replicaSetsByRevision()["1"]!
        await h.cluster.forgetCalls()

        await rolloutUndo(h)
        // The template written back carries creationTimestamp: null and resources: {}.
        #expect(await h.deployment()["spec"]["template"]["spec"]["containers"][0]["resources"] == .emptyObject)
        await h.rollOut(limits: .init(maxTotal: 4, minReady: 3))

        #expect(await h.cluster.calls.filter { $0.verb == "create" && $0.resource == .replicaSets }.isEmpty)
        let reused = await h.replicaSet(DeploymentsFields.name(first))!
        #expect(DeploymentsFields.annotation(reused, DeploymentRevisions.revisionAnnotation) == "3")
        #expect(DeploymentsFields.annotation(reused, DeploymentRevisions.revisionHistoryAnnotation) == "1")
        #expect(reused["spec"]["replicas"] == 3)
        #expect(DeploymentsFields.annotation(await h.deployment(), DeploymentRevisions.revisionAnnotation) == "3")
        #expect(await h.activePods().allSatisfy { $0["spec"]["containers"][0]["image"] == "nginx:1.25" })
        #expect(await h.cluster.all(.replicaSets).count == 2)

        // Undo again: back to revision 2's ReplicaSet, now revision 4 with history "2".
        await rolloutUndo(h)
        await h.rollOut()
        let byRevision = await h.replicaSetsByRevision()
        #expect(Set(byRevision.keys) == ["3", "4"])
        #expect(DeploymentsFields.annotation(byRevision["4"]!, DeploymentRevisions.revisionHistoryAnnotation) == "2")
        #expect(byRevision["4"]?["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26")
    }

    @Test func cleansUpOldReplicaSetsBeyondTheHistoryLimit() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 2, revisionHistoryLimit: 1))
        for image in ["nginx:1.26", "nginx:1.27"] {
            await h.setImage(image)
            await h.rollOut()
        }
        await h.syncDeployment()
        let byRevision = await h.replicaSetsByRevision()
        #expect(Set(byRevision.keys) == ["2", "3"])
        #expect(await h.cluster.calls.filter { $0.verb == "delete" && $0.resource == .replicaSets }.count == 1)
    }

    @Test func keepsNoHistoryWithALimitOfZero() async {
        let h = DeploymentsHarness()
        await h.createAndRollOut(DeploymentsFixtures.deployment(replicas: 1, revisionHistoryLimit: 0))
        await h.setImage("nginx:1.26")
        await h.rollOut()
        await h.syncDeployment()
        #expect(Set(await h.replicaSetsByRevision().keys) == ["2"])
    }
}
