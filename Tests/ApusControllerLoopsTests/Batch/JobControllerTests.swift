import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct JobControllerTests {
    @Test func runsFiveCompletionsTwoAtATime() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: 5, parallelism: 2)])

        #expect(await h.sync(controller, "default/pi") == .done)
        var pods = await h.pods()
        #expect(pods.count == 2)
        let pod = try #require(pods.first)
        #expect(pod["metadata"]["generateName"] == "pi-")
        #expect(pod["metadata"]["finalizers"] == ["batch.kubernetes.io/job-tracking"])
        #expect(pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "pi")
        #expect(pod["metadata"]["labels"]["job-name"] == "pi")
        #expect(pod["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] == "job-uid-1")
        #expect(pod["metadata"]["labels"]["controller-uid"] == "job-uid-1")
        #expect(pod["metadata"]["ownerReferences"][0]["kind"] == "Job")
        #expect(pod["metadata"]["ownerReferences"][0]["controller"] == true)
        var job = await h.job()
        #expect(job["status"]["active"] == 2)
        #expect(job["status"]["ready"] == 0)
        #expect(job["status"]["terminating"] == 0)
        #expect(job["status"]["startTime"] == .string(Timestamp.rfc3339(h.now)))
        #expect(job["status"]["uncountedTerminatedPods"] == .emptyObject)

        // A second sync with nothing changed creates nothing more.
        await h.cluster.forgetCalls()
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.cluster.calls.isEmpty)

        var succeededSoFar = 0
        for round in [2, 2, 1] {
            h.clock.advance(by: 30)
            for pod in await h.pods() where pod["status"]["phase"].isNull {
                await h.finishPod(controller, pod["metadata"]["name"].string ?? "", phase: "Succeeded")
            }
            succeededSoFar += round
            #expect(await h.sync(controller, "default/pi") == .done)
            job = await h.job()
            #expect(job["status"]["succeeded"] == .int(Int64(succeededSoFar)))
            #expect(job["status"]["uncountedTerminatedPods"] == .emptyObject)
        }
        pods = await h.pods()
        #expect(pods.count == 5)
        // Every finished pod was counted and released.
        #expect(pods.allSatisfy { $0["metadata"]["finalizers"].array?.isEmpty ?? true })
        #expect(job.batchConditionTypes == ["SuccessCriteriaMet", "Complete"])
        let complete = try #require(job.batchCondition("Complete"))
        #expect(complete["reason"] == "CompletionsReached")
        #expect(complete["message"] == "Reached expected number of succeeded pods")
        #expect(job.batchCondition("SuccessCriteriaMet")?["reason"] == "CompletionsReached")
        #expect(job["status"]["completionTime"] == .string(Timestamp.rfc3339(h.now)))
        #expect(job["status"]["active"].isNull)
        #expect(await h.eventReasons().filter { $0 == "SuccessfulCreate" }.count == 5)
        #expect(await h.eventReasons().last == "Completed")
        #expect(await h.events.events.last?.message == "Job completed")
        #expect(await h.events.events.first?.message.hasPrefix("Created pod: pi-") == true)

        // Finished: nothing more happens, and deleting the pods does not change the counts.
        await h.change(controller) {
            for pod in await h.pods() { _ = try? await h.cluster.delete(.pods, namespace: "default", name: pod["metadata"]["name"].string ?? "") }
        }
        await h.cluster.forgetCalls()
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.cluster.calls.isEmpty)
        #expect(await h.job()["status"]["succeeded"] == 5)
    }

    @Test func countsSurvivePodDeletionWhileRunning() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: 3, parallelism: 1)])
        _ = await h.sync(controller, "default/pi")
        let first = try #require(await h.podNames().first)
        await h.finishPod(controller, first, phase: "Succeeded")
        _ = await h.sync(controller, "default/pi")
        // The succeeded pod is gone (pod GC, a user): it was counted when its finalizer was removed.
        await h.change(controller) { _ = try? await h.cluster.delete(.pods, namespace: "default", name: first) }
        #expect(await h.sync(controller, "default/pi") == .done)
        let job = await h.job()
        #expect(job["status"]["succeeded"] == 1)
        #expect(job["status"]["active"] == 1)
        #expect(await h.pods().count == 1)
    }

    @Test func failingJobBacksOffAndStopsAtBackoffLimit() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: 1, parallelism: 1, backoffLimit: 2)])
        #expect(await h.sync(controller, "default/pi") == .done)

        // First failure: 10 s before a replacement.
        await h.finishPod(controller, try #require(await h.podNames().last), phase: "Failed")
        #expect(await h.sync(controller, "default/pi") == .requeue(after: 10))
        #expect(await h.pods().count == 1)
        var job = await h.job()
        #expect(job["status"]["failed"] == 1)
        #expect(job["status"]["active"].isNull)
        h.clock.advance(by: 4)
        #expect(await h.sync(controller, "default/pi") == .requeue(after: 6))
        h.clock.advance(by: 6)
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.pods().count == 2)

        // Second failure: the delay doubles.
        h.clock.advance(by: 5)
        let second = try #require(await h.pods().first { $0["status"]["phase"].isNull }?["metadata"]["name"].string)
        await h.finishPod(controller, second, phase: "Failed")
        #expect(await h.sync(controller, "default/pi") == .requeue(after: 20))
        h.clock.advance(by: 20)
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.pods().count == 3)
        #expect(await h.job()["status"]["failed"] == 2)

        // Third failure exceeds backoffLimit 2.
        let third = try #require(await h.pods().first { $0["status"]["phase"].isNull }?["metadata"]["name"].string)
        await h.finishPod(controller, third, phase: "Failed")
        #expect(await h.sync(controller, "default/pi") == .done)
        job = await h.job()
        #expect(job["status"]["failed"] == 3)
        #expect(job.batchConditionTypes == ["FailureTarget", "Failed"])
        let failed = try #require(job.batchCondition("Failed"))
        #expect(failed["reason"] == "BackoffLimitExceeded")
        #expect(failed["message"] == "Job has reached the specified backoff limit")
        #expect(job.batchCondition("FailureTarget")?["reason"] == "BackoffLimitExceeded")
        #expect(job["status"]["completionTime"].isNull)
        let last = try #require(await h.events.events.last)
        #expect(last.type == "Warning")
        #expect(last.reason == "BackoffLimitExceeded")
        #expect(last.message == "Job has reached the specified backoff limit")
        #expect(await h.pods().count == 3)
    }

    @Test func backoffDelayIsCapped() {
        var record = JobControllerMemory.BackoffRecord(failuresAfterLastSuccess: 1, lastFailureTime: 100)
        #expect(JobPodBackoff.remaining(record, now: 100, base: 10, cap: 600) == 10)
        record.failuresAfterLastSuccess = 3
        #expect(JobPodBackoff.remaining(record, now: 105, base: 10, cap: 600) == 35)
        record.failuresAfterLastSuccess = 12
        #expect(JobPodBackoff.remaining(record, now: 100, base: 10, cap: 600) == 600)
        #expect(JobPodBackoff.remaining(record, now: 100, base: 10, cap: 360) == 360)
        #expect(JobPodBackoff.remaining(record, now: 800, base: 10, cap: 600) == 0)
        // A success resets the count, except for failures after it.
        let success: JSON = ["status": ["containerStatuses": [["state": ["terminated": ["finishedAt": "2026-01-01T00:00:10Z"]]]]]]
        let failure: JSON = ["status": ["containerStatuses": [["state": ["terminated": ["finishedAt": "2026-01-01T00:00:20Z"]]]]]]
        let after = JobPodBackoff.record(from: record, newSucceeded: [success], newFailed: [failure])
        #expect(after.failuresAfterLastSuccess == 1)
        #expect(after.lastFailureTime == 1_767_225_620)
    }

    @Test func restartsWithOnFailureCountTowardsBackoffLimit() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: 1, parallelism: 1, backoffLimit: 3, restartPolicy: "OnFailure")])
        _ = await h.sync(controller, "default/pi")
        let pod = try #require(await h.podNames().first)
        await h.runPod(controller, pod, restarts: 2)
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.job().batchConditionTypes.isEmpty)

        await h.runPod(controller, pod, restarts: 3)
        _ = await h.sync(controller, "default/pi")
        // The running pod is deleted; the Job fails once it is gone.
        var job = await h.job()
        #expect(job.batchConditionTypes == ["FailureTarget"])
        #expect(job["status"]["terminating"] == 1)
        #expect(job["status"]["failed"] == 1)
        #expect(await h.pods().isEmpty)
        #expect(await h.eventReasons().contains("SuccessfulDelete"))
        _ = await h.sync(controller, "default/pi")
        job = await h.job()
        #expect(job.batchConditionTypes == ["FailureTarget", "Failed"])
        #expect(job.batchCondition("Failed")?["reason"] == "BackoffLimitExceeded")
        #expect(job["status"]["terminating"] == 0)
    }

    @Test func activeDeadlineFailsTheJobAndDeletesItsPods() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: 4, parallelism: 2) { $0[path: ["spec", "activeDeadlineSeconds"]] = 30 }])
        #expect(await h.sync(controller, "default/pi") == .requeue(after: 30))
        for name in await h.podNames() { await h.runPod(controller, name) }
        h.clock.advance(by: 12)
        #expect(await h.sync(controller, "default/pi") == .requeue(after: 18))
        #expect(await h.job()["status"]["ready"] == 2)

        h.clock.advance(by: 18)
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.pods().isEmpty)
        var job = await h.job()
        #expect(job.batchConditionTypes == ["FailureTarget"])
        #expect(job["status"]["failed"] == 2)
        #expect(job["status"]["ready"] == 0)
        #expect(job["status"]["terminating"] == 2)
        #expect(await h.eventReasons().filter { $0 == "SuccessfulDelete" }.count == 2)

        // The deleted pods are gone: the Job is Failed.
        #expect(await h.sync(controller, "default/pi") == .done)
        job = await h.job()
        #expect(job.batchConditionTypes == ["FailureTarget", "Failed"])
        let failed = try #require(job.batchCondition("Failed"))
        #expect(failed["reason"] == "DeadlineExceeded")
        #expect(failed["message"] == "Job was active longer than specified deadline")
        let last = try #require(await h.events.events.last)
        #expect(last.reason == "DeadlineExceeded")
        #expect(last.message == "Job was active longer than specified deadline")
        #expect(last.type == "Warning")
    }

    @Test func suspendedJobRunsNothingAndResumes() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: 2, parallelism: 2) { $0[path: ["spec", "suspend"]] = true }])
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.pods().isEmpty)
        var job = await h.job()
        #expect(job["status"]["startTime"].isNull)
        #expect(job.batchCondition("Suspended")?["status"] == "True")
        #expect(job.batchCondition("Suspended")?["reason"] == "JobSuspended")
        #expect(job.batchCondition("Suspended")?["message"] == "Job suspended")
        #expect(await h.eventReasons() == ["Suspended"])

        h.clock.advance(by: 60)
        await h.change(controller) { await h.edit(.jobs, "default/pi") { $0[path: ["spec", "suspend"]] = false } }
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.pods().count == 2)
        job = await h.job()
        #expect(job.batchCondition("Suspended")?["status"] == "False")
        #expect(job.batchCondition("Suspended")?["reason"] == "JobResumed")
        #expect(job["status"]["startTime"] == .string(Timestamp.rfc3339(h.now)))
        #expect(await h.eventReasons().contains("Resumed"))

        // Suspending again deletes the active pods (without counting them as failed).
        for name in await h.podNames() { await h.runPod(controller, name) }
        await h.change(controller) { await h.edit(.jobs, "default/pi") { $0[path: ["spec", "suspend"]] = true } }
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.pods().isEmpty)
        job = await h.job()
        #expect(job.batchCondition("Suspended")?["status"] == "True")
        #expect(job["status"]["active"].isNull)
        #expect(job["status"]["failed"].isNull)
        let deletes = await h.cluster.calls.filter { $0.verb == "delete" && $0.resource == .pods }
        #expect(deletes.count == 2)
    }

    @Test func expectationsHoldBackUntilCreationsAreSeen() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: 3, parallelism: 3)])
        // Sync without delivering the creations to the watch: the cache "lags".
        #expect(await controller.sync("default/pi") == .done)
        #expect(await h.pods().count == 3)
        for pod in await h.pods() { await h.cluster.seed(.pods, [pod]) }
        await h.cluster.forgetCalls()
        // The three pods exist but were not observed through the watch: no further creations or deletions.
        let result = await controller.sync("default/pi")
        #expect(result == .requeue(after: 300))
        #expect(await h.cluster.calls.allSatisfy { $0.verb != "create" && $0.verb != "delete" })
    }

    @Test func failedCreationIsReportedAndRetried() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: 2, parallelism: 2)])
        await h.cluster.failNext("create", .pods, with: .api(.forbidden(.init(group: "", resource: "pods"), name: "",
                                                                             message: "exceeded quota: default")))
        #expect(await h.sync(controller, "default/pi") == .retry)
        // Slow start: the first batch (one pod) failed, so the second was not attempted.
        #expect(await h.pods().isEmpty)
        let event = try #require(await h.events.events.first)
        #expect(event.reason == "FailedCreate")
        #expect(event.message.hasPrefix("Error creating: "))
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.pods().count == 2)
    }

    @Test func orphanedPodLosesItsTrackingFinalizer() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: 1)])
        _ = await h.sync(controller, "default/pi")
        // The Job is deleted while its pod still has the finalizer.
        var keys: [String] = []
        let before = await h.snapshot(controller)
        _ = try await h.cluster.delete(.jobs, namespace: "default", name: "pi")
        keys = await h.deliver(controller, since: before)
        let orphanKey = try #require(keys.first { $0.hasPrefix("orphan-pod:") })
        #expect(await h.sync(controller, orphanKey) == .done)
        #expect(await h.pods().first?["metadata"]["finalizers"].array?.isEmpty ?? true)
        #expect(await h.sync(controller, "default/pi") == .done)
    }

    @Test func managedByAnotherControllerIsLeftAlone() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob { $0[path: ["spec", "managedBy"]] = "example.com/other" }])
        #expect(await h.sync(controller, "default/pi") == .done)
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func jobWithoutCompletionsEndsWithTheFirstSuccess() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(completions: nil, parallelism: 2)])
        _ = await h.sync(controller, "default/pi")
        let names = await h.podNames()
        #expect(names.count == 2)
        await h.finishPod(controller, names[0], phase: "Succeeded")
        _ = await h.sync(controller, "default/pi")
        // The other worker may finish; nothing new is started.
        #expect(await h.pods().count == 2)
        #expect(await h.job().batchConditionTypes.isEmpty)
        await h.finishPod(controller, names[1], phase: "Succeeded")
        _ = await h.sync(controller, "default/pi")
        #expect(await h.job().batchConditionTypes == ["SuccessCriteriaMet", "Complete"])
        #expect(await h.job()["status"]["succeeded"] == 2)
    }
}
