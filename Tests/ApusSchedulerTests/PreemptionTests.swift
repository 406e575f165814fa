import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite struct PreemptionTests {
    @Test func preemptsTheLowestPriorityVictimsAndNominates() async throws {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("n1", cpu: "4"), Fixtures.node("n2", cpu: "4")])
        await harness.addPods([
            // n1: a priority-100 pod would have to go.
            Fixtures.pod("n1-mid", cpu: "2", priority: 100, nodeName: "n1"),
            Fixtures.pod("n1-low", cpu: "2", priority: 1, nodeName: "n1"),
            // n2: two priority-1 pods, of which one is enough.
            Fixtures.pod("n2-low-a", cpu: "2", priority: 1, nodeName: "n2"),
            Fixtures.pod("n2-low-b", cpu: "2", priority: 1, nodeName: "n2"),
        ])
        await harness.addPods([Fixtures.pod("urgent", cpu: "2", priority: 1000)])
        await harness.scheduleAll()

        let calls = await harness.cluster.calls
        let deletions = calls.filter { $0.verb == "delete" }.map(\.name)
        #expect(deletions.count == 1)
        let victim = try #require(deletions.first)
        // n1 costs priority 1 too, but n2 and n1 tie on highest victim priority (1) and the sum;
        // either way only one priority-1 pod is removed, never the priority-100 one.
        #expect(victim != "n1-mid")
        let victimNode = victim.hasPrefix("n1") ? "n1" : "n2"

        let events = await harness.events.events
        let preempted = try #require(events.first { $0.reason == "Preempted" })
        #expect(preempted.object == "default/\(victim)")
        #expect(preempted.type == "Normal")
        #expect(preempted.message == "Preempted by pod uid-default-urgent on node \(victimNode)")
        let failed = try #require(events.first { $0.reason == "FailedScheduling" })
        #expect(failed.message == "0/2 nodes are available: 2 Insufficient cpu.")

        let urgent = try #require(await harness.cluster.object(.pods, "default/urgent"))
        #expect(urgent["status"]["nominatedNodeName"] == .string(victimNode))
        let patchedVictim = calls.first { $0.verb == "patch" && $0.name == victim }
        #expect(patchedVictim?.body["status"]["conditions"][0]["reason"] == "PreemptionByScheduler")

        // The victim goes away: the preemptor lands on its nominated node.
        let victimPod = Fixtures.pod(victim, cpu: "2", priority: 1, nodeName: victimNode)
        harness.clock.advance(by: 2)
        await harness.scheduler.podChanged(old: victimPod, new: nil)
        await harness.scheduleAll()
        #expect(await harness.placements()["urgent"] == victimNode)
    }

    @Test func choosesTheNodeWithTheLowestPriorityVictims() async throws {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("n1", cpu: "2"), Fixtures.node("n2", cpu: "2"), Fixtures.node("n3", cpu: "2")])
        await harness.addPods([
            Fixtures.pod("p50", cpu: "2", priority: 50, nodeName: "n1"),
            Fixtures.pod("p10", cpu: "2", priority: 10, nodeName: "n2"),
            Fixtures.pod("p30", cpu: "2", priority: 30, nodeName: "n3"),
        ])
        await harness.addPods([Fixtures.pod("urgent", cpu: "1", priority: 100)])
        await harness.scheduleAll()
        #expect(await harness.cluster.calls.filter { $0.verb == "delete" }.map(\.name) == ["p10"])
        #expect(await harness.cluster.object(.pods, "default/urgent")?["status"]["nominatedNodeName"] == "n2")
    }

    @Test func reprievesAsManyVictimsAsPossible() throws {
        let cache = Fixtures.cache(nodes: [Fixtures.node("n1", cpu: "4")], pods: [
            Fixtures.pod("a", cpu: "1", priority: 5, nodeName: "n1"),
            Fixtures.pod("b", cpu: "1", priority: 1, nodeName: "n1"),
            Fixtures.pod("c", cpu: "2", priority: 3, nodeName: "n1"),
        ])
        let framework = SchedulingFramework.defaultProfile()
        let pod = SchedulingPod(Fixtures.pod("urgent", cpu: "2", priority: 10))
        var state = framework.newCycleState(cache: cache)
        _ = framework.runPreFilter(&state, pod: pod, cache: cache)
        let preemption = DefaultPreemption(framework: framework)
        guard case .success(let victims) = preemption.selectVictims(pod, state: state, node: try #require(cache.nodeInfo("n1")).clone(),
                                                                   nominator: Nominator(), now: 0) else {
            Issue.record("expected victims")
            return
        }
        // Reprieved from the most important: a (5) fits back, c (3) does not, b (1) does.
        #expect(victims.map(\.name) == ["c"])
    }

    @Test func preemptionPolicyNever() async {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("n1", cpu: "1")])
        await harness.addPods([Fixtures.pod("low", cpu: "1", priority: 0, nodeName: "n1"),
                               Fixtures.pod("polite", cpu: "1", priority: 100, spec: ["preemptionPolicy": "Never"])])
        await harness.scheduleAll()
        #expect(await harness.events.events.map(\.message)
            == ["0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."])
        #expect(await harness.cluster.calls.filter { $0.verb == "delete" }.isEmpty)
    }

    @Test func nominatedPodsReserveRoomForThemselves() async {
        let harness = SchedulerHarness()
        await harness.addNodes([Fixtures.node("n1", cpu: "2")])
        // A high-priority pod already nominated to n1 (as after a preemption) keeps its room.
        var nominated = Fixtures.pod("nominated", cpu: "2", priority: 100)
        nominated[path: ["status", "nominatedNodeName"]] = "n1"
        nominated[path: ["spec", "schedulerName"]] = "someone-else"
        // It belongs to another scheduler: this scheduler does not track its nomination.
        await harness.addPods([nominated, Fixtures.pod("low", cpu: "1", priority: 0)])
        await harness.scheduleAll()
        #expect(await harness.placements()["low"] == "n1")

        let second = SchedulerHarness()
        await second.addNodes([Fixtures.node("n1", cpu: "2")])
        var ours = Fixtures.pod("nominated", cpu: "2", priority: 100)
        ours[path: ["status", "nominatedNodeName"]] = "n1"
        ours[path: ["spec", "schedulingGates"]] = [["name": "hold"]]
        await second.addPods([ours, Fixtures.pod("low", cpu: "1", priority: 0)])
        await second.scheduleAll()
        #expect(await second.placements()["low"] == nil)
        #expect(await second.events.events.first?.message.hasPrefix("0/1 nodes are available: 1 Insufficient cpu.") == true)
    }
}
