import ApusControllerKit
import ApusMachinery
import ApusPatch

/// Which pods a Job manages (getPodsForJob): those it controls whose labels still match its selector;
/// orphans that match are adopted (controller reference and tracking finalizer added), pods it controls
/// that no longer match are released.
extension JobController {
    func claimPods(of job: JSON) async throws(ClientError) -> [JSON] {
        let namespace = job["metadata"]["namespace"].string ?? ""
        let selector: LabelSelector
        do {
            selector = try LabelSelector.from(job["spec"]["selector"])
        } catch {
            throw .api(error)
        }
        let jobUID = BatchJobFields.uid(job)
        let jobDeleting = BatchJobFields.isBeingDeleted(job)
        var claimed: [JSON] = []
        // All pods of the namespace: a pod whose labels changed may still name this Job as controller.
        for pod in await context.lister(.pods).list(namespace: namespace) {
            let matches = !selector.isEmpty && selector.matches(PodState.labels(pod))
            if let reference = OwnerReferences.controller(of: pod) {
                guard reference["uid"].string == jobUID else { continue }
                if matches {
                    claimed.append(pod)
                } else if !jobDeleting {
                    try await release(pod, from: job)
                }
                continue
            }
            guard matches, !jobDeleting, !BatchJobFields.isBeingDeleted(pod) else { continue }
            if let adopted = try await adopt(pod, by: job) { claimed.append(adopted) }
        }
        return claimed
    }

    /// Makes the Job the pod's controller, adding the tracking finalizer; nil if the pod is gone.
    private func adopt(_ pod: JSON, by job: JSON) async throws(ClientError) -> JSON? {
        let reference = OwnerReferences.controllerReference(to: job, apiVersion: "batch/v1", kind: "Job")
        let patch: JSON = ["metadata": ["ownerReferences": [reference], "uid": pod["metadata"]["uid"],
                                        "finalizers": [.string(BatchJobFields.trackingFinalizer)]]]
        do {
            return try await context.writer.patch(.pods, namespace: pod["metadata"]["namespace"].string,
                                                  name: pod["metadata"]["name"].string ?? "", type: .strategic, patch)
        } catch {
            if error.code == 404 { return nil }
            throw error
        }
    }

    /// Removes the Job's owner reference and tracking finalizer from a pod it no longer selects.
    private func release(_ pod: JSON, from job: JSON) async throws(ClientError) {
        let patch: JSON = ["metadata": ["ownerReferences": [["$patch": "delete", "uid": job["metadata"]["uid"]]],
                                        "uid": pod["metadata"]["uid"],
                                        "$deleteFromPrimitiveList/finalizers": [.string(BatchJobFields.trackingFinalizer)]]]
        do {
            _ = try await context.writer.patch(.pods, namespace: pod["metadata"]["namespace"].string,
                                               name: pod["metadata"]["name"].string ?? "", type: .strategic, patch)
        } catch {
            if error.code != 404 { throw error }
        }
    }

    /// Removes the tracking finalizer from a pod whose Job is gone or finished, unless another
    /// controller or a still-running Job owns it (syncOrphanPod).
    func syncOrphanPod(_ podKey: String) async -> SyncResult {
        guard let pod = await context.lister(.pods).get(podKey) else { return .done }
        if let reference = OwnerReferences.controller(of: pod) {
            guard reference["kind"].string == "Job", reference["apiVersion"].string == "batch/v1" else { return .done }
            if let job = await BatchJobFields.controllingJob(of: pod, jobs: context.lister(.jobs)) {
                if BatchJobFields.isManagedElsewhere(job) || !BatchJobFields.isFinished(job) { return .done }
            }
        }
        do {
            try await removeTrackingFinalizer(pod)
        } catch {
            if error.code != 404 { return .retry }
        }
        return .done
    }
}
