import ApusControllerKit
import ApusMachinery

/// Kubernetes' Job controller (pkg/controller/job, 1.32 behaviour): runs a Job's pods to the wanted
/// number of completions, NonIndexed or Indexed, with parallelism, suspension, an active deadline and a
/// back-off limit. Finished pods are counted through the `batch.kubernetes.io/job-tracking` finalizer and
/// `status.uncountedTerminatedPods`, so counts survive the pods' deletion.
public struct JobController: ControlLoop {
    public let name = "job"
    public var workers: Int { 5 }

    let context: ControllerContext
    let memory: JobControllerMemory
    /// The first delay before failed pods are replaced, doubled with each further failure.
    let podFailureBackoff: Double
    /// The longest such delay (Kubernetes' MaxJobPodFailureBackOff: 10 minutes).
    let maxPodFailureBackoff: Double
    /// The most pods created or deleted, and the most uncounted pods recorded, in one sync.
    let maxPodChangesPerSync = 500
    let events: any EventSink

    public init(context: ControllerContext, podFailureBackoff: Double = 10, maxPodFailureBackoff: Double = 600,
                expectationTimeout: Double = 300) {
        self.context = context
        self.memory = JobControllerMemory(expectationTimeout: expectationTimeout)
        self.podFailureBackoff = podFailureBackoff
        self.maxPodFailureBackoff = maxPodFailureBackoff
        self.events = context.events("job-controller")
    }

    public var watches: [LoopWatch] {
        [JobWatchKeys.jobs(context: context), JobWatchKeys.pods(context: context, memory: memory)]
    }

    public func sync(_ key: String) async -> SyncResult {
        if let podKey = JobWatchKeys.orphanPodKey(key) { return await syncOrphanPod(podKey) }
        guard let cached = await context.lister(.jobs).get(key) else {
            await memory.forget(key)
            return .done
        }
        if BatchJobFields.isManagedElsewhere(cached) { return .done }
        if BatchJobFields.isFinished(cached) {
            await memory.removeBackoff(key)
            return .done
        }
        if let mode = cached["spec"]["completionMode"].string, mode != "NonIndexed", mode != "Indexed" {
            await events.record(cached, type: "Warning", reason: "UnknownCompletionMode",
                                message: "Skipped Job sync because completion mode is unknown")
            return .done
        }
        return await syncJob(key, cached)
    }

    private func syncJob(_ key: String, _ cached: JSON) async -> SyncResult {
        let now = context.clock.now()
        var job = cached
        if job["status"]["uncountedTerminatedPods"].isNull { job[path: ["status", "uncountedTerminatedPods"]] = .emptyObject }
        // Expectations are read before the pods, so a pod arriving in between defers to the next sync.
        let expectations = await memory.satisfied(key, now: now)
        let pods: [JSON]
        do {
            pods = try await claimPods(of: job)
        } catch {
            return .retry
        }
        var state = JobSyncState(key: key, now: now, job: job, pods: pods,
                                 expectedFinalizerRemovals: await memory.expectedFinalizerRemovals(key))
        state.ready = state.activePods.filter(PodState.isReady).count
        state.terminating = pods.filter(JobSyncState.isTerminating).count
        var active = state.activePods.count
        let (newSucceeded, newFailed) = newlyFinishedPods(state)
        let status = job["status"]
        state.succeeded = Int(status["succeeded"].int ?? 0) + newSucceeded.count + state.uncountedSucceeded.count
        state.failed = Int(status["failed"].int ?? 0) + newFailed.count + state.uncountedFailed.count

        // The Job starts when first synced unsuspended.
        if status["startTime"].isNull, !BatchJobFields.isSuspended(job) {
            state.job[path: ["status", "startTime"]] = .string(Timestamp.rfc3339(now))
        }
        state.newBackoff = JobPodBackoff.record(from: await memory.backoff(key), newSucceeded: newSucceeded, newFailed: newFailed)
        decideFinish(&state)

        var manageError: ClientError?
        var suspendConditionChanged = false
        if state.finishedCondition != nil {
            let (deletedReady, deleted, error) = await deleteActivePods(state.activePods, of: state.job)
            if deleted != active || !expectations.satisfied {
                // Pods may still be unseen or still hold finalizers: finish on a later sync.
                state.finishedCondition = nil
            }
            active -= deleted
            state.terminating += deleted
            state.ready -= deletedReady
            manageError = error
        } else {
            var managed = false
            if expectations.satisfied, !BatchJobFields.isBeingDeleted(state.job) {
                (active, manageError) = await manageJob(&state)
                managed = true
            }
            let complete: Bool
            if let completions = state.completions {
                complete = state.succeeded >= completions && active == 0
            } else {
                // Without completions, the first success ends the Job once nothing else runs.
                complete = state.succeeded > 0 && active == 0
            }
            if complete {
                state.finishedCondition = .successCriteriaMet(at: now)
            } else if managed {
                suspendConditionChanged = await updateSuspendedCondition(&state)
            }
        }

        let newStatus = state.job["status"]
        var needsStatusUpdate = suspendConditionChanged || Int(newStatus["active"].int ?? 0) != active
        needsStatusUpdate = needsStatusUpdate || newStatus["ready"] != .int(Int64(state.ready))
            || newStatus["terminating"] != .int(Int64(state.terminating))
        JobController.setCount(&state.job, "active", active)
        state.job[path: ["status", "ready"]] = .int(Int64(state.ready))
        state.job[path: ["status", "terminating"]] = .int(Int64(state.terminating))
        do {
            try await trackStatusAndRemoveFinalizers(&state, needsFlush: needsStatusUpdate)
        } catch {
            return .retry
        }
        if manageError != nil { return .retry }
        if !expectations.satisfied, let expiresIn = expectations.expiresIn { state.requeue(after: expiresIn) }
        return state.requeueAfter.map { .requeue(after: $0) } ?? .done
    }

