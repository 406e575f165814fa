import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite struct InterPodAffinityTests {
    let plugin = InterPodAffinityPlugin()

    func nodes() -> [JSON] {
        [Fixtures.node("a1", labels: ["topology.kubernetes.io/zone": "a"]),
         Fixtures.node("a2", labels: ["topology.kubernetes.io/zone": "a"]),
         Fixtures.node("b1", labels: ["topology.kubernetes.io/zone": "b"])]
    }

    func term(_ labels: [String: String], key: String = "topology.kubernetes.io/zone") -> JSON {
        ["labelSelector": ["matchLabels": .object(JSONObject(labels.mapValues { .string($0) }))], "topologyKey": .string(key)]
    }

    @Test func requiredAffinityNeedsAMatchingPodInTheDomain() {
        let cache = Fixtures.cache(nodes: nodes(), pods: [Fixtures.pod("db", labels: ["app": "db"], nodeName: "a1")])
        let pod = Fixtures.pod("web", labels: ["app": "web"], spec: ["affinity": ["podAffinity": [
            "requiredDuringSchedulingIgnoredDuringExecution": [term(["app": "db"])]]]])
        #expect(filterStatus(plugin, pod: pod, node: "a2", cache: cache).isSuccess)
        #expect(filterStatus(plugin, pod: pod, node: "b1", cache: cache)
            == Status(.unschedulableAndUnresolvable, "node(s) didn't match pod affinity rules"))
    }

    @Test func firstPodOfASelfAffineGroupMayGoAnywhere() {
        let cache = Fixtures.cache(nodes: nodes())
        let pod = Fixtures.pod("web", labels: ["app": "web"], spec: ["affinity": ["podAffinity": [
            "requiredDuringSchedulingIgnoredDuringExecution": [term(["app": "web"])]]]])
        #expect(filterStatus(plugin, pod: pod, node: "b1", cache: cache).isSuccess)
    }

    @Test func requiredAntiAffinityOfThePod() {
        let cache = Fixtures.cache(nodes: nodes(), pods: [Fixtures.pod("web-1", labels: ["app": "web"], nodeName: "a1")])
        let pod = Fixtures.pod("web-2", labels: ["app": "web"], spec: ["affinity": ["podAntiAffinity": [
            "requiredDuringSchedulingIgnoredDuringExecution": [term(["app": "web"])]]]])
        #expect(filterStatus(plugin, pod: pod, node: "a2", cache: cache)
            == Status(.unschedulable, "node(s) didn't match pod anti-affinity rules"))
        #expect(filterStatus(plugin, pod: pod, node: "b1", cache: cache).isSuccess)
    }

    @Test func existingPodsAntiAffinityProtectsThem() {
        let loner = Fixtures.pod("loner", labels: ["app": "loner"], nodeName: "a1", spec: ["affinity": ["podAntiAffinity": [
            "requiredDuringSchedulingIgnoredDuringExecution": [term(["app": "web"], key: SchedulingNode.hostnameLabel)]]]])
        let cache = Fixtures.cache(nodes: nodes(), pods: [loner])
        let pod = Fixtures.pod("web", labels: ["app": "web"])
        #expect(filterStatus(plugin, pod: pod, node: "a1", cache: cache)
            == Status(.unschedulable, "node(s) didn't satisfy existing pods anti-affinity rules"))
        #expect(filterStatus(plugin, pod: pod, node: "a2", cache: cache).isSuccess)
        #expect(filterStatus(plugin, pod: Fixtures.pod("db", labels: ["app": "db"]), node: "a1", cache: cache).isSuccess)
    }

    @Test func preferredAffinityScores() {
        let cache = Fixtures.cache(nodes: nodes(), pods: [Fixtures.pod("cache", labels: ["app": "cache"], nodeName: "b1")])
        let pod = Fixtures.pod("web", spec: ["affinity": ["podAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 10, "podAffinityTerm": term(["app": "cache"])]]]]])
        #expect(scores(plugin, pod: pod, nodes: ["a1", "a2", "b1"], cache: cache) == ["a1": 0, "a2": 0, "b1": 100])
        let avoid = Fixtures.pod("web", spec: ["affinity": ["podAntiAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 10, "podAffinityTerm": term(["app": "cache"])]]]]])
        #expect(scores(plugin, pod: avoid, nodes: ["a1", "a2", "b1"], cache: cache) == ["a1": 100, "a2": 100, "b1": 0])
    }

    @Test func namespaceSelectorUsesNamespaceLabels() {
        let cache = Fixtures.cache(nodes: nodes(), pods: [Fixtures.pod("db", namespace: "data", labels: ["app": "db"], nodeName: "a1")])
        cache.namespaceLabels = ["data": ["team": "storage"], "default": [:]]
        var affinityTerm = term(["app": "db"])
        affinityTerm["namespaceSelector"] = ["matchLabels": ["team": "storage"]]
        let pod = Fixtures.pod("web", spec: ["affinity": ["podAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [affinityTerm]]]])
        #expect(filterStatus(plugin, pod: pod, node: "a2", cache: cache).isSuccess)
        #expect(!filterStatus(plugin, pod: pod, node: "b1", cache: cache).isSuccess)
    }
}
