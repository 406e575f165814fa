import ApusMachinery

/// What one sync of a Job works with (Kubernetes' syncJobCtx): the Job being brought up to date, its
/// pods, and the counts derived from them.
struct JobSyncState {
    let key: String
    let now: Double
    var job: JSON
    /// The pods the Job controls (after adoption and release).
    var pods: [JSON]
    var activePods: [JSON]
    /// The condition the Job is about to reach, interim (SuccessCriteriaMet, FailureTarget) or terminal.
    var finishedCondition: BatchJobCondition?
    var succeeded: Int = 0
    var failed: Int = 0
    var previousSucceededIndexes = JobIndexIntervals()
    var succeededIndexes = JobIndexIntervals()
    var newBackoff = JobControllerMemory.BackoffRecord()
    /// Pods whose tracking finalizer this controller removed but has not yet seen removed.
    var expectedFinalizerRemovals: Set<String>
    /// status.uncountedTerminatedPods as it was when the sync started.
    var uncountedSucceeded: Set<String>
    var uncountedFailed: Set<String>
    var terminating: Int = 0
    var ready: Int = 0
    /// The soonest the Job must be looked at again (a deadline, a back-off).
    private(set) var requeueAfter: Double?

    init(key: String, now: Double, job: JSON, pods: [JSON], expectedFinalizerRemovals: Set<String>) {
        self.key = key
        self.now = now
        self.job = job
        self.pods = pods
        self.activePods = pods.filter(JobSyncState.isActive)
        self.expectedFinalizerRemovals = expectedFinalizerRemovals
        let uncounted = job["status"]["uncountedTerminatedPods"]
        uncountedSucceeded = Set((uncounted["succeeded"].array ?? []).compactMap(\.string))
        uncountedFailed = Set((uncounted["failed"].array ?? []).compactMap(\.string))
    }

    mutating func requeue(after seconds: Double) {
        let seconds = max(0, seconds)
        requeueAfter = min(requeueAfter ?? seconds, seconds)
    }

    var isIndexed: Bool { BatchJobFields.isIndexed(job) }
    var completions: Int? { BatchJobFields.completions(job) }

    /// A completion index that is valid for this Job.
    func validIndex(_ pod: JSON) -> Int? {
        guard let index = BatchJobFields.completionIndex(pod), index < (completions ?? 0) else { return nil }
        return index
    }

    /// Running or pending and not being deleted (controller.IsPodActive).
    static func isActive(_ pod: JSON) -> Bool {
        let phase = pod["status"]["phase"].string ?? ""
        return phase != "Succeeded" && phase != "Failed" && pod["metadata"]["deletionTimestamp"].isNull
    }

    /// Being deleted but not finished yet.
    static func isTerminating(_ pod: JSON) -> Bool {
        let phase = pod["status"]["phase"].string ?? ""
        return phase != "Succeeded" && phase != "Failed" && !pod["metadata"]["deletionTimestamp"].isNull
    }

    /// Failed, or deleted before it succeeded (unless the Job only replaces pods that have failed).
    func isFailed(_ pod: JSON) -> Bool {
        let phase = pod["status"]["phase"].string ?? ""
        if phase == "Failed" { return true }
        if BatchJobFields.onlyReplacesFailedPods(job) { return false }
        return !pod["metadata"]["deletionTimestamp"].isNull && phase != "Succeeded"
    }
}
