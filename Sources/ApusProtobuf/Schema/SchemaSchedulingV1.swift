// scheduling.k8s.io/v1: PriorityClass.
// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields
// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.
extension ProtobufSchema {
    static let schedulingV1: [MessageDescriptor] = [
        MessageDescriptor("scheduling.v1.PriorityClass", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "value", .int32, .keepZero),
            Field(3, "globalDefault", .bool),
            Field(4, "description", .string),
            Field(5, "preemptionPolicy", .string, .keepZero),
        ]),
    ]
}
