import ApusControllerKit
import ApusMachinery

/// Keeping the number of a Job's active pods where its spec wants it (manageJob).
extension JobController {
    /// Creates or deletes pods (never both in one sync) and returns the resulting active count.
    func manageJob(_ state: inout JobSyncState) async -> (active: Int, error: ClientError?) {
        let job = state.job
        var active = state.activePods.count
        if BatchJobFields.isSuspended(job) {
            // A suspended Job runs nothing.
            let toDelete = activePodsForRemoval(state, atLeast: active)
            await memory.expectDeletions(state.key, toDelete.count, now: state.now)
            let (removedReady, removed, error) = await deleteJobPods(toDelete, of: job, key: state.key)
            state.terminating += removed
            state.ready -= removedReady
            return (active - removed, error)
        }

        let parallelism = BatchJobFields.parallelism(job)
        var wantActive: Int
        if let completions = state.completions {
            wantActive = max(0, min(completions - state.succeeded, parallelism))
        } else {
            // Without completions: parallelism until one pod succeeds, then let the rest finish.
            wantActive = state.succeeded > 0 ? active : parallelism
        }

        var toDelete = activePodsForRemoval(state, atLeast: max(0, active - wantActive))
        if toDelete.count > maxPodChangesPerSync { toDelete = Array(toDelete.prefix(maxPodChangesPerSync)) }
        if !toDelete.isEmpty {
            await memory.expectDeletions(state.key, toDelete.count, now: state.now)
            let (removedReady, removed, error) = await deleteJobPods(toDelete, of: job, key: state.key)
            state.terminating += removed
            state.ready -= removedReady
            return (active - removed, error)
        }

        let terminating = BatchJobFields.onlyReplacesFailedPods(job) ? state.terminating : 0
        var missing = wantActive - terminating - active
        guard missing > 0 else { return (active, nil) }
        let wait = JobPodBackoff.remaining(state.newBackoff, now: state.now, base: podFailureBackoff, cap: maxPodFailureBackoff)
        if wait > 0 {
            // Replacements wait out the back-off; Kubernetes reports 0 active meanwhile.
            state.requeue(after: max(wait, 1))
            return (0, nil)
        }
        missing = min(missing, maxPodChangesPerSync)
        var indexes: [Int?] = Array(repeating: nil, count: missing)
        if state.isIndexed, let completions = state.completions {
            indexes = pendingIndexes(state, count: missing, completions: completions)
            missing = indexes.count
        }
        guard missing > 0 else { return (active, nil) }

        await memory.expectCreations(state.key, missing, now: state.now)
        active += missing
        var firstError: ClientError?
        // Slow start: batches of 1, 2, 4 … so a systematic failure costs few requests.
        var batchSize = min(missing, 1)
        var remaining = missing
        var next = 0
        while remaining > 0 {
            var batchFailed = false
            for index in indexes[next..<(next + batchSize)] {
                switch await createPod(for: job, index: index) {
                case .created, .namespaceTerminating:
                    break
                case .failed(let error):
                    await memory.creationObserved(state.key)
                    active -= 1
                    batchFailed = true
                    if firstError == nil { firstError = error }
                }
            }
            next += batchSize
            remaining -= batchSize
            if batchFailed, remaining > 0 {
                // The skipped pods are not expected; a later sync retries them.
                active -= remaining
                for _ in 0..<remaining { await memory.creationObserved(state.key) }
                break
            }
            batchSize = min(2 * batchSize, remaining)
        }
        return (active, firstError)
    }

    private enum CreateOutcome { case created, namespaceTerminating, failed(ClientError) }

    private func createPod(for job: JSON, index: Int?) async -> CreateOutcome {
        let pod = JobPodTemplate.pod(for: job, index: index)
        do {
            let created = try await context.writer.create(.pods, pod)
            await events.record(job, type: "Normal", reason: "SuccessfulCreate",
                                message: "Created pod: \(created["metadata"]["name"].string ?? "")")
            return .created
        } catch {
            if Self.isNamespaceTerminating(error) { return .namespaceTerminating }
            await events.record(job, type: "Warning", reason: "FailedCreate", message: "Error creating: \(BatchJobFields.message(of: error))")
            return .failed(error)
        }
    }

