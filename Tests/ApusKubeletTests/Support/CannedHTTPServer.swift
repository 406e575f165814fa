import NIOCore
import NIOPosix
import Synchronization

/// An HTTP/1.1 server on loopback that answers by path: `/ok` 200, `/moved` 302 to `/ok`, anything
/// else 500; it keeps the last request it read, and closes each connection after one answer.
final class CannedHTTPServer: Sendable {
    private let channel: any Channel
    private let log: Box

    var port: Int { channel.localAddress?.port ?? 0 }

    private init(channel: any Channel, log: Box) {
        self.channel = channel
        self.log = log
    }

    static func start() async throws -> CannedHTTPServer {
        let log = Box()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.pipeline.addHandler(Answer(log: log)) }
            .bind(host: "127.0.0.1", port: 0).get()
        return CannedHTTPServer(channel: channel, log: log)
    }

    func lastRequest() -> String { log.last() }

    func stop() { channel.close(promise: nil) }

    // The connection handlers append to this from event-loop threads; the Mutex serialises them.
    final class Box: Sendable {
        private let requests = Mutex<[String]>([])
        func append(_ request: String) { requests.withLock { $0.append(request) } }
        func last() -> String { requests.withLock { $0.last ?? "" } }
    }

    private final class Answer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let log: Box

        init(log: Box) { self.log = log }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let request = buffer.readString(length: buffer.readableBytes) ?? ""
            log.append(request)
            let path = request.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            let head: String
            switch path {
            case "/ok": head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            case "/moved": head = "HTTP/1.1 302 Found\r\nLocation: /ok\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            default: head = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            }
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: head))).whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }
}
