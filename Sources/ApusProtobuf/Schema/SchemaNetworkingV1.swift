// networking.k8s.io/v1: Ingress.
// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields
// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.
extension ProtobufSchema {
    static let networkingV1: [MessageDescriptor] = [
        MessageDescriptor("networking.v1.HTTPIngressPath", [
            Field(1, "path", .string),
            Field(2, "backend", .message("networking.v1.IngressBackend")),
            Field(3, "pathType", .string, .keepZero),
        ]),
        MessageDescriptor("networking.v1.HTTPIngressRuleValue", [
            Field(1, "paths", .message("networking.v1.HTTPIngressPath"), .repeated),
        ]),
        MessageDescriptor("networking.v1.Ingress", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("networking.v1.IngressSpec")),
            Field(3, "status", .message("networking.v1.IngressStatus")),
        ]),
        MessageDescriptor("networking.v1.IngressBackend", [
            Field(3, "resource", .message("core.v1.TypedLocalObjectReference")),
            Field(4, "service", .message("networking.v1.IngressServiceBackend")),
        ]),
        MessageDescriptor("networking.v1.IngressLoadBalancerIngress", [
            Field(1, "ip", .string),
            Field(2, "hostname", .string),
            Field(4, "ports", .message("networking.v1.IngressPortStatus"), .repeated),
        ]),
        MessageDescriptor("networking.v1.IngressLoadBalancerStatus", [
            Field(1, "ingress", .message("networking.v1.IngressLoadBalancerIngress"), .repeated),
        ]),
        MessageDescriptor("networking.v1.IngressPortStatus", [
            Field(1, "port", .int32, .keepZero),
            Field(2, "protocol", .string, .keepZero),
            Field(3, "error", .string, .keepZero),
        ]),
        MessageDescriptor("networking.v1.IngressRule", [
            Field(1, "host", .string),
            Field(2, "ingressRuleValue", .message("networking.v1.IngressRuleValue"), .inline),
        ]),
        MessageDescriptor("networking.v1.IngressRuleValue", [
            Field(1, "http", .message("networking.v1.HTTPIngressRuleValue")),
        ]),
        MessageDescriptor("networking.v1.IngressServiceBackend", [
            Field(1, "name", .string, .keepZero),
            Field(2, "port", .message("networking.v1.ServiceBackendPort")),
        ]),
        MessageDescriptor("networking.v1.IngressSpec", [
            Field(1, "defaultBackend", .message("networking.v1.IngressBackend")),
            Field(2, "tls", .message("networking.v1.IngressTLS"), .repeated),
            Field(3, "rules", .message("networking.v1.IngressRule"), .repeated),
            Field(4, "ingressClassName", .string, .keepZero),
        ]),
        MessageDescriptor("networking.v1.IngressStatus", [
            Field(1, "loadBalancer", .message("networking.v1.IngressLoadBalancerStatus")),
        ]),
        MessageDescriptor("networking.v1.IngressTLS", [
            Field(1, "hosts", .string, .repeated),
            Field(2, "secretName", .string),
        ]),
        MessageDescriptor("networking.v1.ServiceBackendPort", [
            Field(1, "name", .string),
            Field(2, "number", .int32),
        ]),
    ]
}
