import ApusControllerKit
import ApusMachinery

/// Kubernetes' TTL-after-finished controller (pkg/controller/ttlafterfinished): deletes a finished Job
/// (Complete or Failed) spec.ttlSecondsAfterFinished after it finished, with foreground propagation so
/// its pods go first, and looks again when the TTL is due.
public struct TTLAfterFinishedController: ControlLoop {
    public let name = "ttl-after-finished"
    public var workers: Int { 5 }

    let context: ControllerContext

    public init(context: ControllerContext) {
        self.context = context
    }

    public var watches: [LoopWatch] {
        // Only Jobs that have finished, have a TTL and are not being deleted concern this controller.
        [LoopWatch(.jobs) { _, new in
            guard let job = new, !BatchJobFields.isBeingDeleted(job), Self.needsCleanup(job) else { return [] }
            return [ObjectKey.of(job)]
        }]
    }

    public func sync(_ key: String) async -> SyncResult {
        guard let job = await context.lister(.jobs).get(key) else { return .done }
        guard !BatchJobFields.isBeingDeleted(job), Self.needsCleanup(job) else { return .done }
        guard let finishedAt = Self.finishTime(job) else {
            // A finished condition without a time: Kubernetes reports an error and retries.
            return .retry
        }
        let ttl = Double(job["spec"]["ttlSecondsAfterFinished"].int ?? 0)
        let remaining = finishedAt + ttl - context.clock.now()
        if remaining > 0 { return .requeue(after: remaining) }
        // The uid precondition keeps a Job recreated under the same name safe.
        let options = DeleteOptions(propagationPolicy: "Foreground", preconditionUID: BatchJobFields.uid(job))
        do {
            try await context.writer.delete(.jobs, namespace: job["metadata"]["namespace"].string,
                                            name: job["metadata"]["name"].string ?? "", options: options)
        } catch {
            if error.code == 404 { return .done }
            return .retry
        }
        return .done
    }

    static func needsCleanup(_ job: JSON) -> Bool {
        job["spec"]["ttlSecondsAfterFinished"].int != nil && BatchJobFields.isFinished(job)
    }

    /// The lastTransitionTime of the Complete or Failed condition.
    static func finishTime(_ job: JSON) -> Double? {
        for condition in job["status"]["conditions"].array ?? [] {
            guard let type = condition["type"].string, type == "Complete" || type == "Failed", condition["status"].string == "True" else { continue }
            return condition["lastTransitionTime"].string.flatMap(Timestamp.parse)
        }
        return nil
    }
}
