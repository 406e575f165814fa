import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite struct SchedulingQueueTests {
    func pod(_ name: String, priority: Int64 = 0) -> SchedulingPod { SchedulingPod(Fixtures.pod(name, priority: priority)) }

    @Test func activeOrderIsPriorityThenArrival() {
        var queue = SchedulingQueue()
        queue.add(pod("late-low"), now: 3)
        queue.add(pod("early-low"), now: 1)
        queue.add(pod("high", priority: 10), now: 5)
        #expect(queue.hasActivePods)
        #expect([queue.pop(), queue.pop(), queue.pop()].map { $0?.pod.name } == ["high", "early-low", "late-low"])
        #expect(!queue.hasActivePods)
        #expect(queue.pop() == nil)
    }

    @Test func eventsDuringAnAttemptSendTheFailedPodToBackoff() {
        var queue = SchedulingQueue()
        let fitRejected = pod("fit")
        let affinityRejected = pod("affinity")
        queue.add(fitRejected, now: 0)
        queue.add(affinityRejected, now: 0)
        _ = queue.pop()
        _ = queue.pop()
        // A pod was deleted while both were being scheduled: only resource rejections may be helped.
        queue.moveAll(for: [.assignedPodDelete], now: 0)
        queue.requeue(fitRejected, rejectedBy: ["NodeResourcesFit"], now: 0)
        queue.requeue(affinityRejected, rejectedBy: ["NodeAffinity"], now: 0)
        #expect(queue.location(of: fitRejected.uid) == .backoff)
        #expect(queue.location(of: affinityRejected.uid) == .unschedulable)
        // A label change of a node may help the node-affinity rejection.
        queue.moveAll(for: [.nodeLabelChange], now: 0)
        #expect(queue.location(of: affinityRejected.uid) == .backoff)
    }

    @Test func specUpdatesRetryUnschedulablePodsButStatusUpdatesDoNot() {
        var queue = SchedulingQueue()
        let original = pod("p")
        queue.add(original, now: 0)
        _ = queue.pop()
        queue.requeue(original, rejectedBy: ["NodeAffinity"], now: 0)
        var statusOnly = original.object
        statusOnly[path: ["status", "conditions"]] = [["type": "PodScheduled", "status": "False"]]
        statusOnly[path: ["metadata", "resourceVersion"]] = "99"
        queue.update(SchedulingPod(statusOnly), now: 1)
        #expect(queue.location(of: original.uid) == .unschedulable)
        var relabeled = original.object
        relabeled[path: ["metadata", "labels"]] = ["tier": "web"]
        queue.update(SchedulingPod(relabeled), now: 5)
        #expect(queue.location(of: original.uid) == .active)
    }

    @Test func deletedPodsLeaveEveryQueue() {
        var queue = SchedulingQueue()
        let gone = pod("gone")
        queue.add(gone, now: 0)
        queue.delete(uid: gone.uid)
        #expect(queue.pop() == nil)
        #expect(!queue.hasActivePods)
    }
}
