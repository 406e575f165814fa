import ApusControllerLoops
import ApusMachinery
import Testing

@Suite struct DaemonSetNodeEligibilityTests {
    typealias Verdict = DaemonSetNodeEligibility.Verdict
    let runs = Verdict(shouldRun: true, shouldContinueRunning: true)
    let stays = Verdict(shouldRun: false, shouldContinueRunning: true)
    let never = Verdict(shouldRun: false, shouldContinueRunning: false)

    private func daemonSet(_ edit: (inout JSON) -> Void = { _ in }) -> JSON {
        var spec = SetsFixtures.daemonSet()["spec"]["template"]["spec"]
        edit(&spec)
        var daemonSet = SetsFixtures.daemonSet()
        daemonSet[path: ["spec", "template", "spec"]] = spec
        return daemonSet
    }

    private func verdict(_ node: JSON, _ daemonSet: JSON) -> Verdict {
        DaemonSetNodeEligibility.evaluate(node: node, daemonSet: daemonSet)
    }

    @Test func taintsAgainstTolerations() {
        let plain = daemonSet()
        #expect(verdict(SetsFixtures.node("n"), plain) == runs)
        // Untolerated NoSchedule: no new pod, but a running one may stay. NoExecute: it must go.
        #expect(verdict(SetsFixtures.node("n", taints: [SetsFixtures.taint("gpu", "NoSchedule")]), plain) == stays)
        #expect(verdict(SetsFixtures.node("n", taints: [SetsFixtures.taint("gpu", "NoExecute")]), plain) == never)
        // PreferNoSchedule does not keep daemons off.
        #expect(verdict(SetsFixtures.node("n", taints: [SetsFixtures.taint("gpu", "PreferNoSchedule")]), plain) == runs)
        // The default daemon tolerations cover node conditions.
        for key in ["node.kubernetes.io/unschedulable", "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
                    "node.kubernetes.io/pid-pressure"] {
            #expect(verdict(SetsFixtures.node("n", taints: [SetsFixtures.taint(key, "NoSchedule")]), plain) == runs)
        }
        #expect(verdict(SetsFixtures.node("n", taints: [SetsFixtures.taint("node.kubernetes.io/not-ready", "NoExecute")]), plain) == runs)
        #expect(verdict(SetsFixtures.node("n", taints: [SetsFixtures.taint("node.kubernetes.io/unreachable", "NoExecute")]), plain) == runs)
        let networkDown = SetsFixtures.node("n", taints: [SetsFixtures.taint("node.kubernetes.io/network-unavailable", "NoSchedule")])
        #expect(verdict(networkDown, plain) == stays)
        #expect(verdict(networkDown, daemonSet { $0["hostNetwork"] = true }) == runs)

        let tolerant = daemonSet { $0["tolerations"] = [["key": "gpu", "operator": "Equal", "value": "yes", "effect": "NoSchedule"]] }
        #expect(verdict(SetsFixtures.node("n", taints: [SetsFixtures.taint("gpu", "NoSchedule", value: "yes")]), tolerant) == runs)
        #expect(verdict(SetsFixtures.node("n", taints: [SetsFixtures.taint("gpu", "NoSchedule", value: "no")]), tolerant) == stays)
        let everything = daemonSet { $0["tolerations"] = [["operator": "Exists"]] }
        #expect(verdict(SetsFixtures.node("n", taints: [SetsFixtures.taint("any", "NoExecute")]), everything) == runs)
    }

    @Test func nodeSelectorAndRequiredAffinity() {
        let edge = daemonSet { $0["nodeSelector"] = ["role": "edge"] }
        #expect(verdict(SetsFixtures.node("n", labels: ["role": "edge"]), edge) == runs)
        #expect(verdict(SetsFixtures.node("n", labels: ["role": "core"]), edge) == never)

        let affinity = daemonSet { spec in
            spec["affinity"] = ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
                ["matchExpressions": [["key": "zone", "operator": "In", "values": ["a", "b"]],
                                      ["key": "cpus", "operator": "Gt", "values": ["4"]]]],
                ["matchFields": [["key": "metadata.name", "operator": "In", "values": ["special"]]]],
            ]]]]
        }
        #expect(verdict(SetsFixtures.node("n", labels: ["zone": "a", "cpus": "8"]), affinity) == runs)
        #expect(verdict(SetsFixtures.node("n", labels: ["zone": "a", "cpus": "2"]), affinity) == never)
        #expect(verdict(SetsFixtures.node("n", labels: ["zone": "c", "cpus": "8"]), affinity) == never)
        #expect(verdict(SetsFixtures.node("special"), affinity) == runs)

        let notIn = daemonSet { spec in
            spec["affinity"] = ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
                ["matchExpressions": [["key": "zone", "operator": "NotIn", "values": ["a"]],
                                      ["key": "spot", "operator": "DoesNotExist"]]],
            ]]]]
        }
        #expect(verdict(SetsFixtures.node("n"), notIn) == runs)
        #expect(verdict(SetsFixtures.node("n", labels: ["spot": "true"]), notIn) == never)
        // An empty term matches nothing.
        let empty = daemonSet { $0["affinity"] = ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [[:]]]]] }
        #expect(verdict(SetsFixtures.node("n"), empty) == never)
    }

    @Test func templateNodeNameNamesTheOnlyNode() {
        let pinned = daemonSet { $0["nodeName"] = "n1" }
        #expect(verdict(SetsFixtures.node("n1"), pinned) == runs)
        #expect(verdict(SetsFixtures.node("n2"), pinned) == never)
    }

    @Test func defaultTolerationsReplaceMatchingOnes() {
        let spec: JSON = ["tolerations": [["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                                           "tolerationSeconds": 300],
                                          ["key": "custom", "operator": "Exists"]]]
        let tolerations = DaemonSetNodeEligibility.withDaemonTolerations(spec)["tolerations"].array ?? []
        #expect(tolerations.count == 7)
        #expect(tolerations[0] == ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"])
        #expect(tolerations[1] == ["key": "custom", "operator": "Exists"])
    }
}
