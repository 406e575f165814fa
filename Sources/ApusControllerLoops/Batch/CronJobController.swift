import ApusControllerKit
import ApusMachinery
import Foundation

/// Kubernetes' CronJob controller (pkg/controller/cronjob, the v2 controller): creates a Job named
/// `<cronjob>-<scheduled minute since epoch>` at each activation of spec.schedule (in spec.timeZone, or
/// the controller's local zone), honouring suspend, startingDeadlineSeconds and concurrencyPolicy;
/// tracks status.active, lastScheduleTime and lastSuccessfulTime; prunes finished Jobs beyond the
/// history limits; and asks to be synced again just after the next activation.
public struct CronJobController: ControlLoop {
    public let name = "cronjob"
    public var workers: Int { 5 }

    let context: ControllerContext
    /// The zone of schedules without spec.timeZone (Kubernetes uses kube-controller-manager's zone).
    let localZone: TimeZone
    let memory: CronJobControllerMemory
    let events: any EventSink

    public init(context: ControllerContext, localTimeZone: TimeZone = .current) {
        self.context = context
        self.localZone = localTimeZone
        self.memory = CronJobControllerMemory()
        self.events = context.events("cronjob-controller")
    }

    public var watches: [LoopWatch] {
        let cronJobs = context.lister(.cronJobs)
        let owned = LoopWatch.owned(.jobs, byKind: "CronJob")
        return [
            .primary(.cronJobs),
            LoopWatch(.jobs) { old, new in
                // Only Jobs whose controller is a CronJob that still exists (same uid) wake it.
                var keys: [String] = []
                for key in await owned.keys(old, new) {
                    guard let cronJob = await cronJobs.get(key) else { continue }
                    let uid = BatchJobFields.uid(cronJob)
                    let controlled = [old, new].contains { job in
                        job.map { OwnerReferences.controller(of: $0)?["uid"].string == uid } ?? false
                    }
                    if controlled { keys.append(key) }
                }
                return keys
            },
        ]
    }

    public func sync(_ key: String) async -> SyncResult {
        guard let cached = await context.lister(.cronJobs).get(key) else { return .done }
        let namespace = cached["metadata"]["namespace"].string ?? ""
        let name = cached["metadata"]["name"].string ?? ""
        // Every Job naming this CronJob as controller, whatever its labels.
        let jobs = await context.lister(.jobs).list(namespace: namespace).filter {
            OwnerReferences.controller(of: $0)?["name"].string == name
        }
        var cronJob = cached
        let cleanedUp = await removeJobsBeyondHistoryLimits(&cronJob, jobs)
        let outcome = await syncCronJob(&cronJob, jobs)
        if cleanedUp || outcome.updateStatus {
            do {
                _ = try await context.writer.updateStatus(.cronJobs, cronJob)
            } catch {
                return .retry
            }
        }
        if let delay = outcome.requeueAfter { return .requeue(after: max(0, delay)) }
        return outcome.failed ? .retry : .done
    }

    struct Outcome {
        var requeueAfter: Double?
        var updateStatus: Bool
        var failed = false
    }

