// rbac.authorization.k8s.io/v1: Role, ClusterRole and their bindings.
// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields
// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.
extension ProtobufSchema {
    static let rbacV1: [MessageDescriptor] = [
        MessageDescriptor("rbac.v1.AggregationRule", [
            Field(1, "clusterRoleSelectors", .message("meta.v1.LabelSelector"), .repeated),
        ]),
        MessageDescriptor("rbac.v1.ClusterRole", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "rules", .message("rbac.v1.PolicyRule"), .repeated),
            Field(3, "aggregationRule", .message("rbac.v1.AggregationRule")),
        ]),
        MessageDescriptor("rbac.v1.ClusterRoleBinding", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "subjects", .message("rbac.v1.Subject"), .repeated),
            Field(3, "roleRef", .message("rbac.v1.RoleRef")),
        ]),
        MessageDescriptor("rbac.v1.PolicyRule", [
            Field(1, "verbs", .string, .repeated),
            Field(2, "apiGroups", .string, .repeated),
            Field(3, "resources", .string, .repeated),
            Field(4, "resourceNames", .string, .repeated),
            Field(5, "nonResourceURLs", .string, .repeated),
        ]),
        MessageDescriptor("rbac.v1.Role", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "rules", .message("rbac.v1.PolicyRule"), .repeated),
        ]),
        MessageDescriptor("rbac.v1.RoleBinding", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "subjects", .message("rbac.v1.Subject"), .repeated),
            Field(3, "roleRef", .message("rbac.v1.RoleRef")),
        ]),
        MessageDescriptor("rbac.v1.RoleRef", [
            Field(1, "apiGroup", .string, .keepZero),
            Field(2, "kind", .string, .keepZero),
            Field(3, "name", .string, .keepZero),
        ]),
        MessageDescriptor("rbac.v1.Subject", [
            Field(1, "kind", .string, .keepZero),
            Field(2, "apiGroup", .string),
            Field(3, "name", .string, .keepZero),
            Field(4, "namespace", .string),
        ]),
    ]
}
