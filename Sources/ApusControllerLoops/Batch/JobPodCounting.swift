import ApusControllerKit
import ApusMachinery
import ApusPatch

/// Counting finished pods as Kubernetes does since job tracking with finalizers: a finished pod that
/// still has the tracking finalizer is first recorded in status.uncountedTerminatedPods, then its
/// finalizer is removed, then it moves from the uncounted lists into status.succeeded/failed. A pod
/// without the finalizer has been counted already, so deleting pods never changes the counts.
extension JobController {
    /// Finished pods not counted yet: they still have the finalizer, are not in the uncounted lists, and
    /// (Indexed) carry a valid index.
    func newlyFinishedPods(_ state: JobSyncState) -> (succeeded: [JSON], failed: [JSON]) {
        func uncountable(_ pod: JSON, _ uncounted: Set<String>) -> Bool {
            let uid = BatchJobFields.uid(pod)
            if !BatchJobFields.hasTrackingFinalizer(pod) || uncounted.contains(uid) || state.expectedFinalizerRemovals.contains(uid) {
                return true
            }
            return state.isIndexed && state.validIndex(pod) == nil
        }
        let succeeded = state.pods.filter { !uncountable($0, state.uncountedSucceeded) && PodState.phase($0) == "Succeeded" }
        let failed = state.pods.filter { !uncountable($0, state.uncountedFailed) && state.isFailed($0) }
        return (succeeded, failed)
    }

    /// status.completedIndexes as recorded, and with the indexes of newly succeeded pods added.
    func succeededIndexes(_ state: JobSyncState, completions: Int) -> (JobIndexIntervals, JobIndexIntervals) {
        let previous = JobIndexIntervals(parsing: state.job["status"]["completedIndexes"].string ?? "", completions: completions)
        var added = Set<Int>()
        for pod in state.pods where PodState.phase(pod) == "Succeeded" && BatchJobFields.hasTrackingFinalizer(pod) {
            if let index = state.validIndex(pod) { added.insert(index) }
        }
        return (previous, previous.adding(sorted: added.sorted()))
    }