    /// Reconciles status with the CronJob's Jobs, then starts the Job of the latest due activation.
    private func syncCronJob(_ cronJob: inout JSON, _ jobs: [JSON]) async -> Outcome {
        let now = context.clock.now()
        var update = await reconcileActiveJobs(&cronJob, jobs)
        let spec = cronJob["spec"]
        if BatchJobFields.isBeingDeleted(cronJob) { return Outcome(updateStatus: update) }

        if let zoneName = spec["timeZone"].string, CronJobSchedule.loadZone(zoneName) == nil {
            await events.record(cronJob, type: "Warning", reason: "UnknownTimeZone",
                                message: "invalid timeZone: \"\(zoneName)\": unknown time zone \(zoneName)")
            return Outcome(updateStatus: update)
        }
        if spec["suspend"].bool == true { return Outcome(updateStatus: update) }

        let scheduleText = spec["schedule"].string ?? ""
        let schedule: CronJobSchedule
        do {
            schedule = try CronJobSchedule.parse(await effectiveSchedule(cronJob))
        } catch {
            await events.record(cronJob, type: "Warning", reason: "UnparseableSchedule",
                                message: "unparseable schedule: \"\(scheduleText)\" : \(error.message)")
            return Outcome(updateStatus: update)
        }
        let scheduling = CronJobScheduling(schedule: schedule, localZone: localZone)
        let recent = scheduling.mostRecent(cronJob, now: now, includeStartingDeadline: true)
        guard let scheduled = recent.time, scheduled <= now else {
            if recent.invalid {
                await events.record(cronJob, type: "Warning", reason: "InvalidSchedule",
                                    message: "invalid schedule: \(scheduleText) : \(CronJobScheduling.invalidMessage)")
                return Outcome(updateStatus: update)
            }
            // Nothing due yet.
            return Outcome(requeueAfter: scheduling.delayUntilNext(cronJob, now: now), updateStatus: update)
        }
        if recent.missed == .many {
            await events.record(cronJob, type: "Warning", reason: "TooManyMissedTimes",
                                message: "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
        }
        func nextDelay() -> Double? { scheduling.delayUntilNext(cronJob, now: now) }

        if let deadline = spec["startingDeadlineSeconds"].int, scheduled + Double(deadline) < now {
            await events.record(cronJob, type: "Warning", reason: "MissSchedule",
                                message: "Missed scheduled time to start a job: \(CronJobController.rfc1123z(scheduled))")
            return Outcome(requeueAfter: nextDelay(), updateStatus: update)
        }
        let jobName = CronJobController.jobName(cronJob, scheduled: scheduled)
        let active = cronJob["status"]["active"].array ?? []
        let lastScheduled = cronJob["status"]["lastScheduleTime"].string.flatMap(Timestamp.parse)
        if active.contains(where: { $0["name"].string == jobName && $0["namespace"].string == cronJob["metadata"]["namespace"].string })
            || lastScheduled == scheduled {
            // This activation was handled already.
            return Outcome(requeueAfter: nextDelay(), updateStatus: update)
        }
        let policy = spec["concurrencyPolicy"].string ?? "Allow"
        if policy == "Forbid", !active.isEmpty {
            await events.record(cronJob, type: "Normal", reason: "JobAlreadyActive",
                                message: "Not starting job because prior execution is running and concurrency policy is Forbid")
            return Outcome(requeueAfter: nextDelay(), updateStatus: update)
        }
        if policy == "Replace" {
            for reference in active {
                let key = ObjectKey.make(namespace: reference["namespace"].string, name: reference["name"].string ?? "")
                guard let job = await context.lister(.jobs).get(key) else {
                    await events.record(cronJob, type: "Warning", reason: "FailedGet",
                                        message: "Get job: jobs.batch \"\(reference["name"].string ?? "")\" not found")
                    return Outcome(updateStatus: update, failed: true)
                }
                guard await deleteJob(job, of: &cronJob) else { return Outcome(updateStatus: update, failed: true) }
                update = true
            }
        }
        return await startJob(&cronJob, scheduled: scheduled, jobName: jobName, update: update, scheduling: scheduling, now: now)
    }

    /// Creates the activation's Job and records it in status.active and lastScheduleTime.
    private func startJob(_ cronJob: inout JSON, scheduled: Double, jobName: String, update: Bool,
                          scheduling: CronJobScheduling, now: Double) async -> Outcome {
        let request = CronJobController.job(from: cronJob, name: jobName, scheduled: scheduled)
        var created: JSON
        do {
            created = try await context.writer.create(.jobs, request)
            await memory.created(BatchJobFields.uid(created), now: context.clock.now())
            await events.record(cronJob, type: "Normal", reason: "SuccessfulCreate", message: "Created job \(jobName)")
        } catch {
            if JobController.isNamespaceTerminating(error) { return Outcome(updateStatus: update, failed: true) }
            guard case .api(let apiError) = error, apiError.reason == "AlreadyExists" else {
                await events.record(cronJob, type: "Warning", reason: "FailedCreate",
                                    message: "Error creating job: \(BatchJobFields.message(of: error))")
                return Outcome(updateStatus: update, failed: true)
            }
            // Created earlier without the status update that should have followed, or by someone else.
            let key = ObjectKey.make(namespace: cronJob["metadata"]["namespace"].string, name: jobName)
            guard let existing = await context.lister(.jobs).get(key) else { return Outcome(updateStatus: update, failed: true) }
            if !OwnerReferences.isControlled(existing, by: cronJob) { return Outcome(updateStatus: update) }
            let uid = BatchJobFields.uid(existing)
            if (cronJob["status"]["active"].array ?? []).contains(where: { $0["uid"].string == uid }) {
                return Outcome(updateStatus: update)
            }
            created = existing
        }
        var active = cronJob["status"]["active"].array ?? []
        active.append(CronJobController.reference(to: created))
        cronJob[path: ["status", "active"]] = .array(active)
        cronJob[path: ["status", "lastScheduleTime"]] = .string(Timestamp.rfc3339(scheduled))
        return Outcome(requeueAfter: scheduling.delayUntilNext(cronJob, now: now), updateStatus: true)
    }

    /// spec.schedule, prefixed with `TZ=<spec.timeZone>` when a valid zone is set; a schedule that names
    /// its own zone is used as written, with a warning.
    private func effectiveSchedule(_ cronJob: JSON) async -> String {
        let schedule = cronJob["spec"]["schedule"].string ?? ""
        if schedule.contains("TZ") {
            await events.record(cronJob, type: "Warning", reason: "UnsupportedSchedule",
                                message: "CRON_TZ or TZ used in schedule \"\(schedule)\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details")
            return schedule
        }
        if let zone = cronJob["spec"]["timeZone"].string, CronJobSchedule.loadZone(zone) != nil {
            return "TZ=\(zone) \(schedule)"
        }
        return schedule
    }
}