    /// Whether the Job has met its success criteria or must fail (back-off limit, deadline), and when to
    /// look again for the deadline.
    private func decideFinish(_ state: inout JobSyncState) {
        let job = state.job
        if let met = BatchJobFields.condition(job, "SuccessCriteriaMet"), met["status"].string == "True" {
            state.finishedCondition = BatchJobCondition(met, fallbackTime: state.now)
        }
        if state.finishedCondition == nil, let target = BatchJobFields.condition(job, "FailureTarget"), target["status"].string == "True" {
            state.finishedCondition = BatchJobCondition(type: "Failed", reason: target["reason"].string ?? "",
                                                   message: target["message"].string ?? "", time: state.now)
        }
        if state.finishedCondition == nil {
            if state.failed > BatchJobFields.backoffLimit(job) || pastBackoffLimitOnFailure(state) {
                state.finishedCondition = .failureTarget(BatchJobCondition.backoffLimitExceeded, at: state.now)
            } else if pastActiveDeadline(job, now: state.now) {
                state.finishedCondition = .failureTarget(BatchJobCondition.deadlineExceeded, at: state.now)
            } else if let deadline = job["spec"]["activeDeadlineSeconds"].int, !BatchJobFields.isSuspended(job),
                      let start = job["status"]["startTime"].string.flatMap(Timestamp.parse) {
                state.requeue(after: Double(deadline) - (state.now - start))
            }
        }
        if state.isIndexed, let completions = state.completions {
            (state.previousSucceededIndexes, state.succeededIndexes) = succeededIndexes(state, completions: completions)
            state.succeeded = state.succeededIndexes.total
            if state.finishedCondition == nil,
               let message = JobSuccessPolicy.match(job["spec"]["successPolicy"], completions: completions,
                                                    succeeded: state.succeededIndexes) {
                state.finishedCondition = BatchJobCondition(type: "SuccessCriteriaMet", reason: "SuccessPolicy", message: message, time: state.now)
            }
        }
    }

    /// With restartPolicy OnFailure, container restarts of running and pending pods count as failures.
    private func pastBackoffLimitOnFailure(_ state: JobSyncState) -> Bool {
        guard state.job["spec"]["template"]["spec"]["restartPolicy"].string == "OnFailure" else { return false }
        var restarts: Int64 = 0
        for pod in state.pods where ["Running", "Pending"].contains(pod["status"]["phase"].string ?? "") {
            for list in ["initContainerStatuses", "containerStatuses"] {
                for status in pod["status"][list].array ?? [] { restarts += status["restartCount"].int ?? 0 }
            }
        }
        let limit = Int64(BatchJobFields.backoffLimit(state.job))
        return limit == 0 ? restarts > 0 : restarts >= limit
    }

    /// Active longer than activeDeadlineSeconds (never while suspended).
    private func pastActiveDeadline(_ job: JSON, now: Double) -> Bool {
        guard let deadline = job["spec"]["activeDeadlineSeconds"].int, !BatchJobFields.isSuspended(job),
              let start = job["status"]["startTime"].string.flatMap(Timestamp.parse)
        else { return false }
        return now - start >= Double(deadline)
    }

    /// The Suspended condition follows spec.suspend; resuming restarts the active deadline's clock.
    private func updateSuspendedCondition(_ state: inout JobSyncState) async -> Bool {
        var conditions = state.job["status"]["conditions"].array ?? []
        let changed: Bool
        if BatchJobFields.isSuspended(state.job) {
            changed = BatchJobCondition.ensure(&conditions, type: "Suspended", status: "True", reason: "JobSuspended",
                                          message: "Job suspended", now: state.now)
            if changed { await events.record(state.job, type: "Normal", reason: "Suspended", message: "Job suspended") }
        } else {
            changed = BatchJobCondition.ensure(&conditions, type: "Suspended", status: "False", reason: "JobResumed",
                                          message: "Job resumed", now: state.now)
            if changed {
                await events.record(state.job, type: "Normal", reason: "Resumed", message: "Job resumed")
                state.job[path: ["status", "startTime"]] = .string(Timestamp.rfc3339(state.now))
            }
        }
        if changed { state.job[path: ["status", "conditions"]] = .array(conditions) }
        return changed
    }

    /// Sets an `omitempty` counter of the status: 0 is left out.
    static func setCount(_ job: inout JSON, _ field: String, _ value: Int) {
        job[path: ["status", field]] = value == 0 ? .null : .int(Int64(value))
    }
}
