import ApusMachinery
import Testing
@testable import ApusProtobuf

/// The `k8s\0` + runtime.Unknown wrapper and the kinds it may name.
struct EnvelopeTests {
    private func error(decoding body: [UInt8]) -> APIError? {
        do {
            _ = try KubernetesProtobuf.decode(body)
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownKindIsUnsupportedMediaTypeNamingTheKind() {
        let body = ProtobufBuilder.body(apiVersion: "example.com/v1", kind: "Widget") { w in w.message(1) { m in m.string(1, "w") } }
        let failure = error(decoding: body)
        #expect(failure?.code == 415)
        #expect(failure?.reason == "UnsupportedMediaType")
        #expect(failure?.message.contains("\"Widget\"") == true)
        #expect(failure?.message.contains("example.com/v1") == true)
    }

    /// A known kind under another version is not guessed at: the field numbers could differ.
    @Test func knownKindInAnotherVersionIsUnsupported() {
        let body = ProtobufBuilder.body(apiVersion: "apps/v1beta1", kind: "Deployment") { _ in }
        #expect(error(decoding: body)?.code == 415)
    }

    @Test func bodyWithoutMagicIsBadRequest() {
        #expect(error(decoding: [])?.code == 400)
        #expect(error(decoding: Array("k8s".utf8))?.code == 400)
        #expect(error(decoding: Array(#"{"kind":"Pod"}"#.utf8))?.code == 400)
    }

    @Test func envelopeWithoutKindIsBadRequest() {
        #expect(error(decoding: KubernetesProtobuf.magic)?.code == 400)
        let body = ProtobufBuilder.envelope(apiVersion: "v1", kind: "", raw: [])
        #expect(error(decoding: body)?.message.contains("kind") == true)
    }

    @Test func compressedContentIsUnsupported() {
        let body = ProtobufBuilder.body(apiVersion: "v1", kind: "Namespace", contentEncoding: "gzip") { _ in }
        #expect(error(decoding: body)?.code == 415)
    }

    @Test func foreignInnerContentTypeIsUnsupported() {
        let body = ProtobufBuilder.body(apiVersion: "v1", kind: "Namespace", contentType: "application/yaml") { _ in }
        #expect(error(decoding: body)?.code == 415)
    }

    @Test func explicitProtobufInnerContentTypeIsAccepted() throws {
        let body = ProtobufBuilder.body(apiVersion: "v1", kind: "Namespace", contentType: KubernetesProtobuf.contentType) { ns in
            ns.message(1) { meta in meta.string(1, "foo") }
        }
        #expect(try KubernetesProtobuf.decode(body) == ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "foo"]])
    }

    @Test func embeddedJSONPayloadIsReturnedWithTheEnvelopeKind() throws {
        let raw = Array(#"{"metadata":{"name":"foo"}}"#.utf8)
        let body = ProtobufBuilder.envelope(apiVersion: "v1", kind: "Namespace", raw: raw, contentType: "application/json")
        #expect(try KubernetesProtobuf.decode(body) == ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "foo"]])
        let broken = ProtobufBuilder.envelope(apiVersion: "v1", kind: "Namespace", raw: Array("{".utf8), contentType: "application/json")
        #expect(error(decoding: broken)?.code == 400)
    }

    @Test func emptyObjectOfAKnownKindDecodes() throws {
        let body = ProtobufBuilder.envelope(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", raw: [])
        #expect(try KubernetesProtobuf.decode(body) == ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole"])
    }

    @Test func supportedKinds() {
        #expect(KubernetesProtobuf.supports(apiVersion: "apps/v1", kind: "Deployment"))
        #expect(KubernetesProtobuf.supports(apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest"))
        #expect(!KubernetesProtobuf.supports(apiVersion: "v1", kind: "Deployment"))
        #expect(KubernetesProtobuf.supportedKinds.count == ProtobufSchema.kinds.count)
        #expect(KubernetesProtobuf.contentType == "application/vnd.kubernetes.protobuf")
    }

    @Test func recognisesTheContentTypeHeader() {
        #expect(KubernetesProtobuf.isProtobuf(contentType: "application/vnd.kubernetes.protobuf"))
        #expect(KubernetesProtobuf.isProtobuf(contentType: "Application/Vnd.Kubernetes.Protobuf; charset=utf-8"))
        #expect(!KubernetesProtobuf.isProtobuf(contentType: "application/json"))
        #expect(!KubernetesProtobuf.isProtobuf(contentType: ""))
    }
}
