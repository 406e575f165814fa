// core/v1: Namespace, ConfigMap, Secret, ServiceAccount, ResourceQuota and Service.
// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields
// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.
extension ProtobufSchema {
    static let coreV1Objects: [MessageDescriptor] = [
        MessageDescriptor("core.v1.ClientIPConfig", [
            Field(1, "timeoutSeconds", .int32, .keepZero),
        ]),
        MessageDescriptor("core.v1.ConfigMap", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "data", .map(.string)),
            Field(3, "binaryData", .map(.bytes)),
            Field(4, "immutable", .bool, .keepZero),
        ]),
        MessageDescriptor("core.v1.LoadBalancerIngress", [
            Field(1, "ip", .string),
            Field(2, "hostname", .string),
            Field(3, "ipMode", .string, .keepZero),
            Field(4, "ports", .message("core.v1.PortStatus"), .repeated),
        ]),
        MessageDescriptor("core.v1.LoadBalancerStatus", [
            Field(1, "ingress", .message("core.v1.LoadBalancerIngress"), .repeated),
        ]),
        MessageDescriptor("core.v1.LocalObjectReference", [
            Field(1, "name", .string),
        ]),
        MessageDescriptor("core.v1.Namespace", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("core.v1.NamespaceSpec")),
            Field(3, "status", .message("core.v1.NamespaceStatus")),
        ]),
        MessageDescriptor("core.v1.NamespaceCondition", [
            Field(1, "type", .string, .keepZero),
            Field(2, "status", .string, .keepZero),
            Field(4, "lastTransitionTime", .time),
            Field(5, "reason", .string),
            Field(6, "message", .string),
        ]),
        MessageDescriptor("core.v1.NamespaceSpec", [
            Field(1, "finalizers", .string, .repeated),
        ]),
        MessageDescriptor("core.v1.NamespaceStatus", [
            Field(1, "phase", .string),
            Field(2, "conditions", .message("core.v1.NamespaceCondition"), .repeated),
        ]),
        MessageDescriptor("core.v1.ObjectReference", [
            Field(1, "kind", .string),
            Field(2, "namespace", .string),
            Field(3, "name", .string),
            Field(4, "uid", .string),
            Field(5, "apiVersion", .string),
            Field(6, "resourceVersion", .string),
            Field(7, "fieldPath", .string),
        ]),
        MessageDescriptor("core.v1.PortStatus", [
            Field(1, "port", .int32, .keepZero),
            Field(2, "protocol", .string, .keepZero),
            Field(3, "error", .string, .keepZero),
        ]),
        MessageDescriptor("core.v1.ResourceQuota", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("core.v1.ResourceQuotaSpec")),
            Field(3, "status", .message("core.v1.ResourceQuotaStatus")),
        ]),
        MessageDescriptor("core.v1.ResourceQuotaSpec", [
            Field(1, "hard", .map(.quantity)),
            Field(2, "scopes", .string, .repeated),
            Field(3, "scopeSelector", .message("core.v1.ScopeSelector")),
        ]),
        MessageDescriptor("core.v1.ResourceQuotaStatus", [
            Field(1, "hard", .map(.quantity)),
            Field(2, "used", .map(.quantity)),
        ]),
        MessageDescriptor("core.v1.ScopeSelector", [
            Field(1, "matchExpressions", .message("core.v1.ScopedResourceSelectorRequirement"), .repeated),
        ]),
        MessageDescriptor("core.v1.ScopedResourceSelectorRequirement", [
            Field(1, "scopeName", .string, .keepZero),
            Field(2, "operator", .string, .keepZero),
            Field(3, "values", .string, .repeated),
        ]),
        MessageDescriptor("core.v1.Secret", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "data", .map(.bytes)),
            Field(3, "type", .string),
            Field(4, "stringData", .map(.string)),
            Field(5, "immutable", .bool, .keepZero),
        ]),
        MessageDescriptor("core.v1.Service", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("core.v1.ServiceSpec")),
            Field(3, "status", .message("core.v1.ServiceStatus")),
        ]),
        MessageDescriptor("core.v1.ServiceAccount", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "secrets", .message("core.v1.ObjectReference"), .repeated),
            Field(3, "imagePullSecrets", .message("core.v1.LocalObjectReference"), .repeated),
            Field(4, "automountServiceAccountToken", .bool, .keepZero),
        ]),
        MessageDescriptor("core.v1.ServicePort", [
            Field(1, "name", .string),
            Field(2, "protocol", .string),
            Field(3, "port", .int32, .keepZero),
            Field(4, "targetPort", .intOrString),
            Field(5, "nodePort", .int32),
            Field(6, "appProtocol", .string, .keepZero),
        ]),
        MessageDescriptor("core.v1.ServiceSpec", [
            Field(1, "ports", .message("core.v1.ServicePort"), .repeated),
            Field(2, "selector", .map(.string)),
            Field(3, "clusterIP", .string),
            Field(4, "type", .string),
            Field(5, "externalIPs", .string, .repeated),
            Field(7, "sessionAffinity", .string),
            Field(8, "loadBalancerIP", .string),
            Field(9, "loadBalancerSourceRanges", .string, .repeated),
            Field(10, "externalName", .string),
            Field(11, "externalTrafficPolicy", .string),
            Field(12, "healthCheckNodePort", .int32),
            Field(13, "publishNotReadyAddresses", .bool),
            Field(14, "sessionAffinityConfig", .message("core.v1.SessionAffinityConfig")),
            Field(17, "ipFamilyPolicy", .string, .keepZero),
            Field(18, "clusterIPs", .string, .repeated),
            Field(19, "ipFamilies", .string, .repeated),
            Field(20, "allocateLoadBalancerNodePorts", .bool, .keepZero),
            Field(21, "loadBalancerClass", .string, .keepZero),
            Field(22, "internalTrafficPolicy", .string, .keepZero),
            Field(23, "trafficDistribution", .string, .keepZero),
        ]),
        MessageDescriptor("core.v1.ServiceStatus", [
            Field(1, "loadBalancer", .message("core.v1.LoadBalancerStatus")),
            Field(2, "conditions", .message("meta.v1.Condition"), .repeated),
        ]),
        MessageDescriptor("core.v1.SessionAffinityConfig", [
            Field(1, "clientIP", .message("core.v1.ClientIPConfig")),
        ]),
    ]
}
