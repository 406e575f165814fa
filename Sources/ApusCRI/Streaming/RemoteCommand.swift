import Foundation
import NIOCore
import NIOPosix

/// One exec or attach session on the runtime's streaming server (the URL CRI's Exec or Attach
/// returned), spoken as client-go does: an HTTP upgrade to `SPDY/3.1` with protocol
/// `v4.channel.k8s.io`, then one SPDY stream per channel (error, stdin, stdout, stderr, resize).
package enum RemoteCommand {
    package struct Channels: Sendable, Equatable {
        package var stdin: Bool
        package var stdout: Bool
        package var stderr: Bool
        package var tty: Bool

        package init(stdin: Bool, stdout: Bool, stderr: Bool, tty: Bool) {
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr
            self.tty = tty
        }
    }

    package enum Input: Sendable, Equatable {
        case stdin([UInt8])
        case closeStdin
        /// The terminal's size, as JSON `{"Width":w,"Height":h}`.
        case resize([UInt8])
    }

    package enum Output: Sendable, Equatable {
        case stdout([UInt8])
        case stderr([UInt8])
    }

    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs the session: `input` feeds the command, `output` gets what it writes. Returns what the
    /// server wrote on the error channel (a Status in JSON, empty if it wrote none) once it closes.
    package static func run(url: String, channels: Channels, input: AsyncStream<Input>,
                            output: @escaping @Sendable (Output) async -> Void) async throws -> [UInt8] {
        guard let target = Target(url) else { throw Failure("unsupported streaming URL \(url)") }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let request = "POST \(target.path) HTTP/1.1\r\nHost: \(target.host):\(target.port)\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n"
            try await outbound.write(ByteBuffer(string: request))
            var iterator = inbound.makeAsyncIterator()
            var pending = try await upgradeResponse(&iterator)

            // The streams, each named by its streamtype header; the client opens odd-numbered streams.
            var opener = SPDYStreamOpener()
            var ids: [String: UInt32] = [:]
            var frames: [UInt8] = []
            var next: UInt32 = 1
            func open(_ type: String) {
                ids[type] = next
                frames += opener.synStream(next, headers: [("streamtype", type)])
                next += 2
            }
            open("error")
            if channels.stdin { open("stdin") }
            if channels.stdout { open("stdout") }
            if channels.stderr && !channels.tty { open("stderr") }
            if channels.tty { open("resize") }
            try await outbound.write(ByteBuffer(bytes: frames))
            let stdoutID = ids["stdout"], stderrID = ids["stderr"], errorID = ids["error"]!
            let stdinID = ids["stdin"], resizeID = ids["resize"]

            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await item in input {
                        switch item {
                        case .stdin(let bytes):
                            guard let stdinID else { continue }
                            var rest = bytes[...]
                            while !rest.isEmpty {
                                let chunk = rest.prefix(32 << 10)
                                rest = rest.dropFirst(chunk.count)
                                try await outbound.write(ByteBuffer(bytes: SPDYFrame.encodeData(stream: stdinID, fin: false, payload: chunk)))
                            }
                        case .closeStdin:
                            guard let stdinID else { continue }
                            try await outbound.write(ByteBuffer(bytes: SPDYFrame.encodeData(stream: stdinID, fin: true, payload: [])))
                        case .resize(let json):
                            guard let resizeID else { continue }
                            try await outbound.write(ByteBuffer(bytes: SPDYFrame.encodeData(stream: resizeID, fin: false, payload: json[...])))
                        }
                    }
                }
                var status: [UInt8] = []
                readLoop: while true {
                    while let frame = SPDYFrame.decode(&pending) {
                        switch frame {
                        case .data(let stream, _, let payload):
                            if stream == stdoutID, !payload.isEmpty { await output(.stdout(payload)) }
                            else if stream == stderrID, !payload.isEmpty { await output(.stderr(payload)) }
                            else if stream == errorID { status += payload }
                        case .ping(let id):
                            try await outbound.write(ByteBuffer(bytes: SPDYFrame.encodePing(id: id)))
                        case .goAway:
                            break readLoop
                        case .synReply, .rstStream, .ignored:
                            continue
                        }
                    }
                    // The server closes the connection once the command has ended and its status is written.
                    guard let more = try await iterator.next() else { break }
                    pending += Array(buffer: more)
                }
                group.cancelAll()
                return status
            }
        }
    }

    /// Reads the answer to the upgrade request; returns the bytes after its head (the first frames).
    private static func upgradeResponse(_ iterator: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async throws -> [UInt8] {
        var received: [UInt8] = []
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let range = received.firstRange(of: end) {
                let head = String(decoding: received[..<range.lowerBound], as: UTF8.self)
                let statusLine = head.split(separator: "\r\n").first.map(String.init) ?? ""
                guard statusLine.contains(" 101 ") else {
                    let body = String(decoding: received[range.upperBound...], as: UTF8.self)
                    throw Failure("the streaming server refused the upgrade: \(statusLine) \(body)")
                }
                return Array(received[range.upperBound...])
            }
            guard received.count < 64 << 10, let more = try await iterator.next() else {
                throw Failure("the streaming server closed the connection before upgrading it")
            }
            received += Array(buffer: more)
        }
    }

    /// `http://host:port/path` of the runtime's (loopback) streaming server.
    struct Target {
        var host: String
        var port: Int
        var path: String

        init?(_ url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let rest = url.dropFirst("http://".count)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<slash]
            path = slash == rest.endIndex ? "/" : String(rest[slash...])
            guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else { return nil }
            host = String(authority[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            self.port = port
        }
    }
}
