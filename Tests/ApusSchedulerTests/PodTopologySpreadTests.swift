import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite struct PodTopologySpreadTests {
    let plugin = PodTopologySpreadPlugin()

    func zonedNodes() -> [JSON] {
        [Fixtures.node("a1", labels: ["topology.kubernetes.io/zone": "a"]),
         Fixtures.node("a2", labels: ["topology.kubernetes.io/zone": "a"]),
         Fixtures.node("b1", labels: ["topology.kubernetes.io/zone": "b"]),
         Fixtures.node("nozone")]
    }

    func spreadPod(_ name: String, maxSkew: Int64 = 1, extra: JSONObject = [:]) -> JSON {
        var constraint: JSON = ["maxSkew": .int(maxSkew), "topologyKey": "topology.kubernetes.io/zone",
                                "whenUnsatisfiable": "DoNotSchedule", "labelSelector": ["matchLabels": ["app": "web"]]]
        for (key, value) in extra { constraint[key] = value }
        return Fixtures.pod(name, labels: ["app": "web"], spec: ["topologySpreadConstraints": [constraint]])
    }

    @Test func doNotScheduleRespectsMaxSkew() {
        let cache = Fixtures.cache(nodes: zonedNodes(), pods: [
            Fixtures.pod("w1", labels: ["app": "web"], nodeName: "a1"),
            Fixtures.pod("other", labels: ["app": "db"], nodeName: "b1"),
        ])
        let pod = spreadPod("new")
        // Zone a has 1 matching pod, zone b none: another in a would make the skew 2.
        #expect(filterStatus(plugin, pod: pod, node: "a2", cache: cache)
            == Status(.unschedulable, "node(s) didn't match pod topology spread constraints"))
        #expect(filterStatus(plugin, pod: pod, node: "b1", cache: cache).isSuccess)
        #expect(filterStatus(plugin, pod: pod, node: "nozone", cache: cache)
            == Status(.unschedulableAndUnresolvable, "node(s) didn't match pod topology spread constraints (missing required label)"))
        #expect(filterStatus(plugin, pod: spreadPod("loose", maxSkew: 2), node: "a2", cache: cache).isSuccess)
    }

    @Test func minDomainsTreatsMissingDomainsAsEmpty() {
        let cache = Fixtures.cache(nodes: zonedNodes(), pods: [
            Fixtures.pod("w1", labels: ["app": "web"], nodeName: "a1"),
            Fixtures.pod("w2", labels: ["app": "web"], nodeName: "b1"),
        ])
        // Two domains exist; with minDomains 3 the global minimum counts as 0, so 1 + 1 − 0 > 1.
        let pod = spreadPod("new", extra: ["minDomains": 3])
        #expect(filterStatus(plugin, pod: pod, node: "a2", cache: cache)
            == Status(.unschedulable, "node(s) didn't match pod topology spread constraints"))
        #expect(filterStatus(plugin, pod: spreadPod("plain"), node: "a2", cache: cache).isSuccess)
    }

    @Test func nodeAffinityPolicyHonorExcludesNonMatchingNodes() {
        let cache = Fixtures.cache(nodes: zonedNodes(), pods: [Fixtures.pod("w1", labels: ["app": "web"], nodeName: "b1")])
        // The pod may only run in zone a; zone b's pod does not count (Honor), so a is not skewed.
        var pod = spreadPod("new")
        pod[path: ["spec", "nodeSelector"]] = ["topology.kubernetes.io/zone": "a"]
        #expect(filterStatus(plugin, pod: pod, node: "a1", cache: cache).isSuccess)
        var ignoring = spreadPod("ignoring", extra: ["nodeAffinityPolicy": "Ignore"])
        ignoring[path: ["spec", "nodeSelector"]] = ["topology.kubernetes.io/zone": "a"]
        #expect(filterStatus(plugin, pod: ignoring, node: "a1", cache: cache).isSuccess)
        let crowded = Fixtures.cache(nodes: zonedNodes(), pods: [Fixtures.pod("w1", labels: ["app": "web"], nodeName: "a1")])
        #expect(filterStatus(plugin, pod: ignoring, node: "a2", cache: crowded).isSuccess == false)
    }

    @Test func defaultConstraintsScoreSiblingsAway() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("n1"), Fixtures.node("n2"), Fixtures.node("n3")], pods: [
            Fixtures.pod("r1", nodeName: "n1", controller: "web"),
            Fixtures.pod("r2", nodeName: "n1", controller: "web"),
            Fixtures.pod("r3", nodeName: "n2", controller: "web"),
            Fixtures.pod("unrelated", nodeName: "n3", controller: "other"),
        ])
        let result = scores(plugin, pod: Fixtures.pod("new", controller: "web"), nodes: ["n1", "n2", "n3"], cache: cache)
        // Hostname constraint only (no zones): weight log(3+2), maxSkew 3 adds 2 to each.
        // raw: n1 = 2·1.609+2 → 5, n2 → 4, n3 → 2; normalized 100·(5+2−s)/5.
        #expect(result == ["n1": 40, "n2": 60, "n3": 100])
        #expect(scores(plugin, pod: Fixtures.pod("orphan"), nodes: ["n1", "n2", "n3"], cache: cache).isEmpty)
    }

    @Test func defaultConstraintsCountZonesToo() {
        let cache = Fixtures.cache(nodes: zonedNodes(), pods: [
            Fixtures.pod("r1", nodeName: "a1", controller: "web"),
            Fixtures.pod("r2", nodeName: "a1", controller: "web"),
            Fixtures.pod("r3", nodeName: "b1", controller: "web"),
        ])
        // Zone weight log(3 domains + 2) (the unlabeled node forms the third), hostname log(4 + 2):
        // a1 = 2·1.79+2 + 2·1.61+4 → 13, a2 → 9, b1 → 9, nozone → 2 (no zone label, no zone credit).
        let result = scores(plugin, pod: Fixtures.pod("new", controller: "web"), nodes: ["a1", "a2", "b1", "nozone"], cache: cache)
        #expect(result == ["a1": 15, "a2": 46, "b1": 46, "nozone": 100])
    }

    @Test func explicitScheduleAnywayIgnoresNodesWithoutTheLabel() {
        let cache = Fixtures.cache(nodes: zonedNodes(), pods: [
            Fixtures.pod("w1", labels: ["app": "web"], nodeName: "a1"),
            Fixtures.pod("w2", labels: ["app": "web"], nodeName: "a1"),
            Fixtures.pod("w3", labels: ["app": "web"], nodeName: "b1"),
        ])
        let pod = Fixtures.pod("new", labels: ["app": "web"], spec: ["topologySpreadConstraints": [[
            "maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": ["matchLabels": ["app": "web"]]]]])
        #expect(scores(plugin, pod: pod, nodes: ["a1", "a2", "b1", "nozone"], cache: cache) == ["a1": 33, "a2": 33, "b1": 100, "nozone": 0])
    }
}