    /// Records finished pods as uncounted, removes their finalizers, moves them into the counters and,
    /// once nothing is left uncounted or terminating, adds the terminal condition (trackJobStatusAndRemoveFinalizers).
    func trackStatusAndRemoveFinalizers(_ state: inout JobSyncState, needsFlush: Bool) async throws(ClientError) {
        var needsFlush = needsFlush
        if state.isIndexed {
            state.pods = state.pods.enumerated().sorted { a, b in
                let ia = BatchJobFields.completionIndex(a.element) ?? -1
                let ib = BatchJobFields.completionIndex(b.element) ?? -1
                return ia != ib ? ia < ib : a.offset < b.offset
            }.map(\.element)
        }
        var withFinalizer = Set<String>()
        for pod in state.pods where BatchJobFields.hasTrackingFinalizer(pod) {
            let uid = BatchJobFields.uid(pod)
            if !state.expectedFinalizerRemovals.contains(uid) { withFinalizer.insert(uid) }
        }
        if Self.countUncountedWithoutFinalizers(&state.job, withFinalizer: withFinalizer) { needsFlush = true }

        var uncountedSucceeded = Self.uids(state.job["status"]["uncountedTerminatedPods"]["succeeded"])
        var uncountedFailed = Self.uids(state.job["status"]["uncountedTerminatedPods"]["failed"])
        var toRemoveFinalizer: [JSON] = []
        var newSucceededIndexes: [Int] = []
        var reachedMaxUncounted = false
        let completions = state.completions ?? 0
        for pod in state.pods {
            let uid = BatchJobFields.uid(pod)
            if !BatchJobFields.hasTrackingFinalizer(pod) || state.expectedFinalizerRemovals.contains(uid) { continue }
            let failed = state.isFailed(pod)
            let jobEnding = BatchJobFields.isBeingDeleted(state.job) || state.finishedCondition != nil
            guard jobEnding || PodState.phase(pod) == "Succeeded" || failed else { continue }
            toRemoveFinalizer.append(pod)
            if PodState.phase(pod) == "Succeeded", !state.uncountedFailed.contains(uid) {
                if state.isIndexed {
                    // The index alone keeps a success from being counted twice.
                    if let index = BatchJobFields.completionIndex(pod), index < completions, !state.previousSucceededIndexes.contains(index) {
                        newSucceededIndexes.append(index)
                        needsFlush = true
                    }
                } else if !state.uncountedSucceeded.contains(uid) {
                    needsFlush = true
                    uncountedSucceeded.append(uid)
                }
            } else if failed || (state.finishedCondition.map { !$0.isSuccessCriteriaMet } ?? false) {
                // Once the Job fails, every pod that has not succeeded counts as failed.
                let validIndex = BatchJobFields.completionIndex(pod).map { $0 < completions } ?? false
                if !state.uncountedFailed.contains(uid), !state.isIndexed || validIndex {
                    needsFlush = true
                    uncountedFailed.append(uid)
                }
            }
            if newSucceededIndexes.count + uncountedSucceeded.count + uncountedFailed.count >= maxPodChangesPerSync {
                // Keep the status small and leave the rest to the next sync.
                reachedMaxUncounted = true
                break
            }
        }
        state.job[path: ["status", "uncountedTerminatedPods"]] = Self.uncountedJSON(succeeded: uncountedSucceeded, failed: uncountedFailed)
        if state.isIndexed {
            state.succeededIndexes = state.succeededIndexes.adding(sorted: newSucceededIndexes.sorted())
            let text = state.succeededIndexes.description
            if text != (state.job["status"]["completedIndexes"].string ?? "") { needsFlush = true }
            Self.setCount(&state.job, "succeeded", state.succeededIndexes.total)
            state.job[path: ["status", "completedIndexes"]] = text.isEmpty ? .null : .string(text)
        }
        if let finished = state.finishedCondition, finished.type == "FailureTarget" {
            // The interim condition is recorded before finalizers are removed; Failed follows.
            appendCondition(&state.job, finished)
            needsFlush = true
            state.finishedCondition = BatchJobCondition(type: "Failed", reason: finished.reason, message: finished.message, time: state.now)
        }
        if let finished = state.finishedCondition, finished.isSuccessCriteriaMet {
            if !BatchJobFields.hasTrueCondition(state.job, "SuccessCriteriaMet") {
                appendCondition(&state.job, finished)
                needsFlush = true
            }
            state.finishedCondition = BatchJobCondition(type: "Complete", reason: finished.reason, message: finished.message, time: state.now)
        }
        needsFlush = try await flushAndRemoveFinalizers(&state, removing: toRemoveFinalizer, withFinalizer: withFinalizer, needsFlush: needsFlush)
        let finished = !reachedMaxUncounted && enactFinished(&state)
        if finished { needsFlush = true }
        if needsFlush {
            state.job = try await context.writer.updateStatus(.jobs, state.job)
            if finished, let condition = state.finishedCondition { await recordFinished(state.job, condition) }
        }
    }

    /// Writes the status (new uncounted pods, interim conditions), removes the finalizers, then counts
    /// the pods whose finalizer is gone. Returns whether the status still has changes to write.
    private func flushAndRemoveFinalizers(_ state: inout JobSyncState, removing pods: [JSON], withFinalizer: Set<String>,
                                          needsFlush: Bool) async throws(ClientError) -> Bool {
        var needsFlush = needsFlush
        var withFinalizer = withFinalizer
        if needsFlush {
            state.job = try await context.writer.updateStatus(.jobs, state.job)
            await memory.storeBackoff(state.key, state.newBackoff)
            needsFlush = false
        }
        var removalError: ClientError?
        if !pods.isEmpty {
            await memory.expectFinalizersRemoved(state.key, uids: pods.map(BatchJobFields.uid))
            for pod in pods {
                let uid = BatchJobFields.uid(pod)
                do {
                    try await removeTrackingFinalizer(pod)
                    withFinalizer.remove(uid)
                } catch {
                    // No update will show this removal: stop expecting it.
                    await memory.finalizerRemovalObserved(state.key, uid: uid)
                    if error.code == 404 { withFinalizer.remove(uid) } else if removalError == nil { removalError = error }
                }
            }
        }
        if Self.countUncountedWithoutFinalizers(&state.job, withFinalizer: withFinalizer) { needsFlush = true }
        if let removalError {
            if needsFlush { state.job = try await context.writer.updateStatus(.jobs, state.job) }
            throw removalError
        }
        return needsFlush
    }

