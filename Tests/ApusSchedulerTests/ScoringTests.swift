import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite struct ScoringTests {
    @Test func preferNoScheduleTaintsScoreInReverse() {
        let cache = Fixtures.cache(nodes: [
            Fixtures.node("clean"),
            Fixtures.node("one", taints: [Fixtures.taint("a", effect: "PreferNoSchedule")]),
            Fixtures.node("two", taints: [Fixtures.taint("a", effect: "PreferNoSchedule"), Fixtures.taint("b", effect: "PreferNoSchedule")]),
        ])
        let result = scores(TaintTolerationPlugin(), pod: Fixtures.pod("p"), nodes: ["clean", "one", "two"], cache: cache)
        #expect(result == ["clean": 100, "one": 50, "two": 0])
        let tolerant = Fixtures.pod("t", spec: ["tolerations": [Fixtures.toleration("a", operator: "Exists", effect: "PreferNoSchedule")]])
        #expect(scores(TaintTolerationPlugin(), pod: tolerant, nodes: ["clean", "one", "two"], cache: cache)
            == ["clean": 100, "one": 100, "two": 0])
    }

    @Test func preferredNodeAffinityScoresByWeight() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("ssd", labels: ["disk": "ssd"]), Fixtures.node("hdd", labels: ["disk": "hdd"]),
                                           Fixtures.node("none")])
        let pod = Fixtures.pod("p", spec: ["affinity": ["nodeAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 80, "preference": ["matchExpressions": [["key": "disk", "operator": "In", "values": ["ssd"]]]]],
            ["weight": 20, "preference": ["matchExpressions": [["key": "disk", "operator": "Exists"]]]],
        ]]]])
        #expect(scores(NodeAffinityPlugin(), pod: pod, nodes: ["ssd", "hdd", "none"], cache: cache) == ["ssd": 100, "hdd": 20, "none": 0])
    }

    @Test func imageLocalityPrefersNodesWithLargeImages() {
        let big: JSON = ["names": ["docker.io/library/app:1", "app:1"], "sizeBytes": .int(600 * 1024 * 1024)]
        let cache = Fixtures.cache(nodes: [Fixtures.node("has", images: [big]), Fixtures.node("lacks")])
        let pod = Fixtures.pod("p", containers: [Fixtures.container(image: "app:1")])
        // 600 MiB × (1 of 2 nodes) = 300 MiB; (300 − 23) / (1000 − 23) × 100 = 28.
        #expect(scores(ImageLocalityPlugin(), pod: pod, nodes: ["has", "lacks"], cache: cache) == ["has": 28, "lacks": 0])
        #expect(SchedulingPod.normalizedImageName("nginx") == "nginx:latest")
        #expect(SchedulingPod.normalizedImageName("registry:5000/nginx") == "registry:5000/nginx:latest")
        #expect(SchedulingPod.normalizedImageName("nginx@sha256:abc") == "nginx@sha256:abc")
    }

    @Test func adaptivePercentageOfNodesToScore() {
        #expect(NodeSelection.numFeasibleNodesToFind(percentage: 0, numAllNodes: 50) == 50)
        #expect(NodeSelection.numFeasibleNodesToFind(percentage: 0, numAllNodes: 150) == 100)
        #expect(NodeSelection.numFeasibleNodesToFind(percentage: 0, numAllNodes: 1000) == 420)
        #expect(NodeSelection.numFeasibleNodesToFind(percentage: 0, numAllNodes: 5000) == 500)
        #expect(NodeSelection.numFeasibleNodesToFind(percentage: 0, numAllNodes: 6000) == 300)
        #expect(NodeSelection.numFeasibleNodesToFind(percentage: 0, numAllNodes: 10000) == 500)
        #expect(NodeSelection.numFeasibleNodesToFind(percentage: 30, numAllNodes: 1000) == 300)
    }

    @Test func tiesAreBrokenBySeededRandomness() {
        var first = SplitMix64(seed: 7)
        var second = SplitMix64(seed: 7)
        let totals: [Int64] = [5, 9, 9, 3, 9]
        var picks: Set<Int> = []
        for _ in 0..<50 {
            let a = NodeSelection.selectHost(totals, using: &first)
            #expect(a == NodeSelection.selectHost(totals, using: &second))
            if let a { picks.insert(a) }
        }
        #expect(picks == [1, 2, 4])
    }

    @Test func scanStartsWhereTheLastCycleStopped() {
        let nodes = (0..<200).map { Fixtures.node("n\($0)") }
        let cache = Fixtures.cache(nodes: nodes)
        var algorithm = SchedulingAlgorithm(framework: .defaultProfile(), random: SplitMix64(seed: 3))
        _ = algorithm.schedule(SchedulingPod(Fixtures.pod("p")), cache: cache, nominator: Nominator())
        // 200 nodes: 100 are examined per cycle, the next cycle starts after them.
        #expect(algorithm.nextStartNodeIndex == 100)
        _ = algorithm.schedule(SchedulingPod(Fixtures.pod("q")), cache: cache, nominator: Nominator())
        #expect(algorithm.nextStartNodeIndex == 0)
    }

    @Test func nodesInterleaveZones() {
        var ordering = NodeOrdering()
        for (name, zone) in [("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("c1", "c"), ("c2", "c")] { ordering.add(name, zone: zone) }
        #expect(ordering.list() == ["a1", "b1", "c1", "a2", "c2", "a3"])
        ordering.remove("b1")
        #expect(ordering.list() == ["a1", "c1", "a2", "c2", "a3"])
    }
}
