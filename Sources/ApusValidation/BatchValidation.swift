import ApusMachinery

/// Jobs and CronJobs (`pkg/apis/batch/validation`). Selector generation is the registry's job: a Job
/// without `manualSelector: true` may omit its selector.
enum BatchValidation {
    static let specPath = FieldPath("spec")
    static let maxParallelismForIndexedJob: Int64 = 100_000

    static func job(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        var errs: [FieldError] = []
        if spec["completionMode"].string == "Indexed", let completions = spec["completions"].int, completions > 0 {
            let name = object["metadata"]["name"].string ?? ""
            let hostname = "\(name)-\(completions - 1)"
            if !NameValidation.isDNS1123Label(hostname).isEmpty {
                errs.append(.invalid(FieldPath("metadata").child("name"), string: name, "will not able to create pod with invalid DNS label: \(hostname)"))
            }
        }
        errs += jobSpec(spec, specPath)
        let selector = spec["selector"]
        if selector.isNull {
            if spec["manualSelector"].bool == true { errs.append(.required(specPath.child("selector"))) }
        } else {
            errs += LabelValidation.selector(selector, specPath.child("selector"))
            if LabelValidation.isConvertible(selector) && !LabelValidation.matches(selector, labels: spec["template"]["metadata"]["labels"]) {
                errs.append(.invalid(specPath.child("template", "metadata", "labels"), rendered: GoSyntax.stringMap(spec["template"]["metadata"]["labels"]),
                                     "`selector` does not match template `labels`"))
            }
        }
        return errs
    }

