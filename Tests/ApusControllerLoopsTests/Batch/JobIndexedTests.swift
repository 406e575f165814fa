import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct JobIndexedTests {
    @Test func intervalsUseKubernetesCompressedForm() {
        #expect(JobIndexIntervals().adding(sorted: [1, 3, 4, 5, 7]).description == "1,3-5,7")
        #expect(JobIndexIntervals().adding(sorted: [3, 4]).description == "3,4")
        #expect(JobIndexIntervals().adding(sorted: [0, 1, 2]).description == "0-2")
        #expect(JobIndexIntervals().description == "")
        let parsed = JobIndexIntervals(parsing: "1,3-5,7", completions: 10)
        #expect(parsed.total == 5)
        #expect(parsed.contains(4))
        #expect(!parsed.contains(6))
        #expect(parsed.adding(sorted: [2, 6]).description == "1-7")
        // Indexes at or above completions are dropped; adjacent parts merge.
        #expect(JobIndexIntervals(parsing: "0,1,2-8", completions: 5).description == "0-4")
        #expect(JobIndexIntervals(parsing: "x,2", completions: 5).description == "2")
        #expect(parsed.firstMissing(count: 3, below: 10) == [0, 2, 6])
        #expect(parsed.firstMissing(count: 5, below: 9) == [0, 2, 6, 8])
    }

    @Test func indexedJobGivesEachPodItsIndex() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(name: "work", completions: 3, parallelism: 2) {
            $0[path: ["spec", "completionMode"]] = "Indexed"
        }])
        #expect(await h.sync(controller, "default/work") == .done)
        let pods = await h.pods()
        #expect(pods.count == 2)
        let byIndex = Dictionary(uniqueKeysWithValues: pods.map {
            ($0["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"].string ?? "", $0)
        })
        let zero = try #require(byIndex["0"])
        #expect(byIndex["1"] != nil)
        #expect(zero["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == "0")
        #expect(zero["spec"]["hostname"] == "work-0")
        #expect(zero["metadata"]["generateName"] == "work-0-")
        let env = try #require(zero["spec"]["containers"][0]["env"].array?.first)
        #expect(env["name"] == "JOB_COMPLETION_INDEX")
        #expect(env["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.labels['batch.kubernetes.io/job-completion-index']")

        // Index 1 finishes first: index 2 starts, completedIndexes records "1".
        await h.finishPod(controller, byIndex["1"]?["metadata"]["name"].string ?? "", phase: "Succeeded")
        #expect(await h.sync(controller, "default/work") == .done)
        var job = await h.job("default/work")
        #expect(job["status"]["completedIndexes"] == "1")
        #expect(job["status"]["succeeded"] == 1)
        let started = await h.pods().compactMap { $0["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"].string }
        #expect(started.sorted() == ["0", "1", "2"])

        // Index 0 fails: it is replaced (after the back-off) under the same index.
        await h.finishPod(controller, zero["metadata"]["name"].string ?? "", phase: "Failed")
        #expect(await h.sync(controller, "default/work") == .requeue(after: 10))
        h.clock.advance(by: 10)
        #expect(await h.sync(controller, "default/work") == .done)
        let zeros = await h.pods().filter { $0["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] == "0" }
        #expect(zeros.count == 2)

        for pod in await h.pods() where pod["status"]["phase"].isNull {
            await h.finishPod(controller, pod["metadata"]["name"].string ?? "", phase: "Succeeded")
        }
        #expect(await h.sync(controller, "default/work") == .done)
        job = await h.job("default/work")
        #expect(job["status"]["completedIndexes"] == "0-2")
        #expect(job["status"]["succeeded"] == 3)
        #expect(job["status"]["failed"] == 1)
        #expect(job.batchConditionTypes == ["SuccessCriteriaMet", "Complete"])
    }

    @Test func duplicateIndexesAreRemoved() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        let job = makeBatchJob(name: "work", completions: 2, parallelism: 2) { $0[path: ["spec", "completionMode"]] = "Indexed" }
        await h.cluster.seed(.jobs, [job])
        _ = await h.sync(controller, "default/work")
        // Someone made a second pod with index 0.
        await h.change(controller) {
            var extra = JobPodTemplate.pod(for: job, index: 0)
            extra[path: ["metadata", "name"]] = "work-0-extra"
            await h.cluster.seed(.pods, [extra])
        }
        await h.cluster.forgetCalls()
        _ = await h.sync(controller, "default/work")
        let deletes = await h.cluster.calls.filter { $0.verb == "delete" }
        #expect(deletes.count == 1)
        #expect(await h.pods().count == 2)
    }

    @Test func successPolicyEndsAnIndexedJobEarly() async throws {
        let h = BatchHarness()
        let controller = JobController(context: h.context)
        await h.cluster.seed(.jobs, [makeBatchJob(name: "work", completions: 3, parallelism: 3) {
            $0[path: ["spec", "completionMode"]] = "Indexed"
            $0[path: ["spec", "successPolicy"]] = ["rules": [["succeededIndexes": "0"]]]
        }])
        _ = await h.sync(controller, "default/work")
        let zero = try #require(await h.pods().first { $0["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] == "0" })
        await h.finishPod(controller, zero["metadata"]["name"].string ?? "", phase: "Succeeded")
        _ = await h.sync(controller, "default/work")
        var job = await h.job("default/work")
        #expect(job.batchCondition("SuccessCriteriaMet")?["reason"] == "SuccessPolicy")
        #expect(job.batchCondition("SuccessCriteriaMet")?["message"] == "Matched rules at index 0")
        // The other pods were deleted; the Job completes once they are gone.
        #expect(await h.pods().count == 1)
        _ = await h.sync(controller, "default/work")
        job = await h.job("default/work")
        #expect(job.batchConditionTypes == ["SuccessCriteriaMet", "Complete"])
        #expect(job.batchCondition("Complete")?["reason"] == "SuccessPolicy")
        #expect(job["status"]["completedIndexes"] == "0")
    }
}
