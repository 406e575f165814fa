import ApusControllerKit
import ApusMachinery

/// How changes to Jobs and pods map to the keys the Job controller syncs, and where it observes its
/// own pod creations, deletions and finalizer removals (the informer handlers addPod, updatePod,
/// deletePod, updateJob, deleteJob). Pods that keep a tracking finalizer after their Job is gone or
/// finished are synced under an "orphan-pod:" key, so the finalizer is removed.
enum JobWatchKeys {
    private static let orphanPrefix = "orphan-pod:"

    static func orphanKey(_ pod: JSON) -> String { orphanPrefix + ObjectKey.of(pod) }

    /// The pod key inside an orphan-pod key.
    static func orphanPodKey(_ key: String) -> String? {
        key.hasPrefix(orphanPrefix) ? String(key.dropFirst(orphanPrefix.count)) : nil
    }

    static func jobs(context: ControllerContext) -> LoopWatch {
        LoopWatch(.jobs) { old, new in
            guard let job = new ?? old else { return [] }
            var keys = [ObjectKey.of(job)]
            // A deleted or finished Job no longer removes its pods' finalizers itself.
            if new == nil || BatchJobFields.isFinished(job) {
                let pods = await context.lister(.pods).list(namespace: job["metadata"]["namespace"].string ?? "")
                for pod in pods where OwnerReferences.isControlled(pod, by: job) && BatchJobFields.hasTrackingFinalizer(pod) {
                    keys.append(orphanKey(pod))
                }
            }
            return keys
        }
    }

    static func pods(context: ControllerContext, memory: JobControllerMemory) -> LoopWatch {
        LoopWatch(.pods) { old, new in
            let jobs = context.lister(.jobs)
            switch (old, new) {
            case (nil, let pod?):
                return await added(pod, jobs: jobs, memory: memory)
            case (let previous?, let pod?):
                return await updated(previous, pod, jobs: jobs, memory: memory)
            case (let pod?, nil):
                return await deleted(pod, final: true, jobs: jobs, memory: memory)
            case (nil, nil):
                return []
            }
        }
    }

    private static func added(_ pod: JSON, jobs: any ObjectLister, memory: JobControllerMemory) async -> [String] {
        if BatchJobFields.isBeingDeleted(pod) {
            // Seen for the first time while already being deleted: not a creation.
            return await deleted(pod, final: false, jobs: jobs, memory: memory)
        }
        if OwnerReferences.controller(of: pod) != nil {
            guard let job = await BatchJobFields.controllingJob(of: pod, jobs: jobs) else { return [] }
            let key = ObjectKey.of(job)
            await memory.creationObserved(key)
            return [key]
        }
        var keys: [String] = BatchJobFields.hasTrackingFinalizer(pod) ? [orphanKey(pod)] : []
        keys += await selectingJobs(pod, jobs: jobs)
        return keys
    }

    private static func updated(_ old: JSON, _ pod: JSON, jobs: any ObjectLister, memory: JobControllerMemory) async -> [String] {
        if let version = pod["metadata"]["resourceVersion"].string, version == old["metadata"]["resourceVersion"].string { return [] }
        if BatchJobFields.isBeingDeleted(pod) {
            // Graceful deletion started: the Job may replace the pod now.
            return await deleted(pod, final: false, jobs: jobs, memory: memory)
        }
        let finalizerRemoved = !BatchJobFields.hasTrackingFinalizer(pod)
        let uid = BatchJobFields.uid(pod)
        let reference = OwnerReferences.controller(of: pod)
        let oldReference = OwnerReferences.controller(of: old)
        var keys: [String] = []
        if reference != oldReference, oldReference != nil, let job = await BatchJobFields.controllingJob(of: old, jobs: jobs) {
            let key = ObjectKey.of(job)
            if finalizerRemoved { await memory.finalizerRemovalObserved(key, uid: uid) }
            keys.append(key)
        }
        if reference != nil {
            guard let job = await BatchJobFields.controllingJob(of: pod, jobs: jobs) else { return keys }
            let key = ObjectKey.of(job)
            if finalizerRemoved { await memory.finalizerRemovalObserved(key, uid: uid) }
            return keys + [key]
        }
        if !finalizerRemoved { keys.append(orphanKey(pod)) }
        if PodState.labels(pod) != PodState.labels(old) || reference != oldReference {
            keys += await selectingJobs(pod, jobs: jobs)
        }
        return keys
    }

    private static func deleted(_ pod: JSON, final: Bool, jobs: any ObjectLister, memory: JobControllerMemory) async -> [String] {
        let hasFinalizer = BatchJobFields.hasTrackingFinalizer(pod)
        guard OwnerReferences.controller(of: pod) != nil else { return hasFinalizer ? [orphanKey(pod)] : [] }
        guard let job = await BatchJobFields.controllingJob(of: pod, jobs: jobs), !BatchJobFields.isFinished(job) else {
            return hasFinalizer ? [orphanKey(pod)] : []
        }
        let key = ObjectKey.of(job)
        await memory.deletionObserved(key)
        if final || !hasFinalizer { await memory.finalizerRemovalObserved(key, uid: BatchJobFields.uid(pod)) }
        return [key]
    }

    /// Jobs of the pod's namespace whose selector matches it, which may adopt it.
    private static func selectingJobs(_ pod: JSON, jobs: any ObjectLister) async -> [String] {
        let labels = PodState.labels(pod)
        var keys: [String] = []
        for job in await jobs.list(namespace: pod["metadata"]["namespace"].string ?? "") {
            guard let selector = try? LabelSelector.from(job["spec"]["selector"]), !selector.isEmpty, selector.matches(labels) else { continue }
            keys.append(ObjectKey.of(job))
        }
        return keys
    }
}
