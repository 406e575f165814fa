import ApusControllerKit
import ApusMachinery

/// How the batch controllers read Jobs and their pods, with batch/v1's defaults and well-known keys.
enum BatchJobFields {
    static let trackingFinalizer = "batch.kubernetes.io/job-tracking"
    static let completionIndexKey = "batch.kubernetes.io/job-completion-index"
    static let completionIndexEnv = "JOB_COMPLETION_INDEX"
    static let jobControllerName = "kubernetes.io/job-controller"
    static let cronJobScheduledTimestamp = "batch.kubernetes.io/cronjob-scheduled-timestamp"

    // MARK: Job spec

    static func completions(_ job: JSON) -> Int? { job["spec"]["completions"].int.map { Int($0) } }
    static func parallelism(_ job: JSON) -> Int { Int(job["spec"]["parallelism"].int ?? 1) }
    static func backoffLimit(_ job: JSON) -> Int { Int(job["spec"]["backoffLimit"].int ?? 6) }
    static func isIndexed(_ job: JSON) -> Bool { job["spec"]["completionMode"].string == "Indexed" }
    static func isSuspended(_ job: JSON) -> Bool { job["spec"]["suspend"].bool == true }
    static func isBeingDeleted(_ object: JSON) -> Bool { !object["metadata"]["deletionTimestamp"].isNull }

    /// podReplacementPolicy Failed: a terminating pod is replaced only once it has failed.
    static func onlyReplacesFailedPods(_ job: JSON) -> Bool {
        job["spec"]["podReplacementPolicy"].string == "Failed" || !job["spec"]["podFailurePolicy"].isNull
    }

    /// spec.managedBy names another controller: this one leaves the Job alone.
    static func isManagedElsewhere(_ job: JSON) -> Bool {
        guard let manager = job["spec"]["managedBy"].string else { return false }
        return manager != jobControllerName
    }

    // MARK: Job status

    static func condition(_ job: JSON, _ type: String) -> JSON? {
        (job["status"]["conditions"].array ?? []).first { $0["type"].string == type }
    }

    static func hasTrueCondition(_ job: JSON, _ type: String) -> Bool {
        condition(job, type)?["status"].string == "True"
    }

    /// "Complete" or "Failed" once the Job has finished (util.FinishedCondition).
    static func finishedConditionType(_ job: JSON) -> String? {
        for condition in job["status"]["conditions"].array ?? [] {
            if let type = condition["type"].string, type == "Complete" || type == "Failed", condition["status"].string == "True" {
                return type
            }
        }
        return nil
    }

    static func isFinished(_ job: JSON) -> Bool { finishedConditionType(job) != nil }
    static func isSucceeded(_ job: JSON) -> Bool { hasTrueCondition(job, "Complete") }

    // MARK: Pods

    static func uid(_ object: JSON) -> String { object["metadata"]["uid"].string ?? "" }

    static func hasTrackingFinalizer(_ pod: JSON) -> Bool {
        (pod["metadata"]["finalizers"].array ?? []).contains { $0.string == trackingFinalizer }
    }

    /// The pod's completion index annotation, nil when missing, malformed or negative.
    static func completionIndex(_ pod: JSON) -> Int? {
        guard let text = pod["metadata"]["annotations"][completionIndexKey].string, let index = Int(text), index >= 0 else { return nil }
        return index
    }

    /// The Job that controls `object` (by controller reference, name and uid), from the Job cache.
    static func controllingJob(of object: JSON, jobs: any ObjectLister) async -> JSON? {
        await jobs.controller(of: object, kind: "Job")
    }

    /// The message of a failed request, as Kubernetes prints an API error in events.
    static func message(of error: ClientError) -> String {
        if case .api(let apiError) = error { return apiError.message }
        return error.description
    }
}
