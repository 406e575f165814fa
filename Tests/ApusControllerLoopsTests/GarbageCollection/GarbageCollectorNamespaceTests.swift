import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct GarbageCollectorNamespaceTests {
    static let configMapOwner = GCObjects.owner("v1", "ConfigMap", "settings", uid: "cm-1", controller: false, block: nil)

    @Test func clusterScopedDependentOfAnObservedNamespacedOwnerIsReportedAndKept() async throws {
        let h = GCHarness()
        await h.seed(.configMaps, [GCObjects.object("v1", "ConfigMap", "settings", uid: "cm-1")])
        await h.inform()
        await h.seed(GCTestResources.clusterRoles, [GCObjects.object("rbac.authorization.k8s.io/v1", "ClusterRole", "reader", namespace: nil,
                                                                    uid: "cr-1", owners: [Self.configMapOwner])])
        await h.inform()
        #expect(await h.queue.items == ["cr-1"])
        #expect(await h.events.events.map(\.gcSummary) == [
            "reader Warning OwnerRefInvalidNamespace: ownerRef [v1/ConfigMap, namespace: , name: settings, uid: cm-1] does not exist in namespace \"\"",
        ])

        #expect(await h.gc.sync("cr-1") == .done)
        try await h.cluster.delete(.configMaps, namespace: "default", name: "settings")
        await h.settle()
        #expect(await h.server.requests.isEmpty)
        #expect(await h.object(GCTestResources.clusterRoles, "reader") != nil)
    }

    @Test func namespacedOwnerObservedAfterItsClusterScopedDependentIsReported() async {
        let h = GCHarness()
        await h.seed(GCTestResources.clusterRoles, [GCObjects.object("rbac.authorization.k8s.io/v1", "ClusterRole", "reader", namespace: nil,
                                                                    uid: "cr-1", owners: [Self.configMapOwner])])
        await h.inform()
        #expect(await h.queue.items == ["cm-1"])
        await h.seed(.configMaps, [GCObjects.object("v1", "ConfigMap", "settings", uid: "cm-1")])
        await h.inform()
        #expect(await h.queue.items == ["cm-1", "cr-1"])
        #expect(await h.events.events.map(\.reason) == ["OwnerRefInvalidNamespace"])
        await h.settle()
        #expect(await h.server.requests.isEmpty)
    }

    @Test func clusterScopedDependentOfAnAbsentClusterScopedOwnerIsDeleted() async {
        let h = GCHarness()
        await h.seed(.nodes, [GCObjects.object("v1", "Node", "n2", namespace: nil, uid: "node-2")])
        await h.seed(GCTestResources.clusterRoles, [
            GCObjects.object("rbac.authorization.k8s.io/v1", "ClusterRole", "orphaned", namespace: nil, uid: "cr-1",
                             owners: [GCObjects.owner("v1", "Node", "n1", uid: "node-1")]),
            GCObjects.object("rbac.authorization.k8s.io/v1", "ClusterRole", "owned", namespace: nil, uid: "cr-2",
                             owners: [GCObjects.owner("v1", "Node", "n2", uid: "node-2")]),
        ])
        await h.settle()
        let deletes = await h.server.requests("delete")
        #expect(deletes.map(\.description) == ["delete clusterroles orphaned"])
        #expect(deletes.first?.body["preconditions"]["uid"] == "cr-1")
        #expect(await h.events.events.isEmpty)
    }

    @Test func namespacedDependentsOfAClusterScopedOwnerFollowIt() async throws {
        let h = GCHarness()
        await h.seed(.nodes, [GCObjects.object("v1", "Node", "n1", namespace: nil, uid: "node-1")])
        await h.seed(.pods, [GCObjects.pod("static-a", namespace: "kube-system", uid: "pod-a",
                                           owners: [GCObjects.owner("v1", "Node", "n1", uid: "node-1")])])
        await h.settle()
        #expect(await h.server.requests.isEmpty)
        try await h.cluster.delete(.nodes, namespace: nil, name: "n1")
        await h.settle()
        #expect(await h.server.requests("delete").map(\.description) == ["delete pods kube-system/static-a"])
    }

    @Test func ownerInAnotherNamespaceIsReportedAndCountsAsAbsent() async {
        let h = GCHarness()
        await h.seed(.replicaSets, [GCObjects.replicaSet("web", namespace: "a", uid: "rs-1")])
        await h.inform()
        await h.seed(.pods, [GCObjects.pod("web-x", namespace: "b", uid: "pod-x", owners: [GCObjects.rsRef("web", uid: "rs-1")])])
        await h.settle()
        #expect(await h.events.events.map(\.gcSummary) == [
            "b/web-x Warning OwnerRefInvalidNamespace: ownerRef [apps/v1/ReplicaSet, namespace: b, name: web, uid: rs-1] does not exist in namespace \"b\"",
        ])
        #expect(await h.server.requests("delete").map(\.description) == ["delete pods b/web-x"])
        #expect(await h.object(.replicaSets, "a/web") != nil)
    }
}
