// autoscaling/v1: HorizontalPodAutoscaler, which `kubectl autoscale` sends as protobuf.
// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields
// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.
extension ProtobufSchema {
    static let autoscalingV1: [MessageDescriptor] = [
        MessageDescriptor("autoscaling.v1.CrossVersionObjectReference", [
            Field(1, "kind", .string, .keepZero),
            Field(2, "name", .string, .keepZero),
            Field(3, "apiVersion", .string),
        ]),
        MessageDescriptor("autoscaling.v1.HorizontalPodAutoscaler", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("autoscaling.v1.HorizontalPodAutoscalerSpec")),
            Field(3, "status", .message("autoscaling.v1.HorizontalPodAutoscalerStatus")),
        ]),
        MessageDescriptor("autoscaling.v1.HorizontalPodAutoscalerSpec", [
            Field(1, "scaleTargetRef", .message("autoscaling.v1.CrossVersionObjectReference")),
            Field(2, "minReplicas", .int32, .keepZero),
            Field(3, "maxReplicas", .int32, .keepZero),
            Field(4, "targetCPUUtilizationPercentage", .int32, .keepZero),
        ]),
        MessageDescriptor("autoscaling.v1.HorizontalPodAutoscalerStatus", [
            Field(1, "observedGeneration", .int64, .keepZero),
            Field(2, "lastScaleTime", .time),
            Field(3, "currentReplicas", .int32, .keepZero),
            Field(4, "desiredReplicas", .int32, .keepZero),
            Field(5, "currentCPUUtilizationPercentage", .int32, .keepZero),
        ]),
    ]
}
