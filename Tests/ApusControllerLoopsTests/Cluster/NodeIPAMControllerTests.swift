import ApusControllerKit
import ApusControllerLoops
import ApusMachinery
import Testing

struct NodeIPAMControllerTests {
    @Test func givesEachNodeTheLowestFreeRange() async throws {
        let harness = ClusterHarness()
        // A node that registered with a range of its own (as simulated nodes do) keeps it, and it counts as taken.
        var own = ClusterFixtures.node("own", heartbeat: 0)
        own["spec"] = ["podCIDR": "10.42.0.0/24", "podCIDRs": ["10.42.0.0/24"]]
        await harness.cluster.seed(.nodes, [own, ClusterFixtures.node("a", heartbeat: 0), ClusterFixtures.node("b", heartbeat: 0)])
        let controller = NodeIPAMController(context: harness.context, clusterCIDR: "10.42.0.0/16")
        #expect(await controller.sync("own") == .done)
        #expect(await controller.sync("a") == .done)
        #expect(await controller.sync("b") == .done)
        #expect(await harness.cluster.object(.nodes, "own")?["spec"]["podCIDR"].string == "10.42.0.0/24")
        #expect(await harness.cluster.object(.nodes, "a")?["spec"]["podCIDR"].string == "10.42.1.0/24")
        #expect(await harness.cluster.object(.nodes, "b")?["spec"]["podCIDRs"] == ["10.42.2.0/24"])
        // Already given: nothing more is written.
        await harness.cluster.forgetCalls()
        #expect(await controller.sync("a") == .done)
        #expect(await harness.calls("patch", .nodes).isEmpty)
    }

    @Test func saysSoWhenTheClusterRangeIsFull() async throws {
        let harness = ClusterHarness()
        var first = ClusterFixtures.node("first", heartbeat: 0)
        first["spec"] = ["podCIDR": "10.0.0.0/24", "podCIDRs": ["10.0.0.0/24"]]
        await harness.cluster.seed(.nodes, [first, ClusterFixtures.node("second", heartbeat: 0)])
        let controller = NodeIPAMController(context: harness.context, clusterCIDR: "10.0.0.0/24")
        #expect(await controller.sync("second") == .requeue(after: 30))
        #expect(await harness.reasons() == ["CIDRNotAvailable"])
    }
}
