import ApusMachinery
import Testing
@testable import ApusValidation

@Suite struct BatchValidationTests {
    func job(restartPolicy: JSON = "Never", extra: JSONObject = [:]) -> JSON {
        var spec: JSON = ["template": ["spec": ["containers": [["name": "main", "image": "busybox"]], "restartPolicy": restartPolicy]]]
        for (key, value) in extra { spec[key] = value }
        return ["metadata": ["name": "pi", "namespace": "d"], "spec": spec]
    }

    func validate(_ kind: String, _ object: JSON) -> [String] {
        messages(KindValidation.validate(group: "batch", kind: kind, object: object))
    }

    @Test func validJob() {
        #expect(validate("Job", job()) == [])
        #expect(validate("Job", job(restartPolicy: "OnFailure", extra: ["completions": 3, "parallelism": 2, "backoffLimit": 4])) == [])
    }

    @Test func restartPolicy() {
        #expect(validate("Job", job(restartPolicy: .null)) == ["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""])
        #expect(validate("Job", job(restartPolicy: "Always")) == ["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""])
        #expect(validate("Job", job(restartPolicy: "Sometimes")) == [
            "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"OnFailure\", \"Never\"",
        ])
    }

    @Test func counts() {
        #expect(validate("Job", job(extra: ["completions": -1, "parallelism": -2])) == [
            "spec.parallelism: Invalid value: -2: must be greater than or equal to 0",
            "spec.completions: Invalid value: -1: must be greater than or equal to 0",
        ])
        #expect(validate("Job", job(extra: ["completionMode": "Indexed"])) == ["spec.completions: Required value: when completion mode is Indexed"])
    }

    @Test func selectors() {
        #expect(validate("Job", job(extra: ["manualSelector": true])) == ["spec.selector: Required value"])
        #expect(validate("Job", job(extra: ["selector": ["matchLabels": ["a": "b"]]])) == [
            "spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`",
        ])
        let old = job(extra: ["selector": ["matchLabels": ["batch.kubernetes.io/controller-uid": "1"]]])
        let new = job(extra: ["selector": ["matchLabels": ["batch.kubernetes.io/controller-uid": "2"]]])
        #expect(messages(KindValidation.validateUpdate(group: "batch", kind: "Job", new: new, old: old)) == [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/controller-uid\":\"2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
        ])
    }

    @Test func jobUpdates() {
        let old = job(extra: ["completions": 3])
        var new = old
        new[path: ["spec", "completions"]] = 4
        new[path: ["spec", "template", "spec", "containers", ]] = [["name": "main", "image": "busybox:2"]]
        let errs = messages(KindValidation.validateUpdate(group: "batch", kind: "Job", new: new, old: old))
        #expect(errs.count == 2)
        #expect(errs.first == "spec.completions: Invalid value: 4: field is immutable")
        #expect(errs.last?.hasPrefix("spec.template: Invalid value: ") == true)
        #expect(errs.last?.hasSuffix(": field is immutable") == true)
        var suspended = old
        suspended[path: ["spec", "suspend"]] = true
        var relabelled = suspended
        relabelled[path: ["spec", "template", "spec", "nodeSelector"]] = ["zone": "a"]
        #expect(KindValidation.validateUpdate(group: "batch", kind: "Job", new: relabelled, old: suspended).isEmpty)
    }

    func cronJob(_ schedule: JSON, name: String = "backup") -> JSON {
        ["metadata": ["name": .string(name), "namespace": "d"],
         "spec": ["schedule": schedule, "jobTemplate": ["spec": job()["spec"]]]]
    }

    @Test func cronJobs() {
        #expect(validate("CronJob", cronJob("*/5 * * * *")) == [])
        #expect(validate("CronJob", cronJob("@hourly")) == [])
        #expect(validate("CronJob", cronJob(.null)) == ["spec.schedule: Required value"])
        #expect(validate("CronJob", cronJob("every hour")) == [
            "spec.schedule: Invalid value: \"every hour\": expected exactly 5 fields, found 2: [every hour]",
        ])
        #expect(validate("CronJob", cronJob("TZ=UTC 0 * * * *")) == [
            "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ])
        #expect(validate("CronJob", cronJob("0 0 * * *", name: String(repeating: "a", count: 53))) == [
            "metadata.name: Invalid value: \"\(String(repeating: "a", count: 53))\": must be no more than 52 characters",
        ])
        var object = cronJob("0 0 * * *")
        object[path: ["spec", "concurrencyPolicy"]] = "Sometimes"
        object[path: ["spec", "jobTemplate", "spec", "selector"]] = ["matchLabels": ["a": "b"]]
        object[path: ["spec", "timeZone"]] = "Local"
        #expect(validate("CronJob", object) == [
            "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
            "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
            "spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated",
        ])
    }
}

@Suite struct CronScheduleTests {
    @Test(arguments: ["* * * * *", "0 */2 * * 1-5", "30 3 1,15 jan-jun MON", "0 0 ? * SUN", "@daily", "@every 1h30m", "5/15 * * * *"])
    func accepted(schedule: String) {
        #expect(CronSchedule.error(in: schedule) == nil)
    }

    @Test func rejected() {
        #expect(CronSchedule.error(in: "") == "empty spec string")
        #expect(CronSchedule.error(in: "* * * *") == "expected exactly 5 fields, found 4: [* * * *]")
        #expect(CronSchedule.error(in: "60 * * * *") == "end of range (60) above maximum (59): 60")
        #expect(CronSchedule.error(in: "* * 0 * *") == "beginning of range (0) below minimum (1): 0")
        #expect(CronSchedule.error(in: "5-1 * * * *") == "beginning of range (5) beyond end of range (1): 5-1")
        #expect(CronSchedule.error(in: "*/0 * * * *") == "step of range should be a positive number: */0")
        #expect(CronSchedule.error(in: "1-2-3 * * * *") == "too many hyphens: 1-2-3")
        #expect(CronSchedule.error(in: "*/2/3 * * * *") == "too many slashes: */2/3")
        #expect(CronSchedule.error(in: "x * * * *") == "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax")
        #expect(CronSchedule.error(in: "* * * * 7") == "end of range (7) above maximum (6): 7")
        #expect(CronSchedule.error(in: "@sometimes") == "unrecognized descriptor: @sometimes")
        #expect(CronSchedule.error(in: "@every 5") == "failed to parse duration @every 5: time: missing unit in duration \"5\"")
        #expect(CronSchedule.error(in: "@every 5y") == "failed to parse duration @every 5y: time: unknown unit \"y\" in duration \"5y\"")
    }
}
