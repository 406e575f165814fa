// batch/v1: Job and CronJob.
// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields
// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.
extension ProtobufSchema {
    static let batchV1: [MessageDescriptor] = [
        MessageDescriptor("batch.v1.CronJob", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("batch.v1.CronJobSpec")),
            Field(3, "status", .message("batch.v1.CronJobStatus")),
        ]),
        MessageDescriptor("batch.v1.CronJobSpec", [
            Field(1, "schedule", .string, .keepZero),
            Field(2, "startingDeadlineSeconds", .int64, .keepZero),
            Field(3, "concurrencyPolicy", .string),
            Field(4, "suspend", .bool, .keepZero),
            Field(5, "jobTemplate", .message("batch.v1.JobTemplateSpec")),
            Field(6, "successfulJobsHistoryLimit", .int32, .keepZero),
            Field(7, "failedJobsHistoryLimit", .int32, .keepZero),
            Field(8, "timeZone", .string, .keepZero),
        ]),
        MessageDescriptor("batch.v1.CronJobStatus", [
            Field(1, "active", .message("core.v1.ObjectReference"), .repeated),
            Field(4, "lastScheduleTime", .time),
            Field(5, "lastSuccessfulTime", .time),
        ]),
        MessageDescriptor("batch.v1.Job", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("batch.v1.JobSpec")),
            Field(3, "status", .message("batch.v1.JobStatus")),
        ]),
        MessageDescriptor("batch.v1.JobCondition", [
            Field(1, "type", .string, .keepZero),
            Field(2, "status", .string, .keepZero),
            Field(3, "lastProbeTime", .time),
            Field(4, "lastTransitionTime", .time),
            Field(5, "reason", .string),
            Field(6, "message", .string),
        ]),
        MessageDescriptor("batch.v1.JobSpec", [
            Field(1, "parallelism", .int32, .keepZero),
            Field(2, "completions", .int32, .keepZero),
            Field(3, "activeDeadlineSeconds", .int64, .keepZero),
            Field(4, "selector", .message("meta.v1.LabelSelector")),
            Field(5, "manualSelector", .bool, .keepZero),
            Field(6, "template", .message("core.v1.PodTemplateSpec")),
            Field(7, "backoffLimit", .int32, .keepZero),
            Field(8, "ttlSecondsAfterFinished", .int32, .keepZero),
            Field(9, "completionMode", .string, .keepZero),
            Field(10, "suspend", .bool, .keepZero),
            Field(11, "podFailurePolicy", .message("batch.v1.PodFailurePolicy")),
            Field(12, "backoffLimitPerIndex", .int32, .keepZero),
            Field(13, "maxFailedIndexes", .int32, .keepZero),
            Field(14, "podReplacementPolicy", .string, .keepZero),
            Field(15, "managedBy", .string, .keepZero),
            Field(16, "successPolicy", .message("batch.v1.SuccessPolicy")),
        ]),
        MessageDescriptor("batch.v1.JobStatus", [
            Field(1, "conditions", .message("batch.v1.JobCondition"), .repeated),
            Field(2, "startTime", .time),
            Field(3, "completionTime", .time),
            Field(4, "active", .int32),
            Field(5, "succeeded", .int32),
            Field(6, "failed", .int32),
            Field(7, "completedIndexes", .string),
            Field(8, "uncountedTerminatedPods", .message("batch.v1.UncountedTerminatedPods")),
            Field(9, "ready", .int32, .keepZero),
            Field(10, "failedIndexes", .string, .keepZero),
            Field(11, "terminating", .int32, .keepZero),
        ]),
        MessageDescriptor("batch.v1.JobTemplateSpec", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("batch.v1.JobSpec")),
        ]),
        MessageDescriptor("batch.v1.PodFailurePolicy", [
            Field(1, "rules", .message("batch.v1.PodFailurePolicyRule"), .repeated),
        ]),
        MessageDescriptor("batch.v1.PodFailurePolicyOnExitCodesRequirement", [
            Field(1, "containerName", .string, .keepZero),
            Field(2, "operator", .string, .keepZero),
            Field(3, "values", .int32, .repeated),
        ]),
        MessageDescriptor("batch.v1.PodFailurePolicyOnPodConditionsPattern", [
            Field(1, "type", .string, .keepZero),
            Field(2, "status", .string, .keepZero),
        ]),
        MessageDescriptor("batch.v1.PodFailurePolicyRule", [
            Field(1, "action", .string, .keepZero),
            Field(2, "onExitCodes", .message("batch.v1.PodFailurePolicyOnExitCodesRequirement")),
            Field(3, "onPodConditions", .message("batch.v1.PodFailurePolicyOnPodConditionsPattern"), .repeated),
        ]),
        MessageDescriptor("batch.v1.SuccessPolicy", [
            Field(1, "rules", .message("batch.v1.SuccessPolicyRule"), .repeated),
        ]),
        MessageDescriptor("batch.v1.SuccessPolicyRule", [
            Field(1, "succeededIndexes", .string, .keepZero),
            Field(2, "succeededCount", .int32, .keepZero),
        ]),
        MessageDescriptor("batch.v1.UncountedTerminatedPods", [
            Field(1, "succeeded", .string, .repeated),
            Field(2, "failed", .string, .repeated),
        ]),
    ]
}
