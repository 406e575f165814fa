import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct TaintEvictionControllerTests {
    let h = ClusterHarness()
    let unreachable = "node.kubernetes.io/unreachable"

    func seedTaintedNode() async {
        await h.cluster.seed(.nodes, [ClusterFixtures.node("n1", ready: "Unknown", heartbeat: h.now,
                                                           taints: [ClusterFixtures.taint(unreachable, "NoExecute")])])
    }

    func deleted() async -> [String] { await h.calls("delete", .pods).map { "\($0.namespace)/\($0.name)" } }

    @Test func podsNotToleratingTheTaintAreDeletedAtOnce() async throws {
        await seedTaintedNode()
        await h.cluster.seed(.pods, [ClusterFixtures.pod("plain", node: "n1"), ClusterFixtures.pod("elsewhere", node: "n2")])
        let controller = TaintEvictionController(context: h.context)
        #expect(await controller.sync("n1") == .done)
        #expect(await deleted() == ["default/plain"])
        let event = try #require(await h.events.events.first)
        #expect(event.reason == "TaintManagerEviction")
        #expect(event.message == "Marking for deletion Pod default/plain")
        // The pod is marked as a disruption target first.
        let patch = try #require(await h.calls("patch", .pods).first)
        #expect(patch.subresource == "status")
        #expect(patch.body["status"]["conditions"][0]["type"] == "DisruptionTarget")
        #expect(patch.body["status"]["conditions"][0]["reason"] == "DeletionByTaintManager")
        #expect(patch.body["status"]["conditions"][0]["message"] == "Taint manager: deleting due to NoExecute taint")
    }

    @Test func tolerationSecondsDelayTheDeletion() async {
        await seedTaintedNode()
        await h.cluster.seed(.pods, [ClusterFixtures.pod("patient", node: "n1", tolerations: [ClusterFixtures.toleration(unreachable, seconds: 300)]),
                                     ClusterFixtures.pod("brief", node: "n1", tolerations: [ClusterFixtures.toleration(unreachable, seconds: 30)])])
        let controller = TaintEvictionController(context: h.context)
        #expect(await controller.sync("n1") == .requeue(after: 30))
        #expect(await deleted().isEmpty)

        h.clock.advance(by: 30)
        #expect(await controller.sync("n1") == .requeue(after: 270))
        #expect(await deleted() == ["default/brief"])

        h.clock.advance(by: 269)
        _ = await controller.sync("n1")
        #expect(await deleted() == ["default/brief"])
        h.clock.advance(by: 1)
        #expect(await controller.sync("n1") == .done)
        #expect(await deleted() == ["default/brief", "default/patient"])
    }

    @Test func toleratingForeverMeansNoDeletion() async {
        await seedTaintedNode()
        await h.cluster.seed(.pods, [ClusterFixtures.pod("daemon", node: "n1", tolerations: [ClusterFixtures.toleration(unreachable)])])
        let controller = TaintEvictionController(context: h.context)
        #expect(await controller.sync("n1") == .done)
        #expect(await deleted().isEmpty)
    }

    @Test func removingTheTaintCancelsScheduledDeletions() async throws {
        await seedTaintedNode()
        await h.cluster.seed(.pods, [ClusterFixtures.pod("patient", node: "n1", tolerations: [ClusterFixtures.toleration(unreachable, seconds: 300)])])
        let controller = TaintEvictionController(context: h.context)
        _ = await controller.sync("n1")
        var node = try #require(await h.cluster.object(.nodes, "n1"))
        node[path: ["spec", "taints"]] = .null
        await h.cluster.seed(.nodes, [node])
        h.clock.advance(by: 10)
        #expect(await controller.sync("n1") == .done)
        #expect(await h.events.events.last?.message == "Cancelling deletion of Pod default/patient")
        h.clock.advance(by: 400)
        _ = await controller.sync("n1")
        #expect(await deleted().isEmpty)
    }

    @Test func terminatingPodsAreNotDeletedAgain() async {
        await seedTaintedNode()
        var pod = ClusterFixtures.pod("going", node: "n1")
        pod[path: ["metadata", "deletionTimestamp"]] = ClusterFixtures.time(h.now)
        await h.cluster.seed(.pods, [pod])
        let controller = TaintEvictionController(context: h.context)
        _ = await controller.sync("n1")
        #expect(await deleted().isEmpty)
    }

    @Test func matchingFollowsKubernetesTolerationRules() async {
        await h.cluster.seed(.nodes, [ClusterFixtures.node("n1", heartbeat: h.now, taints: [
            ["key": "dedicated", "value": "gpu", "effect": "NoExecute"], ClusterFixtures.taint("other", "NoSchedule"),
        ])])
        await h.cluster.seed(.pods, [
            ClusterFixtures.pod("equal", node: "n1", tolerations: [["key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoExecute"]]),
            ClusterFixtures.pod("wrong-value", node: "n1", tolerations: [["key": "dedicated", "value": "cpu"]]),
            ClusterFixtures.pod("everything", node: "n1", tolerations: [["operator": "Exists"]]),
        ])
        let controller = TaintEvictionController(context: h.context)
        _ = await controller.sync("n1")
        #expect(await deleted() == ["default/wrong-value"])
    }

    @Test func watchesOnlyCareAboutNoExecuteTaintsAndTolerations() async throws {
        let controller = TaintEvictionController(context: h.context)
        let nodes = try #require(controller.watches.first { $0.resource == .nodes })
        let plain = ClusterFixtures.node("n1", heartbeat: h.now)
        var noSchedule = plain
        noSchedule[path: ["spec", "taints"]] = [ClusterFixtures.taint("x", "NoSchedule")]
        var noExecute = plain
        noExecute[path: ["spec", "taints"]] = [ClusterFixtures.taint("x", "NoExecute")]
        #expect(await nodes.keys(plain, noSchedule).isEmpty)
        #expect(await nodes.keys(plain, noExecute) == ["n1"])

        let pods = try #require(controller.watches.first { $0.resource == .pods })
        let pod = ClusterFixtures.pod("p", node: "n1")
        var relabeled = pod
        relabeled[path: ["metadata", "labels", "x"]] = "y"
        #expect(await pods.keys(pod, relabeled).isEmpty)
        #expect(await pods.keys(pod, nil) == ["n1"])
    }
}
