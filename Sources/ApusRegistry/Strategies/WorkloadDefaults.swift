import ApusMachinery

/// Write defaults of the apps and batch kinds (apps/v1 and batch/v1 defaults.go).
enum WorkloadDefaults {
    static func deployment(_ d: inout JSON, _: WriteContext) {
        setIfMissing(&d[path: ["spec"]], "replicas", .int(1))
        var strategy = d["spec"]["strategy"]
        setIfMissing(&strategy, "type", "RollingUpdate")
        if strategy["type"].string == "RollingUpdate" {
            var rolling = strategy["rollingUpdate"]
            setIfMissing(&rolling, "maxUnavailable", "25%")
            setIfMissing(&rolling, "maxSurge", "25%")
            strategy["rollingUpdate"] = rolling
        }
        d[path: ["spec", "strategy"]] = strategy
        setIfMissing(&d[path: ["spec"]], "revisionHistoryLimit", .int(10))
        setIfMissing(&d[path: ["spec"]], "progressDeadlineSeconds", .int(600))
        PodDefaults.applyToTemplate(&d, templatePath: ["spec", "template"])
    }

    static func replicaSet(_ r: inout JSON, _: WriteContext) {
        setIfMissing(&r[path: ["spec"]], "replicas", .int(1))
        PodDefaults.applyToTemplate(&r, templatePath: ["spec", "template"])
    }

    static func replicationController(_ r: inout JSON, _: WriteContext) {
        setIfMissing(&r[path: ["spec"]], "replicas", .int(1))
        // An RC without a selector selects its template's labels, and takes them as its own.
        if r["spec"]["selector"].object?.isEmpty ?? true, let labels = r["spec"]["template"]["metadata"]["labels"].object {
            r[path: ["spec", "selector"]] = .object(labels)
            if r["metadata"]["labels"].object?.isEmpty ?? true { r[path: ["metadata", "labels"]] = .object(labels) }
        }
        PodDefaults.applyToTemplate(&r, templatePath: ["spec", "template"])
    }

    static func statefulSet(_ s: inout JSON, _: WriteContext) {
        setIfMissing(&s[path: ["spec"]], "replicas", .int(1))
        setIfMissing(&s[path: ["spec"]], "podManagementPolicy", "OrderedReady")
        var update = s["spec"]["updateStrategy"]
        setIfMissing(&update, "type", "RollingUpdate")
        if update["type"].string == "RollingUpdate" { setIfMissing(&update[path: ["rollingUpdate"]], "partition", .int(0)) }
        s[path: ["spec", "updateStrategy"]] = update
        setIfMissing(&s[path: ["spec"]], "revisionHistoryLimit", .int(10))
        var retention = s["spec"]["persistentVolumeClaimRetentionPolicy"]
        setIfMissing(&retention, "whenDeleted", "Retain")
        setIfMissing(&retention, "whenScaled", "Retain")
        s[path: ["spec", "persistentVolumeClaimRetentionPolicy"]] = retention
        if let templates = s["spec"]["volumeClaimTemplates"].array {
            s[path: ["spec", "volumeClaimTemplates"]] = .array(templates.map { t in
                var t = t
                setIfMissing(&t[path: ["spec"]], "volumeMode", "Filesystem")
                return t
            })
        }
        PodDefaults.applyToTemplate(&s, templatePath: ["spec", "template"])
    }

    static func daemonSet(_ d: inout JSON, _: WriteContext) {
        var update = d["spec"]["updateStrategy"]
        setIfMissing(&update, "type", "RollingUpdate")
        if update["type"].string == "RollingUpdate" {
            var rolling = update["rollingUpdate"]
            setIfMissing(&rolling, "maxUnavailable", .int(1))
            setIfMissing(&rolling, "maxSurge", .int(0))
            update["rollingUpdate"] = rolling
        }
        d[path: ["spec", "updateStrategy"]] = update
        setIfMissing(&d[path: ["spec"]], "revisionHistoryLimit", .int(10))
        PodDefaults.applyToTemplate(&d, templatePath: ["spec", "template"])
    }

    static func job(_ j: inout JSON, _ context: WriteContext) {
        jobSpec(&j[path: ["spec"]])
    }

    static func jobSpec(_ spec: inout JSON) {
        guard case .object = spec else { return }
        let indexed = spec["completionMode"].string == "Indexed"
        if spec["completions"].isNull, spec["parallelism"].isNull {
            spec["completions"] = .int(1)
            spec["parallelism"] = .int(1)
        }
        setIfMissing(&spec, "parallelism", .int(1))
        setIfMissing(&spec, "backoffLimit", .int(indexed && spec["backoffLimitPerIndex"].int != nil ? Int64(Int32.max) : 6))
        setIfMissing(&spec, "completionMode", "NonIndexed")
        setIfMissing(&spec, "suspend", .bool(false))
        setIfMissing(&spec, "podReplacementPolicy", "TerminatingOrFailed")
        var template = spec["template"]
        if case .object = template["spec"] {
            var podSpec = template["spec"]
            PodDefaults.applyToSpec(&podSpec)
            template["spec"] = podSpec
            spec["template"] = template
        }
    }

    /// A job's generated selector and labels (batch.kubernetes.io/controller-uid), set on create once the
    /// uid is known, unless the user chose `manualSelector`.
    static func jobSelector(_ j: inout JSON, _: WriteContext) {
        guard j["spec"]["manualSelector"].bool != true, let uid = j["metadata"]["uid"].string else { return }
        let name = j["metadata"]["name"].string ?? ""
        j[path: ["spec", "selector"]] = ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]]
        var labels = j["spec"]["template"]["metadata"]["labels"].object ?? [:]
        labels["batch.kubernetes.io/controller-uid"] = .string(uid)
        labels["batch.kubernetes.io/job-name"] = .string(name)
        labels["controller-uid"] = .string(uid)
        labels["job-name"] = .string(name)
        j[path: ["spec", "template", "metadata", "labels"]] = .object(labels)
    }

    static func cronJob(_ c: inout JSON, _: WriteContext) {
        setIfMissing(&c[path: ["spec"]], "concurrencyPolicy", "Allow")
        setIfMissing(&c[path: ["spec"]], "suspend", .bool(false))
        setIfMissing(&c[path: ["spec"]], "successfulJobsHistoryLimit", .int(3))
        setIfMissing(&c[path: ["spec"]], "failedJobsHistoryLimit", .int(1))
        var jobSpec = c["spec"]["jobTemplate"]["spec"]
        if case .object = jobSpec {
            // Inside a CronJob's template Kubernetes defaults only the pod template, not counts.
            var template = jobSpec["template"]
            var podSpec = template["spec"]
            PodDefaults.applyToSpec(&podSpec)
            template["spec"] = podSpec
            jobSpec["template"] = template
            c[path: ["spec", "jobTemplate", "spec"]] = jobSpec
        }
    }
}
