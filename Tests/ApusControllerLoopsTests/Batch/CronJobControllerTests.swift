import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Foundation
import Testing
@testable import ApusControllerLoops

/// 2026-01-01T00:00:00Z, 29453760 minutes since 1970.
private let t0: Double = 1_767_225_600

private func makeCronJob(schedule: String = "*/5 * * * *", created: Double = t0, configure: (inout JSON) -> Void = { _ in }) -> JSON {
    var cronJob: JSON = [
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": ["name": "hello", "namespace": "default", "uid": "cj-uid-1", "creationTimestamp": .string(Timestamp.rfc3339(created))],
        "spec": ["schedule": .string(schedule), "concurrencyPolicy": "Allow", "suspend": false,
                 "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                 "jobTemplate": ["metadata": ["labels": ["app": "hello"], "annotations": ["team": "batch"]],
                                 "spec": ["backoffLimit": 2,
                                          "template": ["spec": ["restartPolicy": "OnFailure",
                                                               "containers": [["name": "hello", "image": "busybox"]]]]]]],
    ]
    configure(&cronJob)
    return cronJob
}

/// A Job the CronJob made for the activation at `scheduled`, optionally finished.
private func makeOwnedJob(scheduled: Double, finished: String? = nil, started: Double? = nil) -> JSON {
    let name = "hello-\(Int64(scheduled / 60))"
    var job: JSON = ["apiVersion": "batch/v1", "kind": "Job",
                     "metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"),
                                  "ownerReferences": [["apiVersion": "batch/v1", "kind": "CronJob", "name": "hello",
                                                       "uid": "cj-uid-1", "controller": true, "blockOwnerDeletion": true]]],
                     "spec": [:]]
    job[path: ["status", "startTime"]] = .string(Timestamp.rfc3339(started ?? scheduled))
    if let finished {
        let end = Timestamp.rfc3339((started ?? scheduled) + 30)
        job[path: ["status", "conditions"]] = [["type": .string(finished), "status": "True", "lastTransitionTime": .string(end)]]
        if finished == "Complete" { job[path: ["status", "completionTime"]] = .string(end) }
    }
    return job
}

private func reference(_ job: JSON) -> JSON {
    ["apiVersion": "batch/v1", "kind": "Job", "name": job["metadata"]["name"], "namespace": "default", "uid": job["metadata"]["uid"]]
}

private func delay(_ result: SyncResult) -> Double? {
    if case .requeue(let seconds) = result { return seconds }
    return nil
}

private func approximately(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 0.001 } ?? false }

@Suite struct CronJobControllerTests {
    let utc = TimeZone(identifier: "UTC")!

    @Test func createsTheJobAtTheScheduledTime() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        await h.cluster.seed(.cronJobs, [makeCronJob()])
        h.clock.set(t0 + 10)
        let first = await controller.sync("default/hello")
        #expect(approximately(delay(first), 290.1))
        #expect(await h.cluster.all(.jobs).isEmpty)

        h.clock.advance(by: 290.1)
        let second = await controller.sync("default/hello")
        #expect(approximately(delay(second), 300))
        let job = try #require(await h.cluster.object(.jobs, "default/hello-29453765"))
        #expect(job["metadata"]["labels"] == ["app": "hello"])
        #expect(job["metadata"]["annotations"]["team"] == "batch")
        #expect(job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2026-01-01T00:05:00Z")
        #expect(job["metadata"]["ownerReferences"][0]["kind"] == "CronJob")
        #expect(job["metadata"]["ownerReferences"][0]["uid"] == "cj-uid-1")
        #expect(job["metadata"]["ownerReferences"][0]["controller"] == true)
        #expect(job["spec"]["backoffLimit"] == 2)
        #expect(job["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure")
        let cronJob = try #require(await h.cluster.object(.cronJobs, "default/hello"))
        #expect(cronJob["status"]["lastScheduleTime"] == "2026-01-01T00:05:00Z")
        let active = try #require(cronJob["status"]["active"].array)
        #expect(active.count == 1)
        #expect(active[0]["name"] == "hello-29453765")
        #expect(active[0]["kind"] == "Job")
        #expect(active[0]["uid"] == job["metadata"]["uid"])
        let event = try #require(await h.events.events.first)
        #expect(event.reason == "SuccessfulCreate")
        #expect(event.message == "Created job hello-29453765")

