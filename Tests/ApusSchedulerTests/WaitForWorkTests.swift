import ApusMachinery
import Testing
@testable import ApusScheduler

@Suite(.timeLimit(.minutes(1))) struct WaitForWorkTests {
    @Test func returnsAtOnceWithActivePods() async {
        let harness = SchedulerHarness()
        await harness.addPods([Fixtures.pod("p")])
        await harness.scheduler.waitForWork()
        #expect(await harness.scheduler.scheduleOne())
    }

    @Test func wakesWhenAPodArrives() async {
        let harness = SchedulerHarness()
        let waiting = Task { await harness.scheduler.waitForWork() }
        await Task.yield()
        await harness.addPods([Fixtures.pod("p")])
        await waiting.value
        #expect(await harness.scheduler.pendingPodCounts().active == 1)
    }

    @Test func returnsWhenCancelled() async {
        let harness = SchedulerHarness()
        let waiting = Task { await harness.scheduler.waitForWork() }
        await Task.yield()
        waiting.cancel()
        await waiting.value
    }
}
