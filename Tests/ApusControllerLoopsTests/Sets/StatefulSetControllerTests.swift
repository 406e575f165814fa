import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct StatefulSetControllerTests {
    let h = SetsHarness()
    let loop: StatefulSetController

    init() { loop = StatefulSetController(context: h.context) }

    private func status() async -> JSON { await h.cluster.object(.statefulSets, "default/web")?["status"] ?? .null }

    @Test func createsPodsInOrderEachAfterThePreviousIsReady() async throws {
        await h.seed(.statefulSets, [SetsFixtures.statefulSet()])

        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames() == ["web-0"])
        // The claim is created before the pod.
        let creations = await h.cluster.calls.filter { $0.verb == "create" && $0.resource != .controllerRevisions }
        #expect(creations.map(\.description) == ["create persistentvolumeclaims default/data-web-0", "create pods default/web-0"])
        #expect(await h.messages() == ["create Claim data-web-0 Pod web-0 in StatefulSet web success",
                                       "create Pod web-0 in StatefulSet web successful"])
        #expect(await h.events.events.map(\.reason) == ["SuccessfulCreate", "SuccessfulCreate"])

        let pod = try #require(await h.cluster.object(.pods, "default/web-0"))
        let revision = try #require(await h.revisions().first)
        #expect(pod["spec"]["hostname"] == "web-0")
        #expect(pod["spec"]["subdomain"] == "nginx")
        #expect(pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"] == "web-0")
        #expect(pod["metadata"]["labels"]["apps.kubernetes.io/pod-index"] == "0")
        #expect(pod["metadata"]["labels"]["controller-revision-hash"] == revision["metadata"]["name"])
        #expect(pod["metadata"]["labels"]["app"] == "web")
        #expect(pod["metadata"]["ownerReferences"][0]["kind"] == "StatefulSet")
        #expect(pod["spec"]["volumes"] == [["name": "data", "persistentVolumeClaim": ["claimName": "data-web-0"]]])
        let claim = try #require(await h.cluster.object(.persistentVolumeClaims, "default/data-web-0"))
        #expect(claim["metadata"]["labels"] == ["app": "web"])
        #expect(claim["spec"]["resources"]["requests"]["storage"] == "1Gi")
        #expect(claim["metadata"]["ownerReferences"].isNull)

        // web-0 Pending: nothing more happens.
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames() == ["web-0"])
        #expect(await h.calls("create", .pods).isEmpty)

        // Running but not Ready is not enough either.
        await h.change(.pods, "default/web-0") { $0["status"] = ["phase": "Running"] }
        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames() == ["web-0"])

        await h.makeReady(["web-0"])
        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames() == ["web-0", "web-1"])
        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames() == ["web-0", "web-1"])
        await h.makeReady(["web-1"])
        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames() == ["web-0", "web-1", "web-2"])
        await h.makeReady(["web-2"])
        _ = await h.sync(loop, "default/web")

        let status = await status()
        #expect(status["replicas"] == 3)
        #expect(status["readyReplicas"] == 3)
        #expect(status["availableReplicas"] == 3)
        #expect(status["currentReplicas"] == 3)
        #expect(status["updatedReplicas"] == 3)
        #expect(status["currentRevision"] == revision["metadata"]["name"])
        #expect(status["updateRevision"] == revision["metadata"]["name"])
        #expect(status["collisionCount"] == 0)
        #expect(status["observedGeneration"] == 1)
    }

    @Test func scalesDownInReverseWaitingForTermination() async throws {
        await h.seed(.statefulSets, [SetsFixtures.statefulSet()])
        for name in ["web-0", "web-1", "web-2"] {
            _ = await h.sync(loop, "default/web")
            await h.makeReady([name])
        }
        await h.change(.statefulSets, "default/web") { $0[path: ["spec", "replicas"]] = 1 }
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/web")
        #expect(await h.calls("delete", .pods).map(\.name) == ["web-2"])
        #expect(await h.messages("SuccessfulDelete") == ["delete Pod web-2 in StatefulSet web successful"])

        // web-2 still terminating: web-1 waits.
        await h.seed(.pods, [["apiVersion": "v1", "kind": "Pod",
                              "metadata": ["name": "web-2", "namespace": "default", "deletionTimestamp": "2026-01-01T00:00:00Z",
                                           "labels": ["app": "web"],
                                           "ownerReferences": [["apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                                                                "uid": "uid-web", "controller": true]]],
                              "status": ["phase": "Running"]]])
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/web")
        #expect(await h.calls("delete", .pods).isEmpty)

        try await h.cluster.delete(.pods, namespace: "default", name: "web-2")
        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames() == ["web-0"])
        // Claims are retained by default.
        #expect(await h.cluster.all(.persistentVolumeClaims).count == 3)
        // The status counts what the sync saw; the next one reports the pod gone.
        #expect(await status()["replicas"] == 2)
        _ = await h.sync(loop, "default/web")
        #expect(await status()["replicas"] == 1)
    }

    @Test func parallelCreatesAndDeletesAllAtOnce() async {
        await h.seed(.statefulSets, [SetsFixtures.statefulSet(policy: "Parallel")])
        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames() == ["web-0", "web-1", "web-2"])
        await h.change(.statefulSets, "default/web") { $0[path: ["spec", "replicas"]] = 0 }
        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames().isEmpty)
    }

    @Test func failedPodsAreDeletedThenRecreated() async {
        await h.seed(.statefulSets, [SetsFixtures.statefulSet(replicas: 1)])
        _ = await h.sync(loop, "default/web")
        await h.change(.pods, "default/web-0") { $0["status"] = ["phase": "Failed"] }
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/web")
        #expect(await h.calls("delete", .pods).map(\.name) == ["web-0"])
        #expect(await h.calls("create", .pods).isEmpty)
        _ = await h.sync(loop, "default/web")
        #expect(await h.calls("create", .pods).map(\.name) == ["web-0"])
    }

    @Test func ordinalsStartAtSpecOrdinalsStart() async {
        var set = SetsFixtures.statefulSet(replicas: 2, policy: "Parallel", claims: [])
        set[path: ["spec", "ordinals"]] = ["start": 5]
        await h.seed(.statefulSets, [set])
        _ = await h.sync(loop, "default/web")
        #expect(await h.podNames() == ["web-5", "web-6"])
        #expect(await h.cluster.object(.pods, "default/web-5")?["metadata"]["labels"]["apps.kubernetes.io/pod-index"] == "5")
    }

    @Test func availabilityWaitsForMinReadySeconds() async {
        var set = SetsFixtures.statefulSet(replicas: 1, claims: [])
        set[path: ["spec", "minReadySeconds"]] = 10
        await h.seed(.statefulSets, [set])
        _ = await h.sync(loop, "default/web")
        await h.makeReady(["web-0"])
        #expect(await h.sync(loop, "default/web") == .requeue(after: 10))
        #expect(await status()["readyReplicas"] == 1)
        #expect(await status()["availableReplicas"] == 0)
        h.clock.advance(by: 10)
        #expect(await h.sync(loop, "default/web") == .done)
        #expect(await status()["availableReplicas"] == 1)
    }

    @Test func claimRetentionPolicySetsClaimOwners() async throws {
        await h.seed(.statefulSets, [SetsFixtures.statefulSet(replicas: 2, policy: "Parallel", whenDeleted: "Delete", whenScaled: "Delete")])
        _ = await h.sync(loop, "default/web")
        // whenDeleted Delete: the set owns the claims of its replicas.
        let claim = try #require(await h.cluster.object(.persistentVolumeClaims, "default/data-web-1"))
        #expect(claim["metadata"]["ownerReferences"] == [["apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                                                          "uid": "uid-web", "controller": true, "blockOwnerDeletion": true]])
        await h.makeReady(["web-0", "web-1"])

        // whenScaled Delete: a pod scaled away owns its claim instead, before it is deleted.
        await h.change(.statefulSets, "default/web") { $0[path: ["spec", "replicas"]] = 1 }
        let podUID = await h.cluster.object(.pods, "default/web-1")?["metadata"]["uid"]
        _ = await h.sync(loop, "default/web")
        let scaled = try #require(await h.cluster.object(.persistentVolumeClaims, "default/data-web-1"))
        #expect(scaled["metadata"]["ownerReferences"] == [["apiVersion": "v1", "kind": "Pod", "name": "web-1",
                                                           "uid": podUID ?? .null, "controller": true, "blockOwnerDeletion": true]])
        #expect(await h.podNames() == ["web-0"])
    }

    @Test func podWatchMapsPodsToTheirSet() async throws {
        await h.seed(.statefulSets, [SetsFixtures.statefulSet()])
        _ = await h.sync(loop, "default/web")
        let pod = try #require(await h.cluster.object(.pods, "default/web-0"))
        let watch = try #require(loop.watches.first { $0.resource == .pods })
        #expect(await watch.keys(nil, pod) == ["default/web"])
        #expect(await watch.keys(pod, nil) == ["default/web"])
        let orphan: JSON = ["metadata": ["name": "x", "namespace": "default", "labels": ["app": "web"]]]
        #expect(await watch.keys(nil, orphan) == ["default/web"])
        let stranger: JSON = ["metadata": ["name": "y", "namespace": "default", "labels": ["app": "db"]]]
        #expect(await watch.keys(nil, stranger) == [])
    }
}
