import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct TTLAfterFinishedControllerTests {
    private func finishedJob(_ h: BatchHarness, type: String = "Complete", ttl: Int64? = 100, finishedAt: Double) -> JSON {
        makeBatchJob { job in
            if let ttl { job[path: ["spec", "ttlSecondsAfterFinished"]] = .int(ttl) }
            job[path: ["status", "conditions"]] = [["type": .string(type), "status": "True",
                                                    "lastTransitionTime": .string(Timestamp.rfc3339(finishedAt))]]
        }
    }

    @Test func deletesAFinishedJobOnceItsTTLHasPassed() async throws {
        let h = BatchHarness()
        let controller = TTLAfterFinishedController(context: h.context)
        await h.cluster.seed(.jobs, [finishedJob(h, finishedAt: h.now)])
        h.clock.advance(by: 40)
        #expect(await controller.sync("default/pi") == .requeue(after: 60))
        #expect(await h.cluster.object(.jobs, "default/pi") != nil)

        h.clock.advance(by: 60)
        #expect(await controller.sync("default/pi") == .done)
        #expect(await h.cluster.object(.jobs, "default/pi") == nil)
        let delete = try #require(await h.cluster.calls.first { $0.verb == "delete" })
        #expect(delete.body["propagationPolicy"] == "Foreground")
        #expect(delete.body["preconditions"]["uid"] == "job-uid-1")
    }

    @Test func failedJobsExpireToo() async throws {
        let h = BatchHarness()
        let controller = TTLAfterFinishedController(context: h.context)
        await h.cluster.seed(.jobs, [finishedJob(h, type: "Failed", ttl: 0, finishedAt: h.now)])
        #expect(await controller.sync("default/pi") == .done)
        #expect(await h.cluster.object(.jobs, "default/pi") == nil)
    }

    @Test func leavesUnfinishedAndTTLlessJobsAlone() async throws {
        let h = BatchHarness()
        let controller = TTLAfterFinishedController(context: h.context)
        await h.cluster.seed(.jobs, [finishedJob(h, ttl: nil, finishedAt: h.now - 1000)])
        await h.cluster.seed(.jobs, [makeBatchJob(name: "running") { $0[path: ["spec", "ttlSecondsAfterFinished"]] = 0 }])
        #expect(await controller.sync("default/pi") == .done)
        #expect(await controller.sync("default/running") == .done)
        // An interim condition is not the end.
        await h.cluster.seed(.jobs, [makeBatchJob(name: "ending") {
            $0[path: ["spec", "ttlSecondsAfterFinished"]] = 0
            $0[path: ["status", "conditions"]] = [["type": "SuccessCriteriaMet", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"]]
        }])
        #expect(await controller.sync("default/ending") == .done)
        #expect(await h.cluster.calls.isEmpty)
        #expect(await controller.sync("default/missing") == .done)
    }

    @Test func watchesOnlyFinishedJobsWithATTL() async throws {
        let h = BatchHarness()
        let controller = TTLAfterFinishedController(context: h.context)
        let watch = try #require(controller.watches.first)
        #expect(await watch.keys(nil, finishedJob(h, finishedAt: h.now)) == ["default/pi"])
        #expect(await watch.keys(nil, finishedJob(h, ttl: nil, finishedAt: h.now)).isEmpty)
        #expect(await watch.keys(nil, makeBatchJob { $0[path: ["spec", "ttlSecondsAfterFinished"]] = 5 }).isEmpty)
    }
}
