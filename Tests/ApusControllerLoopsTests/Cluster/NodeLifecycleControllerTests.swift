import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct NodeLifecycleControllerTests {
    let h = ClusterHarness()

    /// Two healthy nodes with leases; `web` runs on n1.
    func seedTwoNodes() async {
        await h.cluster.seed(.nodes, [ClusterFixtures.node("n1", heartbeat: h.now), ClusterFixtures.node("n2", heartbeat: h.now)])
        await h.cluster.seed(.leases, [ClusterFixtures.lease("n1", renewed: h.now), ClusterFixtures.lease("n2", renewed: h.now)])
        await h.cluster.seed(.pods, [ClusterFixtures.pod("web", node: "n1")])
    }

    func taints(_ node: String) async -> [JSON] {
        await h.cluster.object(.nodes, node)?["spec"]["taints"].array ?? []
    }

    func has(_ taints: [JSON], _ key: String, _ effect: String) -> Bool {
        taints.contains { $0["key"].string == key && $0["effect"].string == effect }
    }

    @Test func healthyNodesAreLookedAtAgainEveryMonitorPeriod() async {
        await seedTwoNodes()
        let controller = NodeLifecycleController(context: h.context, nodeMonitorGracePeriod: 40)
        #expect(await controller.sync("n1") == .requeue(after: 5))
        #expect(await h.calls("update", .nodes).isEmpty)
        #expect(await h.reasons() == ["RegisteredNode"])
        #expect(await h.events.events.first?.message == "Node n1 event: Registered Node n1 in Controller")
    }

    @Test func nodeGoesUnknownAfterTheGracePeriod() async throws {
        await seedTwoNodes()
        let controller = NodeLifecycleController(context: h.context, nodeMonitorGracePeriod: 40)
        _ = await controller.sync("n1")
        _ = await controller.sync("n2")

        h.clock.advance(by: 39)
        await h.cluster.seed(.leases, [ClusterFixtures.lease("n2", renewed: h.now)])
        _ = await controller.sync("n1")
        #expect(ClusterFixtures.condition(try #require(await h.cluster.object(.nodes, "n1")), "Ready")?["status"] == "True")

        h.clock.advance(by: 2)
        await h.cluster.seed(.leases, [ClusterFixtures.lease("n2", renewed: h.now)])
        _ = await controller.sync("n2")
        #expect(await controller.sync("n1") == .requeue(after: 5))
        let node = try #require(await h.cluster.object(.nodes, "n1"))
        for type in ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] {
            let condition = try #require(ClusterFixtures.condition(node, type))
            #expect(condition["status"] == "Unknown")
            #expect(condition["reason"] == "NodeStatusUnknown")
            #expect(condition["message"] == "Kubelet stopped posting node status.")
            #expect(condition["lastTransitionTime"] == ClusterFixtures.time(h.now))
        }
        #expect(await h.calls("update", .nodes).map(\.subresource) == ["status"])
        #expect(ClusterFixtures.condition(try #require(await h.cluster.object(.nodes, "n2")), "Ready")?["status"] == "True")

        // NoSchedule at once; the pod is marked not ready.
        let taints = await taints("n1")
        #expect(has(taints, "node.kubernetes.io/unreachable", "NoSchedule"))
        #expect(!has(taints, "node.kubernetes.io/unreachable", "NoExecute"))
        #expect(taints.first?["timeAdded"] == ClusterFixtures.time(h.now))
        let pod = try #require(await h.cluster.object(.pods, "default/web"))
        #expect(ClusterFixtures.condition(pod, "Ready")?["status"] == "False")
        #expect(await h.reasons().contains("NodeNotReady"))
        #expect(await h.events.events.contains { $0.object == "default/web" && $0.type == "Warning" && $0.message == "Node is not ready" })
        #expect(await h.events.events.contains { $0.object == "n1" && $0.message == "Node n1 status is now: NodeNotReady" })

        // The next look adds the NoExecute taint the taint eviction controller acts on.
        h.clock.advance(by: 5)
        _ = await controller.sync("n1")
        let later = await self.taints("n1")
        #expect(has(later, "node.kubernetes.io/unreachable", "NoExecute"))
        #expect(later.first { $0["effect"] == "NoExecute" }?["timeAdded"] == ClusterFixtures.time(h.now))
    }

    @Test func defaultGracePeriodIsKubernetes132s50Seconds() async throws {
        await seedTwoNodes()
        let controller = NodeLifecycleController(context: h.context)
        _ = await controller.sync("n1")
        h.clock.advance(by: 45)
        _ = await controller.sync("n1")
        #expect(ClusterFixtures.condition(try #require(await h.cluster.object(.nodes, "n1")), "Ready")?["status"] == "True")
        h.clock.advance(by: 6)
        _ = await controller.sync("n1")
        #expect(ClusterFixtures.condition(try #require(await h.cluster.object(.nodes, "n1")), "Ready")?["status"] == "Unknown")
    }

    @Test func aRenewedLeaseKeepsTheNodeHealthy() async throws {
        await seedTwoNodes()
        let controller = NodeLifecycleController(context: h.context, nodeMonitorGracePeriod: 40)
        _ = await controller.sync("n1")
        for _ in 0..<6 {
            h.clock.advance(by: 10)
            await h.cluster.seed(.leases, [ClusterFixtures.lease("n1", renewed: h.now)])
            _ = await controller.sync("n1")
        }
        #expect(ClusterFixtures.condition(try #require(await h.cluster.object(.nodes, "n1")), "Ready")?["status"] == "True")
        #expect(await h.calls("update", .nodes).isEmpty)
    }

    @Test func taintsGoWhenTheNodeIsReadyAgain() async throws {
        await seedTwoNodes()
        let controller = NodeLifecycleController(context: h.context, nodeMonitorGracePeriod: 40)
        _ = await controller.sync("n1")
        _ = await controller.sync("n2")
        h.clock.advance(by: 41)
        await h.cluster.seed(.leases, [ClusterFixtures.lease("n2", renewed: h.now)])
        _ = await controller.sync("n2")
        _ = await controller.sync("n1")
        h.clock.advance(by: 5)
        _ = await controller.sync("n1")
        #expect(await taints("n1").count == 2)

        // The kubelet posts again.
        var node = try #require(await h.cluster.object(.nodes, "n1"))
        node["status"] = ClusterFixtures.node("n1", heartbeat: h.now)["status"]
        await h.cluster.seed(.nodes, [node])
        _ = await controller.sync("n1")
        #expect(await taints("n1").isEmpty)
    }

    @Test func aNotReadyNodeGetsTheNotReadyTaints() async throws {
        await h.cluster.seed(.nodes, [ClusterFixtures.node("n1", ready: "False", heartbeat: h.now), ClusterFixtures.node("n2", heartbeat: h.now)])
        let controller = NodeLifecycleController(context: h.context)
        _ = await controller.sync("n2")
        _ = await controller.sync("n1")
        let taints = await taints("n1")
        #expect(has(taints, "node.kubernetes.io/not-ready", "NoSchedule"))
        #expect(has(taints, "node.kubernetes.io/not-ready", "NoExecute"))
        #expect(taints.allSatisfy { $0["timeAdded"] == ClusterFixtures.time(h.now) })
    }

    @Test func unreachableTurnsIntoNotReadyAtOnce() async throws {
        let tainted = [ClusterFixtures.taint("node.kubernetes.io/unreachable", "NoExecute")]
        await h.cluster.seed(.nodes, [ClusterFixtures.node("n1", ready: "False", heartbeat: h.now, taints: tainted),
                                      ClusterFixtures.node("n2", heartbeat: h.now)])
        let controller = NodeLifecycleController(context: h.context)
        _ = await controller.sync("n2")
        _ = await controller.sync("n1")  // registration takes the NoExecute taints off first
        let taints = await taints("n1")
        #expect(has(taints, "node.kubernetes.io/not-ready", "NoExecute"))
        #expect(!has(taints, "node.kubernetes.io/unreachable", "NoExecute"))
    }

    @Test func taintingIsRateLimitedPerZone() async throws {
        await h.cluster.seed(.nodes, [ClusterFixtures.node("a", ready: "False", heartbeat: h.now), ClusterFixtures.node("b", ready: "False", heartbeat: h.now),
                                      ClusterFixtures.node("c", heartbeat: h.now), ClusterFixtures.node("d", heartbeat: h.now)])
        let controller = NodeLifecycleController(context: h.context)
        for name in ["c", "d", "a"] { _ = await controller.sync(name) }
        #expect(has(await taints("a"), "node.kubernetes.io/not-ready", "NoExecute"))
        // 0.1 taints per second: b waits its turn.
        #expect(await controller.sync("b") == .requeue(after: 5))
        #expect(!has(await taints("b"), "node.kubernetes.io/not-ready", "NoExecute"))
        h.clock.advance(by: 10)
        _ = await controller.sync("b")
        #expect(has(await taints("b"), "node.kubernetes.io/not-ready", "NoExecute"))
    }

    @Test func noEvictionTaintsWhenEveryNodeIsDown() async throws {
        await h.cluster.seed(.nodes, [ClusterFixtures.node("solo", heartbeat: h.now)])
        let controller = NodeLifecycleController(context: h.context, nodeMonitorGracePeriod: 40)
        _ = await controller.sync("solo")
        h.clock.advance(by: 41)
        _ = await controller.sync("solo")
        h.clock.advance(by: 5)
        _ = await controller.sync("solo")
        let taints = await taints("solo")
        #expect(has(taints, "node.kubernetes.io/unreachable", "NoSchedule"))
        #expect(!has(taints, "node.kubernetes.io/unreachable", "NoExecute"))
    }

    @Test func aPodBoundToANotReadyNodeIsMarkedNotReady() async throws {
        await h.cluster.seed(.nodes, [ClusterFixtures.node("n1", ready: "False", heartbeat: h.now), ClusterFixtures.node("n2", heartbeat: h.now)])
        let controller = NodeLifecycleController(context: h.context)
        _ = await controller.sync("n1")
        let pod = ClusterFixtures.pod("late", node: "n1")
        await h.cluster.seed(.pods, [pod])
        let watch = try #require(controller.watches.first { $0.resource == .pods })
        #expect(await watch.keys(nil, pod) == ["n1"])
        _ = await controller.sync("n1")
        #expect(ClusterFixtures.condition(try #require(await h.cluster.object(.pods, "default/late")), "Ready")?["status"] == "False")
    }

    @Test func conditionTaintsFollowPressureAndCordon() async throws {
        var node = ClusterFixtures.node("n1", heartbeat: h.now, unschedulable: true)
        var conditions = node["status"]["conditions"].array ?? []
        conditions[0]["status"] = "True"  // MemoryPressure
        node[path: ["status", "conditions"]] = .array(conditions)
        await h.cluster.seed(.nodes, [node])
        let controller = NodeLifecycleController(context: h.context)
        _ = await controller.sync("n1")
        let taints = await taints("n1")
        #expect(has(taints, "node.kubernetes.io/memory-pressure", "NoSchedule"))
        #expect(has(taints, "node.kubernetes.io/unschedulable", "NoSchedule"))
        #expect(taints.count == 2)
    }

    @Test func aDeletedNodeIsForgotten() async {
        await seedTwoNodes()
        let controller = NodeLifecycleController(context: h.context)
        _ = await controller.sync("n1")
        _ = try? await h.cluster.delete(.nodes, namespace: nil, name: "n1")
        #expect(await controller.sync("n1") == .done)
        #expect(await h.events.events.last?.message == "Node n1 event: Removing Node n1 from Controller")
    }

    @Test func watchesMapLeasesToTheirNode() async throws {
        let controller = NodeLifecycleController(context: h.context)
        let leases = try #require(controller.watches.first { $0.resource == .leases })
        #expect(await leases.keys(nil, ClusterFixtures.lease("n7", renewed: h.now)) == ["n7"])
        var other = ClusterFixtures.lease("x", renewed: h.now)
        other[path: ["metadata", "namespace"]] = "kube-system"
        #expect(await leases.keys(nil, other).isEmpty)
    }
}