    static func isNamespaceTerminating(_ error: ClientError) -> Bool {
        guard case .api(let apiError) = error else { return false }
        return apiError.details?.causes.contains { $0.reason == "NamespaceTerminating" } ?? false
    }

    /// The lowest indexes not succeeded and not held by an active pod (nor by a terminating one when
    /// only failed pods are replaced).
    private func pendingIndexes(_ state: JobSyncState, count: Int, completions: Int) -> [Int?] {
        var held = Set(state.activePods.compactMap(BatchJobFields.completionIndex))
        if BatchJobFields.onlyReplacesFailedPods(state.job) {
            held.formUnion(state.pods.filter(JobSyncState.isTerminating).compactMap(BatchJobFields.completionIndex))
        }
        let taken = state.succeededIndexes.adding(sorted: held.sorted())
        return taken.firstMissing(count: count, below: completions).map { Optional($0) }
    }

    /// The active pods to delete: for Indexed Jobs, pods without a valid index and all but one pod per
    /// repeated index; then, if that is fewer than `atLeast`, the first pods in removal order.
    func activePodsForRemoval(_ state: JobSyncState, atLeast: Int) -> [JSON] {
        var remove: [JSON] = []
        var keep: [JSON] = []
        if state.isIndexed {
            let completions = state.completions ?? 0
            var byIndex: [Int: [JSON]] = [:]
            for pod in state.activePods {
                if let index = BatchJobFields.completionIndex(pod), index < completions {
                    byIndex[index, default: []].append(pod)
                } else {
                    remove.append(pod)
                }
            }
            for index in byIndex.keys.sorted() {
                let ordered = JobPodOrdering.sortedForRemoval(byIndex[index] ?? [])
                remove.append(contentsOf: ordered.dropLast())
                if let last = ordered.last { keep.append(last) }
            }
        } else {
            keep = state.activePods
        }
        if remove.count < atLeast {
            remove.append(contentsOf: JobPodOrdering.sortedForRemoval(keep).prefix(atLeast - remove.count))
        }
        return remove
    }

    /// Deletes pods the Job no longer wants, removing the tracking finalizer first (they count as
    /// neither success nor failure). Returns the ready and total pods deleted.
    private func deleteJobPods(_ pods: [JSON], of job: JSON, key: String) async -> (ready: Int, deleted: Int, error: ClientError?) {
        var deleted = pods.count
        var ready = 0
        var firstError: ClientError?
        for pod in pods {
            do {
                try await removeTrackingFinalizer(pod)
            } catch {
                await memory.deletionObserved(key)
                if error.code != 404 {
                    deleted -= 1
                    if firstError == nil { firstError = error }
                }
                continue
            }
            if let error = await deletePod(pod, of: job) {
                await memory.deletionObserved(key)
                if error.code != 404 {
                    deleted -= 1
                    if firstError == nil { firstError = error }
                }
            }
            if PodState.isReady(pod) { ready += 1 }
        }
        return (ready, deleted, firstError)
    }

    /// Deletes the active pods of a finishing Job, keeping their finalizers so they are counted.
    func deleteActivePods(_ pods: [JSON], of job: JSON) async -> (ready: Int, deleted: Int, error: ClientError?) {
        var deleted = pods.count
        var ready = 0
        var firstError: ClientError?
        for pod in pods {
            if let error = await deletePod(pod, of: job), error.code != 404 {
                deleted -= 1
                if firstError == nil { firstError = error }
            }
            if PodState.isReady(pod) { ready += 1 }
        }
        return (ready, deleted, firstError)
    }

    /// DELETE of one pod with the pod-control events (SuccessfulDelete, FailedDelete).
    private func deletePod(_ pod: JSON, of job: JSON) async -> ClientError? {
        let name = pod["metadata"]["name"].string ?? ""
        do {
            try await context.writer.delete(.pods, namespace: pod["metadata"]["namespace"].string, name: name)
            await events.record(job, type: "Normal", reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
            return nil
        } catch {
            if error.code != 404 {
                await events.record(job, type: "Warning", reason: "FailedDelete", message: "Error deleting: \(BatchJobFields.message(of: error))")
            }
            return error
        }
    }
}
