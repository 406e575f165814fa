// policy/v1: PodDisruptionBudget.
// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields
// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.
extension ProtobufSchema {
    static let policyV1: [MessageDescriptor] = [
        MessageDescriptor("policy.v1.PodDisruptionBudget", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("policy.v1.PodDisruptionBudgetSpec")),
            Field(3, "status", .message("policy.v1.PodDisruptionBudgetStatus")),
        ]),
        MessageDescriptor("policy.v1.PodDisruptionBudgetSpec", [
            Field(1, "minAvailable", .intOrString),
            Field(2, "selector", .message("meta.v1.LabelSelector")),
            Field(3, "maxUnavailable", .intOrString),
            Field(4, "unhealthyPodEvictionPolicy", .string, .keepZero),
        ]),
        MessageDescriptor("policy.v1.PodDisruptionBudgetStatus", [
            Field(1, "observedGeneration", .int64),
            Field(2, "disruptedPods", .map(.time)),
            Field(3, "disruptionsAllowed", .int32, .keepZero),
            Field(4, "currentHealthy", .int32, .keepZero),
            Field(5, "desiredHealthy", .int32, .keepZero),
            Field(6, "expectedPods", .int32, .keepZero),
            Field(7, "conditions", .message("meta.v1.Condition"), .repeated),
        ]),
    ]
}
