import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct GarbageCollectorOrphanTests {
    @Test func orphanDeletionReleasesDependentsThenDropsTheFinalizer() async throws {
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1")])
        await h.seed(.pods, [
            GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-1")]),
            GCObjects.pod("web-b", uid: "pod-b", owners: [GCObjects.rsRef("web", uid: "rs-1"), GCObjects.owner("v1", "Node", "n1", uid: "node-1", controller: false, block: nil)]),
        ])
        await h.seed(.nodes, [GCObjects.object("v1", "Node", "n1", namespace: nil, uid: "node-1")])
        await h.settle()
        // kubectl delete rs web --cascade=orphan
        try await h.server.delete(.replicaSets, namespace: "default", name: "web", options: DeleteOptions(propagationPolicy: "Orphan"))
        await h.server.forgetRequests()
        await h.settle()

        let requests = await h.server.requests
        #expect(requests.map(\.description) == ["patch pods default/web-a", "patch pods default/web-b", "patch replicasets default/web"])
        #expect(requests[0].body == ["metadata": ["uid": "pod-a", "ownerReferences": [["$patch": "delete", "uid": "rs-1"]]]])
        #expect(requests[1].body == ["metadata": ["uid": "pod-b", "ownerReferences": [["$patch": "delete", "uid": "rs-1"]]]])
        #expect(requests[2].body["metadata"]["finalizers"] == .null)
        #expect(requests[2].body["metadata"]["resourceVersion"].string != nil)

        #expect(await h.object(.replicaSets, "default/web") == nil)
        let a = try #require(await h.object(.pods, "default/web-a"))
        #expect(a["metadata"]["ownerReferences"].isNull || a["metadata"]["ownerReferences"] == [])
        let b = try #require(await h.object(.pods, "default/web-b"))
        #expect(b["metadata"]["ownerReferences"].array?.compactMap { $0["uid"].string } == ["node-1"])
    }

    @Test func failedOrphaningKeepsTheFinalizerAndRetries() async throws {
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1")])
        await h.seed(.pods, [GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-1")])])
        await h.settle()
        try await h.server.delete(.replicaSets, namespace: "default", name: "web", options: DeleteOptions(propagationPolicy: "Orphan"))
        await h.server.forgetRequests()
        await h.inform()
        #expect(await h.queue.items == ["rs-1"])

        await h.server.failNext("patch", .pods, with: .api(.internalError("etcd timeout")))
        #expect(await h.gc.sync("rs-1") == .retry)
        #expect(await h.server.requests.map(\.description) == ["patch pods default/web-a"])
        #expect(await h.object(.replicaSets, "default/web")?["metadata"]["finalizers"] == ["orphan"])

        #expect(await h.gc.sync("rs-1") == .done)
        #expect(await h.object(.replicaSets, "default/web") == nil)
        #expect(await h.object(.pods, "default/web-a") != nil)
    }

    @Test func recreatedDependentIsNotPatched() async throws {
        // The strategic patch names the dependent's uid: a new pod of the same name is refused.
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1")])
        await h.seed(.pods, [GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-1")])])
        await h.settle()
        try await h.server.delete(.replicaSets, namespace: "default", name: "web", options: DeleteOptions(propagationPolicy: "Orphan"))
        await h.inform()
        await h.server.forgetRequests()
        await h.seed(.pods, [GCObjects.pod("web-a", uid: "pod-z", owners: [GCObjects.rsRef("web", uid: "rs-1")])])

        #expect(await h.gc.sync("rs-1") == .retry)
        let pod = try #require(await h.object(.pods, "default/web-a"))
        #expect(pod["metadata"]["ownerReferences"].array?.count == 1)
        #expect(await h.object(.replicaSets, "default/web")?["metadata"]["finalizers"] == ["orphan"])
    }

    @Test func customResourcesGetAMergePatch() async throws {
        let h = GCHarness()
        await h.server.setStrategicUnsupported(GCTestResources.widgets)
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1")])
        await h.seed(GCTestResources.widgets, [GCObjects.object("example.com/v1", "Widget", "w", uid: "w-1", owners: [GCObjects.rsRef("web", uid: "rs-1")])])
        await h.settle()
        try await h.server.delete(.replicaSets, namespace: "default", name: "web", options: DeleteOptions(propagationPolicy: "Orphan"))
        await h.server.forgetRequests()
        await h.settle()

        let patches = await h.server.requests("patch")
        #expect(patches.map(\.description) == ["patch widgets default/w", "patch widgets default/w", "patch replicasets default/web"])
        let merge = patches[1].body["metadata"]
        #expect(merge.object?.keys.sorted() == ["ownerReferences", "resourceVersion"])
        #expect(merge["ownerReferences"] == .null)
        let widget = try #require(await h.object(GCTestResources.widgets, "default/w"))
        #expect(widget["metadata"]["ownerReferences"].isNull)
        #expect(await h.object(.replicaSets, "default/web") == nil)
    }

    @Test func ownerWithTheOrphanFinalizerIsNotCollectedThroughAttemptToDelete() async throws {
        // An owner already being deleted waits for its own deletion; its orphaning is separate.
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1", owners: [GCObjects.deploymentRef("gone", uid: "d-x")],
                                                         finalizers: ["orphan"], deleting: true)])
        await h.inform()
        #expect(await h.queue.items == ["d-x", "rs-1"])
        #expect(await h.gc.sync("d-x") == .done)
        #expect(await h.server.requests.isEmpty)
    }
}