        // The same activation is not started twice.
        await h.cluster.forgetCalls()
        #expect(approximately(delay(await controller.sync("default/hello")), 300))
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func forbidSkipsWhileAJobRuns() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        let running = makeOwnedJob(scheduled: t0 + 300)
        await h.cluster.seed(.jobs, [running])
        await h.cluster.seed(.cronJobs, [makeCronJob {
            $0[path: ["spec", "concurrencyPolicy"]] = "Forbid"
            $0["status"] = ["lastScheduleTime": "2026-01-01T00:05:00Z", "active": [reference(running)]]
        }])
        h.clock.set(t0 + 600.1)
        #expect(approximately(delay(await controller.sync("default/hello")), 300))
        #expect(await h.cluster.all(.jobs).count == 1)
        let event = try #require(await h.events.events.first)
        #expect(event.reason == "JobAlreadyActive")
        #expect(event.message == "Not starting job because prior execution is running and concurrency policy is Forbid")
    }

    @Test func replaceDeletesTheRunningJob() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        let running = makeOwnedJob(scheduled: t0 + 300)
        await h.cluster.seed(.jobs, [running])
        await h.cluster.seed(.cronJobs, [makeCronJob {
            $0[path: ["spec", "concurrencyPolicy"]] = "Replace"
            $0["status"] = ["lastScheduleTime": "2026-01-01T00:05:00Z", "active": [reference(running)]]
        }])
        h.clock.set(t0 + 600.1)
        _ = await controller.sync("default/hello")
        let names = await h.cluster.all(.jobs).compactMap { $0["metadata"]["name"].string }
        #expect(names == ["hello-29453770"])
        let delete = try #require(await h.cluster.calls.first { $0.verb == "delete" })
        #expect(delete.body["propagationPolicy"] == "Background")
        #expect(await h.eventReasons() == ["SuccessfulDelete", "SuccessfulCreate"])
        #expect(await h.events.events.first?.message == "Deleted job hello-29453765")
        let active = await h.cluster.object(.cronJobs, "default/hello")?["status"]["active"].array ?? []
        #expect(active.map { $0["name"] } == ["hello-29453770"])
    }

    @Test func historyLimitsPruneTheOldestFinishedJobs() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        var jobs: [JSON] = []
        for minute in 1...5 { jobs.append(makeOwnedJob(scheduled: t0 + Double(minute * 300), finished: "Complete")) }
        for minute in 6...7 { jobs.append(makeOwnedJob(scheduled: t0 + Double(minute * 300), finished: "Failed")) }
        await h.cluster.seed(.jobs, jobs)
        // The latest success was still listed as active.
        await h.cluster.seed(.cronJobs, [makeCronJob(schedule: "0 0 1 1 *") {
            $0["status"] = ["lastScheduleTime": "2026-01-01T00:25:00Z", "active": [reference(jobs[4])]]
        }])
        h.clock.set(t0 + 3600)
        _ = await controller.sync("default/hello")
        let remaining = await h.cluster.all(.jobs).compactMap { $0["metadata"]["name"].string }
        #expect(remaining == ["hello-29453775", "hello-29453780", "hello-29453785", "hello-29453795"])
        let deletes = await h.cluster.calls.filter { $0.verb == "delete" }
        #expect(deletes.count == 3)
        #expect(deletes.allSatisfy { $0.body["propagationPolicy"] == "Background" })
        let cronJob = try #require(await h.cluster.object(.cronJobs, "default/hello"))
        #expect(cronJob["status"]["active"].isNull)
        #expect(cronJob["status"]["lastSuccessfulTime"] == "2026-01-01T00:25:30Z")
        let saw = try #require(await h.events.events.first { $0.reason == "SawCompletedJob" })
        #expect(saw.message == "Saw completed job: hello-29453785, condition: Complete")
        #expect(await h.eventReasons().filter { $0 == "SuccessfulDelete" }.count == 3)
    }

    @Test func onlyTheMostRecentMissedActivationRuns() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        await h.cluster.seed(.cronJobs, [makeCronJob(schedule: "0 * * * *", created: t0 - 86_400) {
            $0["status"] = ["lastScheduleTime": "2025-12-31T14:00:00Z"]
        }])
        h.clock.set(t0 + 1800)
        let result = await controller.sync("default/hello")
        #expect(approximately(delay(result), 1800.1))
        let names = await h.cluster.all(.jobs).compactMap { $0["metadata"]["name"].string }
        #expect(names == ["hello-29453760"])
        #expect(!(await h.eventReasons().contains("TooManyMissedTimes")))
    }

    @Test func tooManyMissedActivationsWarnButStillRunTheLatest() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        await h.cluster.seed(.cronJobs, [makeCronJob(schedule: "* * * * *", created: t0 - 3 * 3600)])
        h.clock.set(t0 + 30)
        _ = await controller.sync("default/hello")
        let warning = try #require(await h.events.events.first)
        #expect(warning.type == "Warning")
        #expect(warning.reason == "TooManyMissedTimes")
        #expect(warning.message == "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
        let names = await h.cluster.all(.jobs).compactMap { $0["metadata"]["name"].string }
        #expect(names == ["hello-29453760"])
    }

    @Test func startingDeadlineIgnoresActivationsOutsideTheWindow() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        await h.cluster.seed(.cronJobs, [makeCronJob(schedule: "0 * * * *", created: t0 - 86_400) {
            $0[path: ["spec", "startingDeadlineSeconds"]] = 60
            $0["status"] = ["lastScheduleTime": "2025-12-31T21:00:00Z"]
        }])
        h.clock.set(t0 + 1800)
        #expect(approximately(delay(await controller.sync("default/hello")), 1800.1))
        #expect(await h.cluster.all(.jobs).isEmpty)
        // Within the window the activation still runs.
        h.clock.set(t0 + 3600 + 45)
        _ = await controller.sync("default/hello")
        #expect(await h.cluster.all(.jobs).map { $0["metadata"]["name"] } == ["hello-29453820"])
    }

    @Test func timeZoneDecidesTheWallClock() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        await h.cluster.seed(.cronJobs, [makeCronJob(schedule: "0 9 * * *", created: t0 - 3600) {
            $0[path: ["spec", "timeZone"]] = "Asia/Tokyo"
        }])
        h.clock.set(t0 + 1)
        _ = await controller.sync("default/hello")
        let job = try #require(await h.cluster.all(.jobs).first)
        #expect(job["metadata"]["name"] == "hello-29453760")
        #expect(job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2026-01-01T09:00:00+09:00")
    }

    @Test func withoutTimeZoneTheControllersZoneApplies() async throws {
        let h = BatchHarness()
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let controller = CronJobController(context: h.context, localTimeZone: newYork)
        await h.cluster.seed(.cronJobs, [makeCronJob(schedule: "0 9 * * *")])
        h.clock.set(t0 + 3600)
        // 09:00 in New York is 14:00Z.
        #expect(approximately(delay(await controller.sync("default/hello")), 13 * 3600 + 0.1))
        h.clock.set(t0 + 14 * 3600 + 0.1)
        _ = await controller.sync("default/hello")
        let job = try #require(await h.cluster.all(.jobs).first)
        #expect(job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2026-01-01T14:00:00Z")
    }

    @Test func unknownTimeZoneStartsNothing() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        await h.cluster.seed(.cronJobs, [makeCronJob { $0[path: ["spec", "timeZone"]] = "Mars/Olympus" }])
        h.clock.set(t0 + 3600)
        #expect(await controller.sync("default/hello") == .done)
        #expect(await h.cluster.all(.jobs).isEmpty)
        let event = try #require(await h.events.events.first)
        #expect(event.type == "Warning")
        #expect(event.reason == "UnknownTimeZone")
        #expect(event.message == "invalid timeZone: \"Mars/Olympus\": unknown time zone Mars/Olympus")
    }

    @Test func suspendedCronJobStartsNothing() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        await h.cluster.seed(.cronJobs, [makeCronJob { $0[path: ["spec", "suspend"]] = true }])
        h.clock.set(t0 + 3600)
        #expect(await controller.sync("default/hello") == .done)
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func vanishedActiveJobIsDropped() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        let gone = makeOwnedJob(scheduled: t0 + 300)
        await h.cluster.seed(.cronJobs, [makeCronJob {
            $0["status"] = ["lastScheduleTime": "2026-01-01T00:05:00Z", "active": [reference(gone)]]
        }])
        h.clock.set(t0 + 400)
        _ = await controller.sync("default/hello")
        let event = try #require(await h.events.events.first)
        #expect(event.reason == "MissingJob")
        #expect(event.message == "Active job went missing: hello-29453765")
        #expect(await h.cluster.object(.cronJobs, "default/hello")?["status"]["active"].isNull == true)
    }

    @Test func unparseableScheduleIsReported() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        await h.cluster.seed(.cronJobs, [makeCronJob(schedule: "every day")])
        #expect(await controller.sync("default/hello") == .done)
        let event = try #require(await h.events.events.first)
        #expect(event.reason == "UnparseableSchedule")
        #expect(event.message == "unparseable schedule: \"every day\" : expected exactly 5 fields, found 2: [every day]")
    }

    @Test func jobChangesWakeTheirCronJob() async throws {
        let h = BatchHarness()
        let controller = CronJobController(context: h.context, localTimeZone: utc)
        await h.cluster.seed(.cronJobs, [makeCronJob()])
        let before = await h.snapshot(controller)
        await h.cluster.seed(.jobs, [makeOwnedJob(scheduled: t0 + 300)])
        #expect(await h.deliver(controller, since: before) == ["default/hello"])
    }
}
