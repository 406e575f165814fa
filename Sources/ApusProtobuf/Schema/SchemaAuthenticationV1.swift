// authentication.k8s.io/v1: TokenRequest (the serviceaccounts/token subresource).
// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields
// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.
extension ProtobufSchema {
    static let authenticationV1: [MessageDescriptor] = [
        MessageDescriptor("authentication.v1.BoundObjectReference", [
            Field(1, "kind", .string),
            Field(2, "apiVersion", .string),
            Field(3, "name", .string),
            Field(4, "uid", .string),   // named uID in the .proto; the JSON name is uid
        ]),
        MessageDescriptor("authentication.v1.TokenRequest", [
            Field(1, "metadata", .message("meta.v1.ObjectMeta")),
            Field(2, "spec", .message("authentication.v1.TokenRequestSpec")),
            Field(3, "status", .message("authentication.v1.TokenRequestStatus")),
        ]),
        MessageDescriptor("authentication.v1.TokenRequestSpec", [
            Field(1, "audiences", .string, .repeated),
            Field(3, "boundObjectRef", .message("authentication.v1.BoundObjectReference")),
            Field(4, "expirationSeconds", .int64, .keepZero),
        ]),
        MessageDescriptor("authentication.v1.TokenRequestStatus", [
            Field(1, "token", .string, .keepZero),
            Field(2, "expirationTimestamp", .time),
        ]),
    ]
}
