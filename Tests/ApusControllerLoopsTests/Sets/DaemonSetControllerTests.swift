import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct DaemonSetControllerTests {
    let h = SetsHarness()
    let loop: DaemonSetController

    init() { loop = DaemonSetController(context: h.context) }

    private func seedNodes() async {
        await h.seed(.nodes, [
            SetsFixtures.node("n1"),
            SetsFixtures.node("n2"),
            SetsFixtures.node("tainted", taints: [SetsFixtures.taint("dedicated", "NoSchedule", value: "db")]),
            SetsFixtures.node("cordoned", taints: [SetsFixtures.taint("node.kubernetes.io/unschedulable", "NoSchedule")]),
        ])
    }

    private func nodeOf(_ pod: JSON) -> String? {
        pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]["matchFields"][0]["values"][0].string
    }

    @Test func createsOnePodPerEligibleNode() async throws {
        await seedNodes()
        await h.seed(.daemonSets, [SetsFixtures.daemonSet()])
        #expect(await h.sync(loop, "default/agent") == .done)

        let pods = await h.pods()
        #expect(Set(pods.compactMap(nodeOf)) == ["n1", "n2", "cordoned"])
        let revision = try #require(await h.revisions().first)
        let hash = try #require(revision["metadata"]["labels"]["controller-revision-hash"].string)
        #expect(revision["metadata"]["name"].string == "agent-\(hash)")
        #expect(revision["revision"] == 1)
        #expect(revision["data"]["spec"]["template"]["$patch"] == "replace")
        #expect(revision["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet")

        let pod = pods[0]
        #expect(pod["metadata"]["generateName"] == "agent-")
        #expect(pod["metadata"]["labels"]["controller-revision-hash"].string == hash)
        #expect(pod["metadata"]["labels"]["pod-template-generation"] == "1")
        #expect(pod["metadata"]["ownerReferences"][0]["uid"] == "uid-agent")
        let tolerations = pod["spec"]["tolerations"].array ?? []
        #expect(tolerations.contains(["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"]))
        #expect(tolerations.contains(["key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"]))
        #expect(!tolerations.contains { $0["key"] == "node.kubernetes.io/network-unavailable" })
        #expect(await h.messages("SuccessfulCreate").count == 3)
        #expect(await h.messages("SuccessfulCreate").allSatisfy { $0.hasPrefix("Created pod: agent-") })

        let status = try #require(await h.cluster.object(.daemonSets, "default/agent"))["status"]
        #expect(status["desiredNumberScheduled"] == 3)
        #expect(status["currentNumberScheduled"] == 3)
        #expect(status["numberReady"] == 0)
        #expect(status["updatedNumberScheduled"] == 3)
        #expect(status["numberUnavailable"] == 3)
        #expect(status["observedGeneration"] == 1)

        // Nothing more to do once the pods are seen.
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        #expect(await h.calls("create", .pods).isEmpty)
    }

    @Test func waitsForExpectedCreationsToBeObserved() async throws {
        await h.seed(.nodes, [SetsFixtures.node("n1"), SetsFixtures.node("n2")])
        await h.seed(.daemonSets, [SetsFixtures.daemonSet()])
        // A sync whose creations the informer has not delivered yet.
        #expect(await loop.sync("default/agent") == .done)
        let first = try #require(await h.pods().first)
        try await h.cluster.delete(.pods, namespace: "default", name: first["metadata"]["name"].string ?? "")
        await h.cluster.forgetCalls()

        let result = await loop.sync("default/agent")
        #expect(await h.calls("create", .pods).isEmpty)
        guard case .requeue(let after) = result else { Issue.record("expected a requeue, got \(result)"); return }
        #expect(after > 290 && after <= 300)

        // The informer reports both creations: the missing pod is made again.
        for watch in loop.watches where watch.resource == .pods {
            for pod in await h.pods() { _ = await watch.keys(nil, pod) }
            _ = await watch.keys(nil, first)
        }
        _ = await loop.sync("default/agent")
        #expect(await h.calls("create", .pods).count == 1)

        // Expectations also lapse after five minutes.
        try await h.cluster.delete(.pods, namespace: "default", name: (await h.pods().first?["metadata"]["name"].string) ?? "")
        await h.cluster.forgetCalls()
        _ = await loop.sync("default/agent")
        #expect(await h.calls("create", .pods).isEmpty)
        h.clock.advance(by: 301)
        _ = await loop.sync("default/agent")
        #expect(await h.calls("create", .pods).count == 1)
    }

    @Test func newNodeGetsAPodAndLeavingNodesLoseTheirs() async throws {
        await h.seed(.nodes, [SetsFixtures.node("n1", labels: ["role": "edge"]), SetsFixtures.node("n2", labels: ["role": "edge"])])
        var daemonSet = SetsFixtures.daemonSet()
        daemonSet[path: ["spec", "template", "spec", "nodeSelector"]] = ["role": "edge"]
        await h.seed(.daemonSets, [daemonSet])
        _ = await h.sync(loop, "default/agent")
        #expect(await h.pods().count == 2)

        // A new node wakes the set through the node watch.
        let n3 = SetsFixtures.node("n3", labels: ["role": "edge"])
        let nodeWatch = try #require(loop.watches.first { $0.resource == .nodes })
        #expect(await nodeWatch.keys(nil, n3) == ["default/agent"])
        #expect(await nodeWatch.keys(nil, SetsFixtures.node("other")) == [])
        await h.seed(.nodes, [n3])
        _ = await h.sync(loop, "default/agent")
        #expect(Set(await h.pods().compactMap(nodeOf)) == ["n1", "n2", "n3"])

        // n1 no longer matches the node selector, n2 gets an untolerated NoExecute taint: both lose their pod.
        let before = try #require(await h.cluster.object(.nodes, "n1"))
        await h.change(.nodes, "n1") { $0[path: ["metadata", "labels", "role"]] = "core" }
        #expect(await nodeWatch.keys(before, await h.cluster.object(.nodes, "n1")) == ["default/agent"])
        await h.change(.nodes, "n2") { $0[path: ["spec", "taints"]] = [SetsFixtures.taint("maintenance", "NoExecute")] }
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        #expect(await h.calls("delete", .pods).count == 2)
        #expect(Set(await h.pods().compactMap(nodeOf)) == ["n3"])
        #expect(await h.messages("SuccessfulDelete").count == 2)
        #expect(await h.messages("SuccessfulDelete").allSatisfy { $0.hasPrefix("Deleted pod: agent-") })

        // A NoSchedule taint keeps new pods off, but a running pod stays.
        await h.change(.nodes, "n3") { $0[path: ["spec", "taints"]] = [SetsFixtures.taint("maintenance", "NoSchedule")] }
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        #expect(await h.calls("delete", .pods).isEmpty)
        let status = try #require(await h.cluster.object(.daemonSets, "default/agent"))["status"]
        #expect(status["desiredNumberScheduled"] == 0)
        #expect(status["numberMisscheduled"] == 1)
    }

    @Test func failedPodsAreReplacedWithBackOff() async throws {
        await h.seed(.nodes, [SetsFixtures.node("n1")])
        await h.seed(.daemonSets, [SetsFixtures.daemonSet()])
        _ = await h.sync(loop, "default/agent")
        var pod = try #require(await h.pods().first)
        let podName = pod["metadata"]["name"].string ?? ""
        await h.change(.pods, "default/\(podName)") { $0[path: ["status", "phase"]] = "Failed" }

        _ = await h.sync(loop, "default/agent")
        #expect(await h.messages("FailedDaemonPod") == ["Found failed daemon pod default/\(podName) on node n1, will try to kill it"])
        #expect(await h.pods().isEmpty)
        _ = await h.sync(loop, "default/agent")
        pod = try #require(await h.pods().first)
        let second = pod["metadata"]["name"].string ?? ""
        #expect(second != podName)

        // Failing again at once: the next deletion waits out the back-off.
        await h.change(.pods, "default/\(second)") { $0[path: ["status", "phase"]] = "Failed" }
        await h.cluster.forgetCalls()
        #expect(await h.sync(loop, "default/agent") == .requeue(after: 1))
        #expect(await h.calls("delete", .pods).isEmpty)
        h.clock.advance(by: 1.5)
        _ = await h.sync(loop, "default/agent")
        #expect(await h.calls("delete", .pods).count == 1)
    }

    @Test func rejectsASelectorThatSelectsEverything() async {
        var daemonSet = SetsFixtures.daemonSet()
        daemonSet[path: ["spec", "selector"]] = .emptyObject
        await h.seed(.nodes, [SetsFixtures.node("n1")])
        await h.seed(.daemonSets, [daemonSet])
        #expect(await h.sync(loop, "default/agent") == .done)
        #expect(await h.pods().isEmpty)
        #expect(await h.messages("SelectingAll") == ["This daemon set is selecting all pods. A non-empty selector is required."])
    }

    @Test func adoptsMatchingOrphans() async throws {
        await h.seed(.nodes, [SetsFixtures.node("n1")])
        // OnDelete: a rolling update would replace the adopted pod, which lacks the revision label.
        await h.seed(.daemonSets, [SetsFixtures.daemonSet(strategy: "OnDelete")])
        await h.seed(.pods, [["apiVersion": "v1", "kind": "Pod",
                              "metadata": ["name": "stray", "namespace": "default", "labels": ["app": "agent"]],
                              "spec": ["nodeName": "n1"], "status": ["phase": "Running"]]])
        _ = await h.sync(loop, "default/agent")
        let stray = try #require(await h.cluster.object(.pods, "default/stray"))
        #expect(stray["metadata"]["ownerReferences"][0]["uid"] == "uid-agent")
        #expect(await h.calls("create", .pods).isEmpty)
    }
}
