// meta/v1: object metadata, owner references, managed fields, label selectors and conditions.
// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields
// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.
extension ProtobufSchema {
    static let metaV1: [MessageDescriptor] = [
        MessageDescriptor("meta.v1.Condition", [
            Field(1, "type", .string, .keepZero),
            Field(2, "status", .string, .keepZero),
            Field(3, "observedGeneration", .int64),
            Field(4, "lastTransitionTime", .time),
            Field(5, "reason", .string, .keepZero),
            Field(6, "message", .string, .keepZero),
        ]),
        MessageDescriptor("meta.v1.LabelSelector", [
            Field(1, "matchLabels", .map(.string)),
            Field(2, "matchExpressions", .message("meta.v1.LabelSelectorRequirement"), .repeated),
        ]),
        MessageDescriptor("meta.v1.LabelSelectorRequirement", [
            Field(1, "key", .string, .keepZero),
            Field(2, "operator", .string, .keepZero),
            Field(3, "values", .string, .repeated),
        ]),
        MessageDescriptor("meta.v1.ManagedFieldsEntry", [
            Field(1, "manager", .string),
            Field(2, "operation", .string),
            Field(3, "apiVersion", .string),
            Field(4, "time", .time),
            Field(6, "fieldsType", .string),
            Field(7, "fieldsV1", .embeddedJSON),
            Field(8, "subresource", .string),
        ]),
        MessageDescriptor("meta.v1.ObjectMeta", [
            Field(1, "name", .string),
            Field(2, "generateName", .string),
            Field(3, "namespace", .string),
            Field(4, "selfLink", .string),
            Field(5, "uid", .string),
            Field(6, "resourceVersion", .string),
            Field(7, "generation", .int64),
            Field(8, "creationTimestamp", .time),
            Field(9, "deletionTimestamp", .time),
            Field(10, "deletionGracePeriodSeconds", .int64, .keepZero),
            Field(11, "labels", .map(.string)),
            Field(12, "annotations", .map(.string)),
            Field(13, "ownerReferences", .message("meta.v1.OwnerReference"), .repeated),
            Field(14, "finalizers", .string, .repeated),
            Field(17, "managedFields", .message("meta.v1.ManagedFieldsEntry"), .repeated),
        ]),
        MessageDescriptor("meta.v1.OwnerReference", [
            Field(1, "kind", .string, .keepZero),
            Field(3, "name", .string, .keepZero),
            Field(4, "uid", .string, .keepZero),
            Field(5, "apiVersion", .string, .keepZero),
            Field(6, "controller", .bool, .keepZero),
            Field(7, "blockOwnerDeletion", .bool, .keepZero),
        ]),
    ]
}
