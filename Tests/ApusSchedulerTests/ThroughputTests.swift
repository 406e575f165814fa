import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite struct ThroughputTests {
    @Test func thousandPodsLandOnHundredNodes() async {
        let harness = SchedulerHarness()
        let zones = ["a", "b", "c"]
        await harness.addNodes((0..<100).map {
            Fixtures.node("node-\($0)", cpu: "32", memory: "64Gi", labels: ["topology.kubernetes.io/zone": zones[$0 % 3]])
        })
        let pods = (0..<1000).map { Fixtures.pod("pod-\($0)", cpu: "250m", memory: "256Mi", controller: "rs-\($0 % 10)") }
        await harness.addPods(pods)
        #expect(await harness.scheduleAll() == 1000)
        let placements = await harness.placements()
        #expect(placements.count == 1000)
        #expect(await harness.events.events.allSatisfy { $0.reason == "Scheduled" })
        // Resources were accounted per node: none exceeds its 32 cpus (128 pods of 250m).
        var perNode: [String: Int] = [:]
        for node in placements.values { perNode[node, default: 0] += 1 }
        #expect(perNode.values.allSatisfy { $0 <= 128 })
        #expect(perNode.count == 100)
    }
}
