import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite struct NodeBasicsFilterTests {
    @Test func unschedulableNodeRejectsUnlessTolerated() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("n1", unschedulable: true), Fixtures.node("n2")])
        let plugin = NodeUnschedulablePlugin()
        let pod = Fixtures.pod("p")
        #expect(filterStatus(plugin, pod: pod, node: "n1", cache: cache)
            == Status(.unschedulableAndUnresolvable, "node(s) were unschedulable"))
        #expect(filterStatus(plugin, pod: pod, node: "n2", cache: cache).isSuccess)
        let tolerant = Fixtures.pod("t", spec: ["tolerations": [Fixtures.toleration("node.kubernetes.io/unschedulable", operator: "Exists",
                                                                                         effect: "NoSchedule")]])
        #expect(filterStatus(plugin, pod: tolerant, node: "n1", cache: cache).isSuccess)
    }

    @Test func nodeNameMustMatch() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("n1"), Fixtures.node("n2")])
        let pod = Fixtures.pod("p", spec: ["nodeName": "n2"])
        #expect(filterStatus(NodeNamePlugin(), pod: pod, node: "n1", cache: cache)
            == Status(.unschedulableAndUnresolvable, "node(s) didn't match the requested node name"))
        #expect(filterStatus(NodeNamePlugin(), pod: pod, node: "n2", cache: cache).isSuccess)
    }

    @Test func hostPortConflicts() {
        func portPod(_ name: String, port: Int64, ip: String? = nil, proto: String? = nil, node: String? = nil) -> JSON {
            var portJSON: JSON = ["containerPort": 80, "hostPort": .int(port)]
            if let ip { portJSON["hostIP"] = .string(ip) }
            if let proto { portJSON["protocol"] = .string(proto) }
            var container = Fixtures.container()
            container["ports"] = [portJSON]
            return Fixtures.pod(name, nodeName: node, containers: [container])
        }
        let cache = Fixtures.cache(nodes: [Fixtures.node("n1")], pods: [portPod("existing", port: 8080, ip: "10.0.0.1", node: "n1")])
        let plugin = NodePortsPlugin()
        let reason = Status(.unschedulable, "node(s) didn't have free ports for the requested pod ports")
        #expect(filterStatus(plugin, pod: portPod("same", port: 8080, ip: "10.0.0.1"), node: "n1", cache: cache) == reason)
        // 0.0.0.0 (the default) collides with every address.
        #expect(filterStatus(plugin, pod: portPod("any", port: 8080), node: "n1", cache: cache) == reason)
        #expect(filterStatus(plugin, pod: portPod("other-ip", port: 8080, ip: "10.0.0.2"), node: "n1", cache: cache).isSuccess)
        #expect(filterStatus(plugin, pod: portPod("udp", port: 8080, ip: "10.0.0.1", proto: "UDP"), node: "n1", cache: cache).isSuccess)
        #expect(filterStatus(plugin, pod: portPod("other-port", port: 9090), node: "n1", cache: cache).isSuccess)
    }

    @Test func taintsFilterWithExactMessage() {
        let cache = Fixtures.cache(nodes: [
            Fixtures.node("tainted", taints: [Fixtures.taint("dedicated", "gpu")]),
            Fixtures.node("soft", taints: [Fixtures.taint("dedicated", "gpu", effect: "PreferNoSchedule")]),
            Fixtures.node("execute", taints: [Fixtures.taint("broken", effect: "NoExecute")]),
        ])
        let plugin = TaintTolerationPlugin()
        let pod = Fixtures.pod("p")
        #expect(filterStatus(plugin, pod: pod, node: "tainted", cache: cache)
            == Status(.unschedulableAndUnresolvable, "node(s) had untolerated taint {dedicated: gpu}"))
        #expect(filterStatus(plugin, pod: pod, node: "execute", cache: cache)
            == Status(.unschedulableAndUnresolvable, "node(s) had untolerated taint {broken: }"))
        #expect(filterStatus(plugin, pod: pod, node: "soft", cache: cache).isSuccess)
        let tolerant = Fixtures.pod("t", spec: ["tolerations": [Fixtures.toleration("dedicated", value: "gpu", effect: "NoSchedule")]])
        #expect(filterStatus(plugin, pod: tolerant, node: "tainted", cache: cache).isSuccess)
        let wrongValue = Fixtures.pod("w", spec: ["tolerations": [Fixtures.toleration("dedicated", value: "cpu")]])
        #expect(!filterStatus(plugin, pod: wrongValue, node: "tainted", cache: cache).isSuccess)
        let everything = Fixtures.pod("e", spec: ["tolerations": [["operator": "Exists"]]])
        #expect(filterStatus(plugin, pod: everything, node: "execute", cache: cache).isSuccess)
    }

    @Test func nodeSelectorAndRequiredAffinity() {
        let cache = Fixtures.cache(nodes: [
            Fixtures.node("a", labels: ["disk": "ssd", "cores": "16"]),
            Fixtures.node("b", labels: ["disk": "hdd", "cores": "4"]),
        ])
        let plugin = NodeAffinityPlugin()
        let reason = Status(.unschedulableAndUnresolvable, "node(s) didn't match Pod's node affinity/selector")
        let selector = Fixtures.pod("s", spec: ["nodeSelector": ["disk": "ssd"]])
        #expect(filterStatus(plugin, pod: selector, node: "a", cache: cache).isSuccess)
        #expect(filterStatus(plugin, pod: selector, node: "b", cache: cache) == reason)

        let affinity = Fixtures.pod("g", spec: ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            "nodeSelectorTerms": [
                ["matchExpressions": [["key": "cores", "operator": "Gt", "values": ["8"]]]],
                ["matchExpressions": [["key": "disk", "operator": "In", "values": ["nvme"]]]],
            ]]]]])
        #expect(filterStatus(plugin, pod: affinity, node: "a", cache: cache).isSuccess)
        #expect(filterStatus(plugin, pod: affinity, node: "b", cache: cache) == reason)

        let notIn = Fixtures.pod("n", spec: ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            "nodeSelectorTerms": [["matchExpressions": [["key": "disk", "operator": "NotIn", "values": ["ssd"]],
                                                        ["key": "zone", "operator": "DoesNotExist"]]]]]]]])
        #expect(filterStatus(plugin, pod: notIn, node: "a", cache: cache) == reason)
        #expect(filterStatus(plugin, pod: notIn, node: "b", cache: cache).isSuccess)
    }

    @Test func matchFieldsNarrowsNodesAtPreFilter() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("a"), Fixtures.node("b"), Fixtures.node("c")])
        let pod = SchedulingPod(Fixtures.pod("f", spec: ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            "nodeSelectorTerms": [["matchFields": [["key": "metadata.name", "operator": "In", "values": ["b"]]]]]]]]]))
        var state = CycleState()
        let outcome = NodeAffinityPlugin().preFilter(&state, pod: pod, cache: cache)
        #expect(outcome.status.isSuccess)
        #expect(outcome.nodeNames == ["b"])
        #expect(NodeAffinityPlugin().filter(state, pod: pod, node: cache.nodeInfo("b")!).isSuccess)
        #expect(!NodeAffinityPlugin().filter(state, pod: pod, node: cache.nodeInfo("a")!).isSuccess)

        // Through the whole algorithm the other nodes report the PreFilter's restriction.
        var algorithm = SchedulingAlgorithm(framework: .defaultProfile(), random: SplitMix64(seed: 1))
        guard case .scheduled(let node) = algorithm.schedule(pod, cache: cache, nominator: Nominator()) else {
            Issue.record("expected the pod to be scheduled")
            return
        }
        #expect(node == "b")
    }

    @Test func matchFieldsOnMissingNodeExplainsPreFilter() {
        let cache = Fixtures.cache(nodes: [Fixtures.node("a"), Fixtures.node("b")])
        let pod = SchedulingPod(Fixtures.pod("f", spec: ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            "nodeSelectorTerms": [["matchFields": [["key": "metadata.name", "operator": "In", "values": ["gone"]]]]]]]]]))
        var algorithm = SchedulingAlgorithm(framework: .defaultProfile(), random: SplitMix64(seed: 1))
        guard case .unfit(let fitError, _) = algorithm.schedule(pod, cache: cache, nominator: Nominator()) else {
            Issue.record("expected no fit")
            return
        }
        #expect(fitError.message == "0/2 nodes are available: 2 node(s) didn't satisfy plugin(s) [NodeAffinity].")
    }
}
