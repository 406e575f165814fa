import ApusControllerKit
import ApusMachinery
import Foundation

/// The Jobs of a CronJob: how they are made, tracked in status.active, and pruned.
extension CronJobController {
    /// `<cronjob>-<scheduled time in minutes since 1970>`: one name per activation, so a retried
    /// creation cannot start the same activation twice.
    static func jobName(_ cronJob: JSON, scheduled: Double) -> String {
        "\(cronJob["metadata"]["name"].string ?? "")-\(Int64((scheduled / 60).rounded(.down)))"
    }

    /// The Job for an activation: the template's labels, annotations and spec, the scheduled time
    /// annotation (RFC 3339 in spec.timeZone, UTC without one), the CronJob as controller.
    static func job(from cronJob: JSON, name: String, scheduled: Double) -> JSON {
        let template = cronJob["spec"]["jobTemplate"]
        var metadata: JSON = ["name": .string(name), "namespace": cronJob["metadata"]["namespace"]]
        if let labels = template["metadata"]["labels"].object, !labels.isEmpty { metadata["labels"] = .object(labels) }
        var annotations = template["metadata"]["annotations"].object ?? [:]
        let zone = CronJobSchedule.loadZone(cronJob["spec"]["timeZone"].string ?? "") ?? TimeZone(identifier: "UTC") ?? .current
        annotations[BatchJobFields.cronJobScheduledTimestamp] = .string(CronJobZonedClock(zone: zone).rfc3339(Int64(scheduled)))
        metadata["annotations"] = .object(annotations)
        metadata["ownerReferences"] = [OwnerReferences.controllerReference(to: cronJob, apiVersion: "batch/v1", kind: "CronJob")]
        var job: JSON = ["apiVersion": "batch/v1", "kind": "Job", "metadata": metadata]
        if !template["spec"].isNull { job["spec"] = template["spec"] }
        return job
    }

    /// The object reference kept in status.active.
    static func reference(to job: JSON) -> JSON {
        var reference: JSON = ["apiVersion": "batch/v1", "kind": "Job", "name": job["metadata"]["name"],
                               "namespace": job["metadata"]["namespace"], "uid": job["metadata"]["uid"]]
        if let version = job["metadata"]["resourceVersion"].string { reference["resourceVersion"] = .string(version) }
        return reference
    }

    /// Drops finished and vanished Jobs from status.active and advances lastSuccessfulTime. Returns
    /// whether the status changed.
    func reconcileActiveJobs(_ cronJob: inout JSON, _ jobs: [JSON]) async -> Bool {
        var update = false
        var children = Set<String>()
        for job in jobs {
            let uid = BatchJobFields.uid(job)
            children.insert(uid)
            let listed = Self.activeUIDs(cronJob).contains(uid)
            if listed { await memory.observed(uid) }
            let finished = BatchJobFields.finishedConditionType(job)
            if !listed, finished == nil {
                // Possibly created by this controller with the status update not yet in the cache.
                if await memory.isRecentlyCreated(uid, now: context.clock.now()) { continue }
                await events.record(cronJob, type: "Warning", reason: "UnexpectedJob",
                                    message: "Saw a job that the controller did not create or forgot: \(job["metadata"]["name"].string ?? "")")
            } else if let finished {
                if listed {
                    Self.removeFromActive(&cronJob, uid: uid)
                    await events.record(cronJob, type: "Normal", reason: "SawCompletedJob",
                                        message: "Saw completed job: \(job["metadata"]["name"].string ?? ""), condition: \(finished)")
                    update = true
                }
                if BatchJobFields.isSucceeded(job), let completion = job["status"]["completionTime"].string,
                   let completed = Timestamp.parse(completion) {
                    let last = cronJob["status"]["lastSuccessfulTime"].string.flatMap(Timestamp.parse)
                    if last.map({ completed > $0 }) ?? true {
                        cronJob[path: ["status", "lastSuccessfulTime"]] = .string(completion)
                        update = true
                    }
                }
            }
        }
        // A listed Job that no longer exists would keep the CronJob "active" forever.
        for reference in cronJob["status"]["active"].array ?? [] {
            let uid = reference["uid"].string ?? ""
            if children.contains(uid) { continue }
            let key = ObjectKey.make(namespace: reference["namespace"].string, name: reference["name"].string ?? "")
            if await context.lister(.jobs).get(key) != nil { continue }
            if await memory.isRecentlyCreated(uid, now: context.clock.now()) { continue }
            await events.record(cronJob, type: "Normal", reason: "MissingJob",
                                message: "Active job went missing: \(reference["name"].string ?? "")")
            Self.removeFromActive(&cronJob, uid: uid)
            update = true
        }
        return update
    }

