import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct GarbageCollectorForegroundTests {
    @Test func foregroundDeletionWaitsForBlockingDependentsDownTheChain() async throws {
        let h = GCHarness()
        await h.seed(.deployments, [GCObjects.deployment("web", uid: "d-1")])
        await h.seed(.replicaSets, [GCObjects.replicaSet("web-5d", uid: "rs-1", owners: [GCObjects.deploymentRef("web", uid: "d-1")])])
        await h.seed(.pods, [
            GCObjects.pod("web-5d-a", uid: "pod-a", owners: [GCObjects.rsRef("web-5d", uid: "rs-1")]),
            GCObjects.pod("web-5d-b", uid: "pod-b", owners: [GCObjects.rsRef("web-5d", uid: "rs-1")]),
        ])
        await h.settle()
        // kubectl delete deployment web --cascade=foreground
        try await h.server.delete(.deployments, namespace: "default", name: "web", options: DeleteOptions(propagationPolicy: "Foreground"))
        await h.server.forgetRequests()
        await h.settle()

        let requests = await h.server.requests
        #expect(requests.map(\.description) == [
            "delete replicasets default/web-5d",
            "delete pods default/web-5d-a",
            "delete pods default/web-5d-b",
            "patch replicasets default/web-5d",
            "patch deployments default/web",
        ])
        #expect(requests[0].body["propagationPolicy"] == "Foreground")
        #expect(requests[0].body["preconditions"]["uid"] == "rs-1")
        #expect(requests[1].body["propagationPolicy"] == "Background")
        let finalizerPatch = requests[4].body["metadata"]
        #expect(finalizerPatch.object?.keys.sorted() == ["finalizers", "resourceVersion"])
        #expect(finalizerPatch["finalizers"] == .null)
        #expect(await h.cluster.all(.deployments).isEmpty)
        #expect(await h.cluster.all(.replicaSets).isEmpty)
        #expect(await h.cluster.all(.pods).isEmpty)
    }

    @Test func ownerKeepsItsFinalizerWhileABlockingDependentRemains() async throws {
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1", finalizers: ["foregroundDeletion", "example.com/keep"], deleting: true)])
        await h.seed(.pods, [GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-1")])])
        await h.inform()
        #expect(await h.queue.items == ["rs-1"])
        _ = await h.queue.next()

        // The owner queues its blocking dependent and keeps its finalizer.
        #expect(await h.gc.sync("rs-1") == .done)
        #expect(await h.queue.items == ["pod-a"])
        _ = await h.queue.next()
        await h.server.failNext("delete", .pods, with: .api(.internalError("etcd timeout")))
        #expect(await h.gc.sync("pod-a") == .retry)
        #expect(await h.gc.sync("rs-1") == .done)
        #expect(await h.server.requests("patch").isEmpty)
        #expect(await h.queue.items == ["pod-a"])

        await h.settle()
        let patches = await h.server.requests("patch")
        #expect(patches.map(\.description) == ["patch replicasets default/web"])
        #expect(patches.first?.body["metadata"]["finalizers"] == ["example.com/keep"])
        let rs = try #require(await h.object(.replicaSets, "default/web"))
        #expect(rs["metadata"]["finalizers"] == ["example.com/keep"])
        #expect(await h.object(.pods, "default/web-a") == nil)
    }

    @Test func nonBlockingDependentsDoNotHoldTheOwner() async throws {
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1", finalizers: ["foregroundDeletion"], deleting: true)])
        await h.seed(.pods, [GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-1", block: false)])])
        await h.inform()
        _ = await h.queue.next()
        _ = await h.queue.next()

        #expect(await h.gc.sync("rs-1") == .done)
        #expect(await h.server.requests.map(\.description) == ["patch replicasets default/web"])
        await h.queue.add(["pod-a"])
        await h.settle()
        #expect(await h.object(.replicaSets, "default/web") == nil)
        #expect(await h.object(.pods, "default/web-a") == nil)
    }

    @Test func removingTheBlockingReferenceWakesTheOwner() async throws {
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1", finalizers: ["foregroundDeletion"], deleting: true)])
        let pod = GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-1")])
        await h.seed(.pods, [pod])
        await h.inform()
        var unblocked = pod
        unblocked[path: ["metadata", "ownerReferences"]] = [GCObjects.rsRef("web", uid: "rs-1", block: false)]
        #expect(await h.gc.observe(.pods, old: pod, new: unblocked) == ["rs-1"])
        var released = pod
        released[path: ["metadata", "ownerReferences"]] = .null
        #expect(await h.gc.observe(.pods, old: unblocked, new: released) == [])
    }

    @Test func dependentOfAForegroundOwnerWithAForegroundDependentUnblocksItsReferences() async throws {
        // A waits on B, B waits on C (already deleting in the foreground): B's references to A stop
        // blocking, so a cycle of waiting owners cannot form, and B is deleted in the foreground.
        let h = GCHarness()
        await h.seed(.deployments, [GCObjects.object("apps/v1", "Deployment", "a", uid: "a-1", finalizers: ["foregroundDeletion"], deleting: true)])
        await h.seed(.replicaSets, [GCObjects.replicaSet("b", uid: "b-1", owners: [GCObjects.deploymentRef("a", uid: "a-1")])])
        await h.seed(.configMaps, [GCObjects.object("v1", "ConfigMap", "c", uid: "c-1", owners: [GCObjects.rsRef("b", uid: "b-1")],
                                                    finalizers: ["foregroundDeletion"], deleting: true)])
        await h.inform()
        // The unblocking patch changes the object, so the delete (conditional on the version read
        // before) conflicts with changed ownerReferences and the item is retried, as in Kubernetes.
        #expect(await h.gc.sync("b-1") == .retry)
        #expect(await h.gc.sync("b-1") == .done)

        let requests = await h.server.requests
        #expect(requests.map(\.description) == ["patch replicasets default/b", "delete replicasets default/b",
                                                "patch replicasets default/b", "delete replicasets default/b"])
        #expect(requests[0].body == ["metadata": ["uid": "b-1", "ownerReferences": [
            ["apiVersion": "apps/v1", "kind": "Deployment", "name": "a", "uid": "a-1", "controller": true, "blockOwnerDeletion": false],
        ]]])
        #expect(requests[3].body["propagationPolicy"] == "Foreground")
        #expect(await h.object(.replicaSets, "default/b")?["metadata"]["finalizers"] == ["foregroundDeletion"])
    }

    @Test func foregroundTransitionQueuesDependentsAndOwner() async {
        let h = GCHarness()
        let rs = GCObjects.replicaSet("web", uid: "rs-1")
        #expect(await h.gc.observe(.replicaSets, old: nil, new: rs) == [])
        #expect(await h.gc.observe(.pods, old: nil, new: GCObjects.pod("web-b", uid: "pod-b", owners: [GCObjects.rsRef("web", uid: "rs-1")])) == [])
        #expect(await h.gc.observe(.pods, old: nil, new: GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-1")])) == [])
        var deleting = rs
        deleting[path: ["metadata", "deletionTimestamp"]] = "2026-01-01T00:00:00Z"
        deleting[path: ["metadata", "finalizers"]] = ["foregroundDeletion"]
        #expect(await h.gc.observe(.replicaSets, old: rs, new: deleting) == ["pod-a", "pod-b", "rs-1"])
        // Only the start of the deletion counts.
        #expect(await h.gc.observe(.replicaSets, old: deleting, new: deleting) == [])
    }
}
