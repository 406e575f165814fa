@testable import ApusCRI
@testable import ApusKubelet
import ApusControllerTesting
import Testing

/// The wire formats of exec: SPDY frames towards the runtime, and what the kubelet takes from a request.
struct StreamingProtocolTests {
    @Test func spdyFramesDecodeWhenWholeAndKeepTheRest() {
        var buffer = SPDYFrame.encodeData(stream: 5, fin: true, payload: [1, 2, 3][...]) + SPDYFrame.encodePing(id: 7) + [0x80, 0x03]
        #expect(SPDYFrame.decode(&buffer) == .data(stream: 5, fin: true, payload: [1, 2, 3]))
        #expect(SPDYFrame.decode(&buffer) == .ping(id: 7))
        // A partial frame waits for the rest.
        #expect(SPDYFrame.decode(&buffer) == nil)
        #expect(buffer == [0x80, 0x03])
    }

    @Test func synStreamCarriesItsHeadersInStoredZlibBlocks() {
        var opener = SPDYStreamOpener()
        let first = opener.synStream(1, headers: [("streamType", "error")])
        // Control bit, version 3, type 1 (SYN_STREAM).
        #expect(Array(first.prefix(4)) == [0x80, 0x03, 0x00, 0x01])
        let body = Array(first.dropFirst(8))
        #expect(SPDYFrame.word(body, 0) == 1)
        let block = Array(body.dropFirst(10))
        // zlib header without a dictionary, then a stored block of the pairs, then the sync-flush marker.
        #expect(Array(block.prefix(2)) == [0x78, 0x01])
        #expect((0x78 * 256 + 0x01) % 31 == 0)
        let length = Int(block[3]) | Int(block[4]) << 8
        #expect(Int(block[5]) | Int(block[6]) << 8 == 0xFFFF ^ length)
        let pairs = Array(block[7..<(7 + length)])
        #expect(pairs == [0, 0, 0, 1, 0, 0, 0, 10] + Array("streamtype".utf8) + [0, 0, 0, 5] + Array("error".utf8))
        #expect(Array(block.suffix(5)) == [0x00, 0x00, 0x00, 0xFF, 0xFF])
        // Later blocks continue the same zlib stream: no second header.
        let second = opener.synStream(3, headers: [("streamType", "stdout")])
        #expect(Array(second.dropFirst(18).prefix(1)) == [0x00])
    }

    @Test func execRequestsNeedACommandAndAStream() async {
        let runtime = FakeContainerRuntime(clock: .init())
        await #expect(throws: ContainerExec.Refusal.self) {
            try await ContainerExec.target(path: "/exec/default/p/c", query: "stdout=true", runtime: runtime)
        }
        await #expect(throws: ContainerExec.Refusal.self) {
            try await ContainerExec.target(path: "/exec/default/p/c", query: "command=ls", runtime: runtime)
        }
        // A well-formed request for a container that does not run is refused as such.
        do {
            _ = try await ContainerExec.target(path: "/exec/default/p/c", query: "command=sh&command=-c&command=exit+3&stdout=true", runtime: runtime)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.message == "container c is not running in pod p")
        }
    }
}
