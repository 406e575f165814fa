import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite struct SchedulerFlowTests {
    @Test func bindsAndRecordsScheduled() async throws {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("n1")])
        await harness.addPods([Fixtures.pod("web", cpu: "100m")])
        #expect(await harness.scheduleAll() == 1)
        let calls = await harness.cluster.calls
        let binding = try #require(calls.first { $0.subresource == "binding" })
        #expect(binding.description == "create pods/binding default/web")
        #expect(binding.body["target"] == ["kind": "Node", "name": "n1"])
        #expect(binding.body["metadata"]["uid"] == "uid-default-web")
        #expect(await harness.eventLines() == ["Normal Scheduled default/web: Successfully assigned default/web to n1"])
    }

    @Test func failedSchedulingMessageForThreeNodesWithoutCPU() async throws {
        let harness = SchedulerHarness()
        let nodes = ["n1", "n2", "n3"].map { Fixtures.node($0, cpu: "2") }
        await harness.addNodes(nodes)
        await harness.addPods(["n1", "n2", "n3"].map { Fixtures.pod("busy-\($0)", cpu: "1500m", nodeName: $0) })
        await harness.addPods([Fixtures.pod("big", cpu: "1")])
        await harness.scheduleAll()

        let message = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
        #expect(await harness.eventLines() == ["Warning FailedScheduling default/big: " + message])
        let pod = try #require(await harness.cluster.object(.pods, "default/big"))
        let condition = try #require(PodState.condition(pod, "PodScheduled"))
        #expect(condition["status"] == "False")
        #expect(condition["reason"] == "Unschedulable")
        #expect(condition["message"] == .string(message))
        #expect(await harness.scheduler.pendingPodCounts().unschedulable == 1)
    }

    @Test func reasonsAreCountedAndSorted() async {
        let harness = SchedulerHarness()
        await harness.addNodes([
            Fixtures.node("small", cpu: "500m"),
            Fixtures.node("tainted", taints: [Fixtures.taint("dedicated", "infra")]),
            Fixtures.node("full", pods: 0),
            Fixtures.node("cordoned", unschedulable: true),
        ])
        await harness.addPods([Fixtures.pod("p", cpu: "1", priority: 0)])
        await harness.scheduleAll()
        let messages = await harness.events.events.map(\.message)
        #expect(messages == ["0/4 nodes are available: 1 Insufficient cpu, 1 Too many pods, 1 node(s) had untolerated taint {dedicated: infra}, "
                + "1 node(s) were unschedulable. preemption: 0/4 nodes are available: 2 No preemption victims found for incoming pod, "
                + "2 Preemption is not helpful for scheduling."])
    }

    @Test func noNodesMessage() async {
        let harness = SchedulerHarness()
        await harness.addPods([Fixtures.pod("p")])
        await harness.scheduleAll()
        #expect(await harness.events.events.map(\.message) == ["no nodes available to schedule pods"])
        // Without a rejecting plugin the pod backs off instead of waiting for an event.
        #expect(await harness.scheduler.pendingPodCounts().backoff == 1)
    }

    @Test func unschedulablePodMovesToActiveWhenANodeIsAdded() async {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("small", cpu: "1")])
        await harness.addPods([Fixtures.pod("p", cpu: "2")])
        await harness.scheduleAll()
        #expect(await harness.scheduler.pendingPodCounts().unschedulable == 1)
        // Nothing new: a heartbeat-style update of the same node changes nothing relevant.
        await harness.scheduler.nodeChanged(old: Fixtures.node("small", cpu: "1"), new: Fixtures.node("small", cpu: "1"))
        #expect(await harness.scheduler.pendingPodCounts().unschedulable == 1)

        harness.clock.advance(by: 5)  // past the first back-off (1 s)
        await harness.addNodes([Fixtures.node("big", cpu: "4")])
        let counts = await harness.scheduler.pendingPodCounts()
        #expect(counts.unschedulable == 0)
        #expect(counts.active == 1)
        await harness.scheduleAll()
        #expect(await harness.placements()["p"] == "big")
    }

    @Test func movedPodStillBacksOffAfterRecentFailure() async {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("small", cpu: "1")])
        await harness.addPods([Fixtures.pod("p", cpu: "2")])
        await harness.scheduleAll()
        await harness.addNodes([Fixtures.node("big", cpu: "4")])
        // Moved right after failing: it waits out its back-off first.
        #expect(await harness.scheduler.pendingPodCounts().backoff == 1)
        #expect(await harness.scheduler.scheduleOne() == false)
    }

    @Test func backoffTimingWithManualClock() async {
        let harness = SchedulerHarness()
        let start = harness.clock.now()
        await harness.addNodes([Fixtures.node("small", cpu: "1")])
        await harness.addPods([Fixtures.pod("p", cpu: "2")])
        var expected = [1.0, 2, 4, 8, 10, 10]
        var failedAt = start
        for attempt in 1...6 {
            await harness.scheduleAll()
            failedAt = harness.clock.now()
            // A node label change helps NodeResourcesFit rejections: the pod moves into back-off.
            await harness.scheduler.nodeChanged(old: nil, new: Fixtures.node("small", cpu: "1", labels: ["attempt": "\(attempt)"]))
            let backoff = expected.removeFirst()
            #expect(await harness.scheduler.nextBackoffExpiry() == failedAt + backoff, "attempt \(attempt)")
            harness.clock.advance(by: backoff - 0.5)
            await harness.scheduler.flushQueues()
            #expect(await harness.scheduler.scheduleOne() == false, "still backing off after attempt \(attempt)")
            harness.clock.advance(by: 0.5)
            await harness.scheduler.flushQueues()
            #expect(await harness.scheduler.pendingPodCounts().active == 1, "back-off over after attempt \(attempt)")
        }
        #expect(BackoffPolicy().duration(attempts: 0) == 0)
        #expect(BackoffPolicy().duration(attempts: 3) == 4)
    }

    @Test func unschedulablePodsAreFlushedAfterFiveMinutes() async {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("small", cpu: "1")])
        await harness.addPods([Fixtures.pod("p", cpu: "2")])
        await harness.scheduleAll()
        #expect(await harness.scheduler.nextFlushTime() == harness.clock.now() + 300)
        harness.clock.advance(by: 299)
        await harness.scheduler.flushQueues()
        #expect(await harness.scheduler.pendingPodCounts().unschedulable == 1)
        harness.clock.advance(by: 2)
        await harness.scheduler.flushQueues()
        #expect(await harness.scheduler.pendingPodCounts().active == 1)
    }

    @Test func assignedPodDeletionRetriesResourceRejections() async {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("n1", cpu: "2")])
        let blocker = Fixtures.pod("blocker", cpu: "2", nodeName: "n1")
        await harness.addPods([blocker, Fixtures.pod("p", cpu: "1")])
        await harness.scheduleAll()
        #expect(await harness.scheduler.pendingPodCounts().unschedulable == 1)
        harness.clock.advance(by: 2)
        await harness.scheduler.podChanged(old: blocker, new: nil)
        #expect(await harness.scheduler.pendingPodCounts().active == 1)
        await harness.scheduleAll()
        #expect(await harness.placements()["p"] == "n1")
    }

    @Test func threeReplicasSpreadOverThreeNodes() async {
        let harness = SchedulerHarness(seed: 9)
        await harness.addNodes(["n1", "n2", "n3"].map { Fixtures.node($0, cpu: "8", memory: "16Gi") })
        // Best-effort replicas: only spreading (and the 100m/200Mi scoring defaults) tell the nodes apart.
        for index in 1...3 {
            await harness.addPods([Fixtures.pod("web-\(index)", labels: ["app": "web"], controller: "web")])
            await harness.scheduleAll()
            await harness.syncPodsFromCluster()
        }
        let placements = await harness.placements()
        #expect(Set(placements.values) == ["n1", "n2", "n3"])
    }

    @Test func bindFailureForgetsTheAssumedPodAndBacksOff() async throws {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("n1", cpu: "1")])
        await harness.addPods([Fixtures.pod("p", cpu: "800m")])
        await harness.cluster.failNext("create", .pods, with: .api(.conflict(GroupResource(group: "", resource: "pods"), name: "p")))
        await harness.scheduleAll()
        let events = await harness.events.events
        #expect(events.count == 1)
        #expect(events.first?.reason == "FailedScheduling")
        #expect(events.first?.message.hasPrefix("running Bind plugin \"DefaultBinder\": ") == true)
        #expect(await harness.scheduler.pendingPodCounts().backoff == 1)
        let pod = try #require(await harness.cluster.object(.pods, "default/p"))
        #expect(PodState.condition(pod, "PodScheduled")?["reason"] == "SchedulerError")

        // The node's cpu was released: after the back-off the pod binds.
        harness.clock.advance(by: 1)
        await harness.scheduler.flushQueues()
        await harness.scheduleAll()
        #expect(await harness.placements()["p"] == "n1")
    }

    @Test func assumedPodsHoldResourcesUntilConfirmed() async {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("n1", cpu: "1"), Fixtures.node("n2", cpu: "1")])
        await harness.addPods([Fixtures.pod("a", cpu: "800m"), Fixtures.pod("b", cpu: "800m")])
        await harness.scheduleAll()
        let placements = await harness.placements()
        #expect(placements.count == 2)
        #expect(placements["a"] != placements["b"])
    }

    @Test func onlyOwnSchedulerNameAndLivePodsAreQueued() async {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("n1")])
        var other = Fixtures.pod("other")
        other[path: ["spec", "schedulerName"]] = "my-scheduler"
        var unnamed = Fixtures.pod("unnamed")
        unnamed[path: ["spec", "schedulerName"]] = .null
        var deleting = Fixtures.pod("deleting")
        deleting[path: ["metadata", "deletionTimestamp"]] = "2026-01-01T00:00:00Z"
        let gated = Fixtures.pod("gated", spec: ["schedulingGates": [["name": "wait"]]])
        await harness.addPods([other, unnamed, deleting, gated])
        await harness.scheduleAll()
        #expect(await harness.placements() == ["unnamed": "n1"])
        // Removing the gate queues the pod.
        await harness.scheduler.podChanged(old: gated, new: Fixtures.pod("gated"))
        await harness.scheduleAll()
        #expect(await harness.placements()["gated"] == "n1")
    }

    @Test func priorityComesFromThePriorityClassWhenMissing() async {
        let harness = SchedulerHarness()
        await harness.scheduler.priorityClassChanged(old: nil, new: [
            "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": "high"], "value": 1000])
        await harness.scheduler.priorityClassChanged(old: nil, new: [
            "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": "default"], "value": 5,
            "globalDefault": true, "preemptionPolicy": "Never"])
        var classes = PriorityClasses()
        classes.apply(old: nil, new: ["metadata": ["name": "high"], "value": 1000])
        classes.apply(old: nil, new: ["metadata": ["name": "default"], "value": 5, "globalDefault": true, "preemptionPolicy": "Never"])
        let named = SchedulingPod(Fixtures.pod("a", spec: ["priorityClassName": "high"]), priorityClasses: classes)
        #expect(named.priority == 1000 && named.preemptsLowerPriority)
        let defaulted = SchedulingPod(Fixtures.pod("b"), priorityClasses: classes)
        #expect(defaulted.priority == 5 && !defaulted.preemptsLowerPriority)
        let explicit = SchedulingPod(Fixtures.pod("c", priority: 7, spec: ["priorityClassName": "high"]), priorityClasses: classes)
        #expect(explicit.priority == 7)

        // Higher priority is scheduled first.
        await harness.addNodes([Fixtures.node("n1", cpu: "1")])
        await harness.addPods([Fixtures.pod("low", cpu: "800m"), Fixtures.pod("high", cpu: "800m", spec: ["priorityClassName": "high"])])
        await harness.scheduleAll()
        #expect(await harness.placements() == ["high": "n1"])
    }
}
