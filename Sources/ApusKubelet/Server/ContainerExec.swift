import ApusCRI
import ApusMachinery
import ApusPKI
import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL

/// `kubectl exec` and `kubectl attach` on the kubelet's port: `/exec|attach/{ns}/{pod}/{container}`
/// upgraded to a WebSocket of `v5.channel.k8s.io` (the API server relays kubectl's), bridged to the
/// runtime's streaming server over SPDY.
///
/// v5 framing: binary messages whose first byte is the channel (0 stdin, 1 stdout, 2 stderr, 3 the
/// final Status, 4 terminal size); `[255, 0]` closes stdin.
enum ContainerExec {
    static let subprotocol = "v5.channel.k8s.io"

    /// What a request asks for, once checked against the runtime.
    struct Target: Sendable {
        var attach: Bool
        var containerID: String
        var command: [String]
        var channels: RemoteCommand.Channels
    }

    struct Refusal: Error, Sendable {
        var status: HTTPResponse.Status
        var message: String
    }

    /// Checks the request (path, query, the container running) and says what to run.
    static func target(path: String, query: String?, runtime: any ContainerRuntime) async throws(Refusal) -> Target {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count == 4, parts[0] == "exec" || parts[0] == "attach" else { throw Refusal(status: .notFound, message: "404 page not found") }
        var command: [String] = []
        var flags: [String: Bool] = [:]
        for pair in (query ?? "").split(separator: "&") {
            // Query encoding: "+" is a space, then percent escapes.
            let items = pair.split(separator: "=", maxSplits: 1).map { part in
                let text = String(part).replacingOccurrences(of: "+", with: " ")
                return text.removingPercentEncoding ?? text
            }
            let value = items.count > 1 ? items[1] : ""
            if items[0] == "command" { command.append(value) } else { flags[items[0]] = value == "true" || value == "1" }
        }
        let channels = RemoteCommand.Channels(stdin: flags["stdin"] ?? false, stdout: flags["stdout"] ?? false,
                                              stderr: flags["stderr"] ?? false, tty: flags["tty"] ?? false)
        let attach = parts[0] == "attach"
        if !attach, command.isEmpty { throw Refusal(status: .badRequest, message: "you must specify at least 1 command") }
        guard channels.stdin || channels.stdout || channels.stderr else {
            throw Refusal(status: .badRequest, message: "you must specify at least 1 of stdin, stdout, stderr")
        }
        let (namespace, pod, container) = (parts[1], parts[2], parts[3])
        let instances: [Runtime_V1_ContainerStatus]
        do {
            instances = try await RuntimePod.read(runtime, podKey: namespace + "/" + pod).containers.filter { $0.metadata.name == container }
        } catch {
            throw Refusal(status: .serviceUnavailable, message: "the container runtime cannot be reached: \(error)")
        }
        guard let running = instances.first, running.state == .containerRunning else {
            throw Refusal(status: .badRequest, message: "container \(container) is not running in pod \(pod)")
        }
        return Target(attach: attach, containerID: running.id, command: command, channels: channels)
    }

    /// Runs the session: kubectl's messages (through the API server) in, the command's output out,
    /// and the Status last, as v5 does.
    static func bridge(_ target: Target, runtime: any ContainerRuntime, inbound: WebSocketInboundStream,
                       outbound: WebSocketOutboundWriter, logger: Logger) async throws {
        let url: String
        do {
            if target.attach {
                var request = Runtime_V1_AttachRequest()
                request.containerID = target.containerID
                request.stdin = target.channels.stdin
                request.stdout = target.channels.stdout
                request.stderr = target.channels.stderr && !target.channels.tty
                request.tty = target.channels.tty
                url = try await runtime.attach(request)
            } else {
                var request = Runtime_V1_ExecRequest()
                request.containerID = target.containerID
                request.cmd = target.command
                request.stdin = target.channels.stdin
                request.stdout = target.channels.stdout
                request.stderr = target.channels.stderr && !target.channels.tty
                request.tty = target.channels.tty
                url = try await runtime.exec(request)
            }
        } catch {
            try await finish(outbound, status: failure("\(error)"))
            return
        }
        let (input, feed) = AsyncStream<RemoteCommand.Input>.makeStream()
        let reader = Task {
            do {
                for try await message in inbound.messages(maxSize: 16 << 20) {
                    guard case .binary(var buffer) = message, let channel = buffer.readInteger(as: UInt8.self) else { continue }
                    let bytes = Array(buffer: buffer)
                    switch channel {
                    case 0: feed.yield(.stdin(bytes))
                    case 4: feed.yield(.resize(bytes))
                    case 255 where bytes.first == 0: feed.yield(.closeStdin)
                    default: continue
                    }
                }
            } catch {
                logger.debug("exec input ended", metadata: ["error": "\(error)"])
            }
            feed.finish()
        }
        defer { reader.cancel() }
        var status: [UInt8]
        do {
            status = try await RemoteCommand.run(url: url, channels: target.channels, input: input) { output in
                switch output {
                case .stdout(let bytes): try? await outbound.write(.binary(ByteBuffer(bytes: [1] + bytes)))
                case .stderr(let bytes): try? await outbound.write(.binary(ByteBuffer(bytes: [2] + bytes)))
                }
            }
        } catch {
            status = failure("\(error)")
        }
        if status.isEmpty { status = Array(#"{"metadata":{},"status":"Success"}"#.utf8) }
        try await finish(outbound, status: status)
    }

    static func finish(_ outbound: WebSocketOutboundWriter, status: [UInt8]) async throws {
        try await outbound.write(.binary(ByteBuffer(bytes: [3] + status)))
        try await outbound.close(.normalClosure, reason: nil)
    }

    /// A Failure Status as the error channel carries it.
    static func failure(_ message: String, code: Int = 500) -> [UInt8] {
        let reasons = [400: "BadRequest", 404: "NotFound", 503: "ServiceUnavailable"]
        let status: JSON = ["metadata": .emptyObject, "status": "Failure", "message": .string(message),
                            "reason": .string(reasons[code] ?? "InternalError"), "code": .int(Int64(code))]
        return Array(status.serializedString.utf8)
    }

    /// The identity of the client certificate on this connection (verified by NIOSSL against the client CA).
    static func peerIdentity(_ channel: any Channel) async -> (user: String, groups: [String])? {
        let der: [UInt8]? = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate?.toDERBytes()
        }.get()
        return der.flatMap(ClusterPKI.identity(fromDER:))
    }
}