    /// Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit.
    func removeJobsBeyondHistoryLimits(_ cronJob: inout JSON, _ jobs: [JSON]) async -> Bool {
        let spec = cronJob["spec"]
        let successfulLimit = spec["successfulJobsHistoryLimit"].int
        let failedLimit = spec["failedJobsHistoryLimit"].int
        if successfulLimit == nil, failedLimit == nil { return false }
        let succeeded = jobs.filter { BatchJobFields.finishedConditionType($0) == "Complete" }
        let failed = jobs.filter { BatchJobFields.finishedConditionType($0) == "Failed" }
        var update = false
        for (group, limit) in [(succeeded, successfulLimit), (failed, failedLimit)] {
            guard let limit, group.count > Int(limit) else { continue }
            for job in Self.oldestFirst(group).prefix(group.count - Int(limit)) where await deleteJob(job, of: &cronJob) {
                update = true
            }
        }
        return update
    }

    /// Deletes a Job (and, in the background, its pods) and drops it from status.active.
    func deleteJob(_ job: JSON, of cronJob: inout JSON) async -> Bool {
        let name = job["metadata"]["name"].string ?? ""
        do {
            try await context.writer.delete(.jobs, namespace: job["metadata"]["namespace"].string, name: name,
                                            options: DeleteOptions(propagationPolicy: "Background"))
        } catch {
            await events.record(cronJob, type: "Warning", reason: "FailedDelete", message: "Deleted job: \(BatchJobFields.message(of: error))")
            return false
        }
        Self.removeFromActive(&cronJob, uid: BatchJobFields.uid(job))
        await events.record(cronJob, type: "Normal", reason: "SuccessfulDelete", message: "Deleted job \(name)")
        return true
    }

    /// By status.startTime (Jobs that never started last), then by name.
    static func oldestFirst(_ jobs: [JSON]) -> [JSON] {
        jobs.sorted { a, b in
            let startA = a["status"]["startTime"].string.flatMap(Timestamp.parse)
            let startB = b["status"]["startTime"].string.flatMap(Timestamp.parse)
            switch (startA, startB) {
            case (nil, .some): return false
            case (.some, nil): return true
            case (let x?, let y?) where x != y: return x < y
            default: return (a["metadata"]["name"].string ?? "") < (b["metadata"]["name"].string ?? "")
            }
        }
    }

    static func activeUIDs(_ cronJob: JSON) -> Set<String> {
        Set((cronJob["status"]["active"].array ?? []).compactMap { $0["uid"].string })
    }

    static func removeFromActive(_ cronJob: inout JSON, uid: String) {
        let remaining = (cronJob["status"]["active"].array ?? []).filter { $0["uid"].string != uid }
        cronJob[path: ["status", "active"]] = remaining.isEmpty ? .null : .array(remaining)
    }

    /// Go's time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000".
    static func rfc1123z(_ time: Double) -> String {
        let days = CronJobZonedClock.floorDiv(Int64(time.rounded(.down)), 86_400)
        let seconds = Int64(time.rounded(.down)) - days * 86_400
        let (year, month, day) = CronJobZonedClock.civil(fromDays: days)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[Int(CronJobZonedClock.floorMod(days + 4, 7))]), \(pad(day)) \(months[Int(month - 1)]) \(year) "
            + "\(pad(seconds / 3600)):\(pad(seconds / 60 % 60)):\(pad(seconds % 60)) +0000"
    }
}

/// Jobs the CronJob controller created whose CronJob (in its cache) does not list them yet, so lagging
/// caches do not make them look unexpected or missing. Entries go once listed, or after 5 minutes.
actor CronJobControllerMemory {
    private var created: [String: Double] = [:]
    private let forgetAfter = 300.0

    func created(_ uid: String, now: Double) { created[uid] = now }
    func observed(_ uid: String) { created[uid] = nil }

    func isRecentlyCreated(_ uid: String, now: Double) -> Bool {
        created = created.filter { now - $0.value < forgetAfter }
        return created[uid] != nil
    }
}
