import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct GarbageCollectorCascadeTests {
    @Test func podsOfADeletedReplicaSetAreDeletedInTheBackground() async throws {
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1"), GCObjects.replicaSet("api", uid: "rs-2")])
        await h.seed(.pods, [
            GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-1")]),
            GCObjects.pod("web-b", uid: "pod-b", owners: [GCObjects.rsRef("web", uid: "rs-1")]),
            GCObjects.pod("api-a", uid: "pod-c", owners: [GCObjects.rsRef("api", uid: "rs-2")]),
            GCObjects.pod("loner", uid: "pod-d"),
        ])
        await h.settle()
        #expect(await h.server.requests.isEmpty)

        // The user deletes the ReplicaSet (background: it goes at once).
        try await h.cluster.delete(.replicaSets, namespace: "default", name: "web")
        await h.settle()

        let deletes = await h.server.requests("delete")
        #expect(deletes.map(\.key).sorted() == ["default/web-a", "default/web-b"])
        for delete in deletes {
            #expect(delete.body["propagationPolicy"] == "Background")
            #expect(delete.body["preconditions"]["uid"].string == (delete.name == "web-a" ? "pod-a" : "pod-b"))
            #expect(delete.body["preconditions"]["resourceVersion"].string != nil)
        }
        #expect(await h.object(.pods, "default/web-a") == nil)
        #expect(await h.object(.pods, "default/api-a") != nil)
        #expect(await h.object(.pods, "default/loner") != nil)
    }

    @Test func deploymentChainCollectsReplicaSetThenPods() async throws {
        let h = GCHarness()
        await h.seed(.deployments, [GCObjects.deployment("web", uid: "d-1")])
        await h.seed(.replicaSets, [GCObjects.replicaSet("web-5d", uid: "rs-1", owners: [GCObjects.deploymentRef("web", uid: "d-1")])])
        await h.seed(.pods, [
            GCObjects.pod("web-5d-a", uid: "pod-a", owners: [GCObjects.rsRef("web-5d", uid: "rs-1")]),
            GCObjects.pod("web-5d-b", uid: "pod-b", owners: [GCObjects.rsRef("web-5d", uid: "rs-1")]),
        ])
        await h.settle()
        try await h.cluster.delete(.deployments, namespace: "default", name: "web")
        await h.settle()

        let deletes = await h.server.requests("delete").map(\.description)
        #expect(deletes == ["delete replicasets default/web-5d", "delete pods default/web-5d-a", "delete pods default/web-5d-b"])
        #expect(await h.cluster.all(.replicaSets).isEmpty)
        #expect(await h.cluster.all(.pods).isEmpty)
    }

    @Test func ownerRecreatedWithTheSameNameButAnotherUIDCountsAsAbsent() async throws {
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-old")])
        await h.seed(.pods, [GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-old")])])
        await h.settle()

        try await h.cluster.delete(.replicaSets, namespace: "default", name: "web")
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-new")])
        await h.settle()

        #expect(await h.server.requests("delete").map(\.description) == ["delete pods default/web-a"])
        #expect(await h.object(.replicaSets, "default/web") != nil)
    }

    @Test func referenceToAnOwnerNeverObservedWhoseNameNowHasAnotherUID() async throws {
        // The pod names uid rs-old; the ReplicaSet called "web" today is rs-new.
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-new")])
        await h.seed(.pods, [GCObjects.pod("web-a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "rs-old")])])
        await h.inform()
        #expect(await h.queue.items == ["rs-old"])

        #expect(await h.gc.sync("rs-old") == .done)
        #expect(await h.queue.items == ["rs-old", "pod-a"])
        await h.settle()
        #expect(await h.server.requests("delete").map(\.description) == ["delete pods default/web-a"])
        #expect(await h.object(.replicaSets, "default/web") != nil)
    }

    @Test func virtualOwnerThatExistsKeepsItsDependents() async throws {
        // ConfigMaps are not watched here: the owner is only ever a virtual node.
        let h = GCHarness(unwatched: [.configMaps])
        await h.seed(.configMaps, [GCObjects.object("v1", "ConfigMap", "settings", uid: "cm-1")])
        await h.seed(.pods, [GCObjects.pod("user", uid: "pod-a", owners: [GCObjects.owner("v1", "ConfigMap", "settings", uid: "cm-1")])])
        await h.inform()
        #expect(await h.queue.items == ["cm-1"])

        // It exists: nothing is deleted, and it stays queued until an informer shows it.
        #expect(await h.gc.sync("cm-1") == .retry)
        #expect(await h.gc.sync("pod-a") == .done)
        await h.settle()
        #expect(await h.server.requests.isEmpty)
        #expect(await h.object(.pods, "default/user") != nil)
        #expect(await h.object(.configMaps, "default/settings") != nil)
    }

    @Test func dependentOfAnOwnerThatNeverExistedIsDeleted() async throws {
        let h = GCHarness()
        await h.seed(.pods, [GCObjects.pod("stray", uid: "pod-a", owners: [GCObjects.rsRef("gone", uid: "rs-x")])])
        await h.settle()
        #expect(await h.server.requests("delete").map(\.description) == ["delete pods default/stray"])
        #expect(await h.results(for: "rs-x") == [.done])
    }

    @Test func liveOwnerKeepsTheDependentAndDanglingReferencesAreRemoved() async throws {
        // Kubernetes keeps an object with at least one solid owner, and patches away its references
        // to absent owners (and to owners waiting for their dependents).
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", uid: "rs-1")])
        await h.seed(.pods, [GCObjects.pod("shared", uid: "pod-a", owners: [
            GCObjects.rsRef("web", uid: "rs-1"), GCObjects.owner("v1", "ConfigMap", "gone", uid: "cm-x", controller: false, block: nil),
        ])])
        await h.settle()

        #expect(await h.server.requests("delete").isEmpty)
        let patches = await h.server.requests("patch")
        #expect(patches.count == 1)
        #expect(patches.first?.body == ["metadata": ["uid": "pod-a", "ownerReferences": [["$patch": "delete", "uid": "cm-x"]]]])
        let pod = try #require(await h.object(.pods, "default/shared"))
        #expect(pod["metadata"]["ownerReferences"].array?.compactMap { $0["uid"].string } == ["rs-1"])
    }

    @Test func failedDeleteIsRetried() async throws {
        let h = GCHarness()
        await h.seed(.pods, [GCObjects.pod("stray", uid: "pod-a", owners: [GCObjects.rsRef("gone", uid: "rs-x")])])
        await h.server.failNext("delete", .pods, with: .api(.internalError("etcd timeout")))
        await h.settle()
        #expect(await h.results(for: "pod-a") == [.retry, .done])
        #expect(await h.object(.pods, "default/stray") == nil)
    }

    @Test func unknownOwnerKindIsRetried() async throws {
        let h = GCHarness()
        await h.seed(.pods, [GCObjects.pod("odd", uid: "pod-a", owners: [GCObjects.owner("example.com/v9", "Gadget", "g", uid: "g-1")])])
        await h.inform()
        #expect(await h.gc.sync("g-1") == .retry)
        #expect(await h.gc.sync("pod-a") == .retry)
        #expect(await h.server.requests.isEmpty)
    }

    @Test func conflictFromAnUnrelatedChangeIsRetriedWithoutTheResourceVersion() async throws {
        let h = GCHarness()
        await h.seed(.pods, [GCObjects.pod("stray", uid: "pod-a", owners: [GCObjects.rsRef("gone", uid: "rs-x")])])
        await h.inform()
        #expect(await h.gc.sync("rs-x") == .done)
        await h.server.setTouchBeforeNextDelete()
        #expect(await h.gc.sync("pod-a") == .done)

        let deletes = await h.server.requests("delete")
        #expect(deletes.count == 2)
        #expect(deletes.first?.body["preconditions"]["resourceVersion"].string != nil)
        #expect(deletes.last?.body["preconditions"] == ["uid": "pod-a"])
        #expect(await h.object(.pods, "default/stray") == nil)
    }

    @Test func dependentsDisagreeingOnAnAbsentOwnersKindAreEachVerified() async {
        // Two dependents name uid x-1 as different kinds: each identity is looked up in turn.
        let h = GCHarness()
        await h.seed(.pods, [
            GCObjects.pod("a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "x-1")]),
            GCObjects.pod("b", uid: "pod-b", owners: [GCObjects.owner("v1", "ConfigMap", "web", uid: "x-1")]),
        ])
        await h.settle()
        #expect(await h.server.requests("delete").map(\.description).sorted() == ["delete pods default/a", "delete pods default/b"])
        #expect(await h.cluster.all(.pods).isEmpty)
    }

    @Test func dependentsDisagreeingOnAnOwnersKindKeepTheOneThatExists() async {
        let h = GCHarness(unwatched: [.configMaps])
        await h.seed(.configMaps, [GCObjects.object("v1", "ConfigMap", "web", uid: "x-1")])
        await h.seed(.pods, [
            GCObjects.pod("a", uid: "pod-a", owners: [GCObjects.rsRef("web", uid: "x-1")]),
            GCObjects.pod("b", uid: "pod-b", owners: [GCObjects.owner("v1", "ConfigMap", "web", uid: "x-1")]),
        ])
        await h.settle()
        #expect(await h.server.requests("delete").map(\.description) == ["delete pods default/a"])
        #expect(await h.object(.pods, "default/b") != nil)
    }

    @Test func eventsAreIgnoredResources() async {
        let h = GCHarness()
        let event = GCObjects.object("v1", "Event", "e", uid: "ev-1", owners: [GCObjects.rsRef("gone", uid: "rs-x")])
        #expect(await h.gc.observe(.events, old: nil, new: event) == [])
    }
}