    /// Adds Complete (with completionTime) or Failed once no pod is left uncounted or terminating.
    private func enactFinished(_ state: inout JobSyncState) -> Bool {
        guard let finished = state.finishedCondition else { return false }
        let uncounted = state.job["status"]["uncountedTerminatedPods"]
        if !(uncounted["succeeded"].array ?? []).isEmpty || !(uncounted["failed"].array ?? []).isEmpty { return false }
        if state.terminating > 0 { return false }
        var conditions = state.job["status"]["conditions"].array ?? []
        BatchJobCondition.ensure(&conditions, type: finished.type, status: finished.status, reason: finished.reason,
                            message: finished.message, now: state.now)
        state.job[path: ["status", "conditions"]] = .array(conditions)
        if finished.type == "Complete" {
            state.job[path: ["status", "completionTime"]] = .string(Timestamp.rfc3339(state.now))
        }
        return true
    }

    private func recordFinished(_ job: JSON, _ condition: BatchJobCondition) async {
        if condition.type == "Complete" {
            if let completions = BatchJobFields.completions(job), Int(job["status"]["succeeded"].int ?? 0) > completions {
                await events.record(job, type: "Warning", reason: "TooManySucceededPods",
                                    message: "Too many succeeded pods running after completion count reached")
            }
            await events.record(job, type: "Normal", reason: "Completed", message: "Job completed")
        } else {
            await events.record(job, type: "Warning", reason: condition.reason, message: condition.message)
        }
    }

    /// Strategic merge patch deleting the tracking finalizer (no-op when the pod lacks it).
    func removeTrackingFinalizer(_ pod: JSON) async throws(ClientError) {
        guard BatchJobFields.hasTrackingFinalizer(pod) else { return }
        let patch: JSON = ["metadata": ["$deleteFromPrimitiveList/finalizers": [.string(BatchJobFields.trackingFinalizer)]]]
        _ = try await context.writer.patch(.pods, namespace: pod["metadata"]["namespace"].string,
                                           name: pod["metadata"]["name"].string ?? "", type: .strategic, patch)
    }

    private func appendCondition(_ job: inout JSON, _ condition: BatchJobCondition) {
        var conditions = job["status"]["conditions"].array ?? []
        conditions.append(condition.json)
        job[path: ["status", "conditions"]] = .array(conditions)
    }

    /// Moves uncounted pods whose finalizer is gone into status.succeeded/failed. Returns whether
    /// anything moved.
    static func countUncountedWithoutFinalizers(_ job: inout JSON, withFinalizer: Set<String>) -> Bool {
        let uncounted = job["status"]["uncountedTerminatedPods"]
        let succeeded = uids(uncounted["succeeded"])
        let failed = uids(uncounted["failed"])
        let keptSucceeded = succeeded.filter(withFinalizer.contains)
        let keptFailed = failed.filter(withFinalizer.contains)
        guard keptSucceeded.count != succeeded.count || keptFailed.count != failed.count else { return false }
        let status = job["status"]
        setCount(&job, "succeeded", Int(status["succeeded"].int ?? 0) + succeeded.count - keptSucceeded.count)
        setCount(&job, "failed", Int(status["failed"].int ?? 0) + failed.count - keptFailed.count)
        job[path: ["status", "uncountedTerminatedPods"]] = uncountedJSON(succeeded: keptSucceeded, failed: keptFailed)
        return true
    }

    static func uids(_ list: JSON) -> [String] { (list.array ?? []).compactMap(\.string) }

    /// status.uncountedTerminatedPods: an empty object when nothing is uncounted.
    static func uncountedJSON(succeeded: [String], failed: [String]) -> JSON {
        var uncounted = JSON.emptyObject
        if !succeeded.isEmpty { uncounted["succeeded"] = .array(succeeded.map { .string($0) }) }
        if !failed.isEmpty { uncounted["failed"] = .array(failed.map { .string($0) }) }
        return uncounted
    }
}
