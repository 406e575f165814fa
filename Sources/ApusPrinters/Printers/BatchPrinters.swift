import ApusMachinery

/// batch/v1 Jobs and CronJobs.
enum BatchPrinters {
    static let job = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Status", "Status of the job."),
            Columns.string("Completions", "The number of pods which reached phase Succeeded."),
            Columns.string("Duration", "Time required to complete the job."),
            Columns.age,
            Columns.containers,
            Columns.images,
            Columns.selector("A label query over pods that should match the pod count."),
        ],
        cells: { job, now in
            let (names, images) = Format.containerCells(Read.array(job, "spec", "template", "spec", "containers"))
            return [
                .string(Read.name(job)),
                .string(status(job)),
                .string(completions(job)),
                .string(duration(job, now: now)),
                .string(Read.age(job, now: now)),
                .string(names), .string(images),
                .string(Format.labelSelector(job["spec"]["selector"])),
            ]
        })

    static let cronJob = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Schedule", "The schedule in Cron format."),
            Columns.string("Timezone", "The time zone name for the given schedule."),
            Columns.boolean("Suspend", "This flag tells the controller to suspend subsequent executions."),
            Columns.integer("Active", "A list of pointers to currently running jobs."),
            Columns.string("Last Schedule", "Information when was the last time the job was successfully scheduled."),
            Columns.age,
            Columns.containers,
            Columns.images,
            Columns.selector("A label query over pods that should match the pod count."),
        ],
        cells: { cronJob, now in
            let jobSpec = cronJob["spec"]["jobTemplate"]["spec"]
            let (names, images) = Format.containerCells(Read.array(jobSpec, "template", "spec", "containers"))
            var lastSchedule = "<none>"
            if Read.isSet(cronJob, "status", "lastScheduleTime") {
                lastSchedule = TablePrinters.timeSince(cronJob["status"]["lastScheduleTime"], now: now)
            }
            // The API defaults suspend to false, so an unset value prints as False.
            let suspend = cronJob["spec"]["suspend"].bool ?? false
            return [
                .string(Read.name(cronJob)),
                .string(Read.string(cronJob, "spec", "schedule")),
                .string(Read.optionalString(cronJob, "spec", "timeZone") ?? "<none>"),
                .string(Format.bool(suspend)),
                .int(Int64(Read.array(cronJob, "status", "active").count)),
                .string(lastSchedule),
                .string(Read.age(cronJob, now: now)),
                .string(names), .string(images),
                .string(Format.labelSelector(jobSpec["selector"])),
            ]
        })

    static func status(_ job: JSON) -> String {
        let conditions = Read.array(job, "status", "conditions")
        func holds(_ type: String) -> Bool {
            Read.condition(conditions, type: type).map { Read.string($0, "status") == "True" } ?? false
        }
        if holds("Complete") { return "Complete" }
        if holds("Failed") { return "Failed" }
        if Read.isDeleting(job) { return "Terminating" }
        if holds("Suspended") { return "Suspended" }
        if holds("FailureTarget") { return "FailureTarget" }
        return "Running"
    }

    static func completions(_ job: JSON) -> String {
        let succeeded = Read.int(job, "status", "succeeded")
        if let wanted = Read.optionalInt(job, "spec", "completions") { return "\(succeeded)/\(wanted)" }
        let parallelism = Read.int(job, "spec", "parallelism")
        return parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1"
    }

    static func duration(_ job: JSON, now: Double) -> String {
        guard let start = TablePrinters.timestampSeconds(job["status"]["startTime"]) else { return "" }
        let end = TablePrinters.timestampSeconds(job["status"]["completionTime"]) ?? now
        return TablePrinters.humanDuration(seconds: end - start)
    }
}