    static func jobSpec(_ spec: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for key in ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished",
                    "backoffLimitPerIndex", "maxFailedIndexes"] {
            errs += WorkloadValidation.nonNegative(spec[key], path.child(key))
        }
        if !spec["maxFailedIndexes"].isNull && spec["backoffLimitPerIndex"].isNull {
            errs.append(.required(path.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
        }
        let mode = spec["completionMode"].string
        if let mode {
            if mode != "NonIndexed" && mode != "Indexed" {
                errs.append(.notSupported(path.child("completionMode"), string: mode, ["NonIndexed", "Indexed"]))
            }
            if mode == "Indexed" {
                if spec["completions"].isNull { errs.append(.required(path.child("completions"), "when completion mode is Indexed")) }
                if let parallelism = spec["parallelism"].int, parallelism > maxParallelismForIndexedJob {
                    errs.append(.invalid(path.child("parallelism"), int: parallelism,
                                         "must be less than or equal to \(maxParallelismForIndexedJob) when completion mode is Indexed"))
                }
                if let completions = spec["completions"].int, let maxFailed = spec["maxFailedIndexes"].int, maxFailed > completions {
                    errs.append(.invalid(path.child("maxFailedIndexes"), int: maxFailed, "must be less than or equal to completions"))
                }
            }
        }
        if mode == nil || mode == "NonIndexed" {
            for key in ["backoffLimitPerIndex", "maxFailedIndexes"] {
                if let value = spec[key].int { errs.append(.invalid(path.child(key), int: value, "requires indexed completion mode")) }
            }
        }
        let hasFailurePolicy = spec["podFailurePolicy"].object != nil
        if let replacement = spec["podReplacementPolicy"].string {
            if hasFailurePolicy && replacement != "Failed" {
                errs.append(.notSupported(path.child("podReplacementPolicy"), string: replacement, ["Failed"]))
            } else if !hasFailurePolicy && replacement != "Failed" && replacement != "TerminatingOrFailed" {
                errs.append(.notSupported(path.child("podReplacementPolicy"), string: replacement, ["Failed", "TerminatingOrFailed"]))
            }
        }
        errs += PodSpecValidation.template(spec["template"], path.child("template"))
        let restartPath = path.child("template", "spec", "restartPolicy")
        let restartPolicy = spec["template"]["spec"]["restartPolicy"].string ?? ""
        if restartPolicy == "Always" || restartPolicy.isEmpty {
            errs.append(.required(restartPath, "valid values: \"OnFailure\", \"Never\""))
        } else if restartPolicy != "OnFailure" && restartPolicy != "Never" {
            errs.append(.notSupported(restartPath, string: restartPolicy, ["OnFailure", "Never"]))
        } else if hasFailurePolicy && restartPolicy != "Never" {
            errs.append(.invalid(restartPath, string: restartPolicy, "only \"Never\" is supported when podFailurePolicy is specified"))
        }
        return errs
    }

    static func jobUpdate(new: JSON, old: JSON) -> [FieldError] {
        let spec = new["spec"]
        let oldSpec = old["spec"]
        var errs: [FieldError] = []
        if !Semantic.equal(spec["completions"], oldSpec["completions"]) {
            let completions = spec["completions"]
            let rendered = completions.int.map(String.init) ?? "null"
            if spec["completionMode"].string != "Indexed" {
                errs.append(.invalid(specPath.child("completions"), rendered: rendered, Messages.fieldImmutable))
            } else if let value = completions.int, value != spec["parallelism"].int {
                errs.append(.invalid(specPath.child("completions"), int: value, "can only be modified in tandem with spec.parallelism"))
            }
        }
        if !spec["selector"].isNull || !oldSpec["selector"].isNull, !Semantic.equal(spec["selector"], oldSpec["selector"]) {
            let rendered = spec["selector"].isNull ? "null" : GoSyntax.labelSelector(spec["selector"])
            errs.append(.invalid(specPath.child("selector"), rendered: rendered, Messages.fieldImmutable))
        }
        var template = spec["template"]
        var oldTemplate = oldSpec["template"]
        if spec["suspend"].bool == true {
            // A suspended Job may still have its scheduling directives adjusted.
            for key in ["nodeSelector", "tolerations", "schedulingGates"] { oldTemplate[path: ["spec", key]] = template["spec"][key] }
            for key in ["labels", "annotations"] { oldTemplate[path: ["metadata", key]] = template["metadata"][key] }
            oldTemplate[path: ["spec", "affinity", "nodeAffinity"]] = template["spec"]["affinity"]["nodeAffinity"]
            template[path: ["spec", "affinity"]] = Semantic.normalize(template["spec"]["affinity"])
            oldTemplate[path: ["spec", "affinity"]] = Semantic.normalize(oldTemplate["spec"]["affinity"])
        }
        if !Semantic.equal(template, oldTemplate) {
            errs.append(.invalid(specPath.child("template"), rendered: GoSyntax.json(spec["template"]), Messages.fieldImmutable))
        }
        for key in ["completionMode", "podFailurePolicy", "backoffLimitPerIndex"] where !Semantic.equal(spec[key], oldSpec[key]) {
            errs.append(.invalid(specPath.child(key), rendered: spec[key].isNull ? "null" : GoSyntax.json(spec[key]), Messages.fieldImmutable))
        }
        return errs
    }

    // MARK: CronJob

    static func cronJob(_ object: JSON, isCreate: Bool = true) -> [FieldError] {
        let spec = object["spec"]
        var errs: [FieldError] = []
        let schedule = spec["schedule"].string ?? ""
        let schedulePath = specPath.child("schedule")
        if schedule.isEmpty {
            errs.append(.required(schedulePath))
        } else {
            if let problem = CronSchedule.error(in: schedule) { errs.append(.invalid(schedulePath, string: schedule, problem)) }
            if schedule.contains("TZ") {
                errs.append(.invalid(schedulePath, string: schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
            }
        }
        errs += WorkloadValidation.nonNegative(spec["startingDeadlineSeconds"], specPath.child("startingDeadlineSeconds"))
        if let zone = spec["timeZone"].string { errs += timeZone(zone, specPath.child("timeZone")) }
        if let policy = spec["concurrencyPolicy"].string, !policy.isEmpty, !["Allow", "Forbid", "Replace"].contains(policy) {
            errs.append(.notSupported(specPath.child("concurrencyPolicy"), string: policy, ["Allow", "Forbid", "Replace"]))
        }
        let jobSpecPath = specPath.child("jobTemplate", "spec")
        let jobTemplateSpec = spec["jobTemplate"]["spec"]
        errs += jobSpec(jobTemplateSpec, jobSpecPath)
        if !jobTemplateSpec["selector"].isNull {
            errs.append(.invalid(jobSpecPath.child("selector"), rendered: GoSyntax.labelSelector(jobTemplateSpec["selector"]), "`selector` will be auto-generated"))
        }
        if jobTemplateSpec["manualSelector"].bool == true {
            errs.append(.notSupported(jobSpecPath.child("manualSelector"), rendered: "true", ["nil", "false"]))
        }
        for key in ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
            errs += WorkloadValidation.nonNegative(spec[key], specPath.child(key))
        }
        if isCreate {
            let name = object["metadata"]["name"].string ?? ""
            // Jobs get an 11-character suffix and must stay within 63 characters.
            if name.utf8.count > 52 {
                errs.append(.invalid(FieldPath("metadata").child("name"), string: name, "must be no more than 52 characters"))
            }
        }
        return errs
    }

    static func timeZone(_ zone: String, _ path: FieldPath) -> [FieldError] {
        if zone.isEmpty { return [.invalid(path, string: zone, "timeZone must be nil or non-empty string")] }
        for part in zone.split(separator: "/", omittingEmptySubsequences: false) {
            let valid = (1...14).contains(part.utf8.count)
                && part.utf8.allSatisfy { CharacterRules.isAlnum($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F || $0 == 0x2B }
            if part == "." || part == ".." || part.hasPrefix("-") || !valid {
                return [.invalid(path, string: zone, "unknown time zone \(zone)")]
            }
        }
        if zone.lowercased() == "local" {
            return [.invalid(path, string: zone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")]
        }
        return []
    }
}
