import ApusMachinery
import Testing
@testable import ApusProtobuf

/// Truncated, corrupted and random bodies must become a 400/415 `APIError` or decode, never trap.
struct MalformedInputTests {
    /// Decodes, requiring that any failure is a client error (a 500 would mean a schema mistake).
    private func decodeOrClientError(_ body: [UInt8]) -> Bool {
        do {
            _ = try KubernetesProtobuf.decode(body)
            return true
        } catch {
            #expect(error.code == 400 || error.code == 415, "unexpected \(error)")
            return false
        }
    }

    /// A prefix that ends between two envelope fields is a valid (smaller) envelope; every other
    /// prefix cuts into the magic, the typeMeta or the raw object and must be rejected.
    @Test(arguments: KubectlCaptureTests.captures + ["token"])
    func everyTruncationInsideAFieldIsRejected(name: String) throws {
        let body = try Fixture.bytes(name, "pb")
        var boundaries: Set<Int> = []
        var envelope = WireReader(body, range: KubernetesProtobuf.magic.count..<body.count)
        while !envelope.isAtEnd {
            _ = try envelope.readTag()
            _ = try envelope.readLengthDelimited()
            boundaries.insert(envelope.position)
        }
        #expect(boundaries.count == 4, "kubectl writes typeMeta, raw, contentEncoding and contentType")
        for length in 0..<body.count where !boundaries.contains(length) {
            #expect(throws: APIError.self, "\(name) cut at \(length)") { try KubernetesProtobuf.decode(Array(body.prefix(length))) }
        }
    }

    @Test(arguments: ["deployment", "cronjob", "ingress", "secret-tls", "zero-pods", "zero-statefulsets"])
    func bitFlipsNeverTrap(name: String) throws {
        let body = try Fixture.bytes(name, "pb")
        var random = SeededGenerator(seed: UInt64(body.count))
        for _ in 0..<400 {
            var mutated = body
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: KubernetesProtobuf.magic.count..<mutated.count, using: &random)
                mutated[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
            }
            _ = decodeOrClientError(mutated)
        }
    }

    @Test func randomBytesAfterTheMagicNeverTrap() {
        var random = SeededGenerator(seed: 42)
        var decoded = 0
        for _ in 0..<2000 {
            let length = Int.random(in: 0...64, using: &random)
            let garbage = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            if decodeOrClientError(KubernetesProtobuf.magic + garbage) { decoded += 1 }
        }
        // Random bytes almost never form an envelope naming a known kind.
        #expect(decoded < 20)
    }

    /// Random bytes as the raw object of a known kind reach the message decoder itself.
    @Test func randomObjectBytesNeverTrap() {
        var random = SeededGenerator(seed: 7)
        for kind in ProtobufSchema.kinds {
            for _ in 0..<100 {
                let raw = (0..<Int.random(in: 1...48, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                _ = decodeOrClientError(ProtobufBuilder.envelope(apiVersion: kind.apiVersion, kind: kind.kind, raw: raw))
            }
        }
    }

    @Test func malformedVarintsAndTagsAreRejected() {
        func object(_ raw: [UInt8]) -> [UInt8] { ProtobufBuilder.envelope(apiVersion: "v1", kind: "Namespace", raw: raw) }
        let cases: [(String, [UInt8])] = [
            ("varint longer than ten bytes", object([0x08] + Array(repeating: 0xFF, count: 10) + [0x01])),
            ("varint overflowing 64 bits", object([0x08] + Array(repeating: 0xFF, count: 9) + [0x02])),
            ("field number zero", object([0x02, 0x00])),
            ("wire type 6", object([0x0E])),
            ("wire type 7", object([0x0F])),
            ("start group", object([0x0B])),
            ("end group", object([0x0C])),
            ("length past the end", object([0x0A, 0x05, 0x0A])),
            ("truncated fixed64", object([0x79, 0x01, 0x02])),
            ("truncated fixed32", object([0x7D, 0x01])),
            ("huge length", object([0x0A] + Array(repeating: 0xFF, count: 9) + [0x01])),
        ]
        for (label, body) in cases {
            #expect(throws: APIError.self, "\(label)") { try KubernetesProtobuf.decode(body) }
        }
    }

    @Test func hugeRepeatedFieldsDecodeInLinearTime() throws {
        // 200k finalizers: appending must not copy the array each time.
        let body = ProtobufBuilder.body(apiVersion: "v1", kind: "Namespace") { ns in
            ns.message(1) { meta in for _ in 0..<200_000 { meta.string(14, "x") } }
        }
        let decoded = try KubernetesProtobuf.decode(body)
        #expect(decoded[path: ["metadata", "finalizers"]].array?.count == 200_000)
    }
}
