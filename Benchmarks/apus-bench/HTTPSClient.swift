import ApusBenchSupport
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The credentials of the admin kubeconfig `apus server` writes, turned into a TLS client context.
struct ClientCredentials: Sendable {
    let sslContext: NIOSSLContext

    /// Reads `certificate-authority-data`, `client-certificate-data` and `client-key-data` (base64 PEM).
    init(kubeconfigPath: String) throws {
        let text = try String(contentsOfFile: kubeconfigPath, encoding: .utf8)
        func field(_ name: String) throws -> [UInt8] {
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix(name + ":") else { continue }
                let value = trimmed.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
                guard let data = Data(base64Encoded: value) else { throw BenchError("\(name) in \(kubeconfigPath) is not base64") }
                return [UInt8](data)
            }
            throw BenchError("\(kubeconfigPath) has no \(name)")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: try field("certificate-authority-data"), format: .pem)])
        tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: try field("client-certificate-data"), format: .pem))]
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: try field("client-key-data"), format: .pem))
        tls.applicationProtocols = ["http/1.1"]
        sslContext = try NIOSSLContext(configuration: tls)
    }
}

typealias HTTPChannel = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

/// Opens keep-alive HTTPS/1.1 connections to the server on loopback.
struct HTTPSConnector: Sendable {
    let group: any EventLoopGroup
    let port: Int
    let credentials: ClientCredentials

    func connect() async throws -> HTTPChannel {
        let context = credentials.sslContext
        return try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // The serving certificate names localhost and 127.0.0.1.
                    let tls = try NIOSSLClientHandler(context: context, serverHostname: "localhost")
                    try channel.pipeline.syncOperations.addHandler(tls)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try HTTPChannel(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Connects `count` clients up front, so a phase measures requests and not handshakes.
    func connectAll(_ count: Int) async throws -> [HTTPChannel] {
        var channels: [HTTPChannel] = []
        for _ in 0..<count { channels.append(try await connect()) }
        return channels
    }
}

struct HTTPReply {
    var status: UInt
    var body: ByteBuffer
}

/// One connection's request/response loop: requests are sent one after another (no pipelining),
/// as a Kubernetes client does on one HTTP/1.1 connection. Used by a single task only.
final class HTTPExchange {
    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

    init(inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>, outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>) {
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    private func send(_ method: HTTPMethod, _ uri: String, body: [UInt8]?) async throws {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        head.headers.add(name: "Host", value: "127.0.0.1")
        head.headers.add(name: "Accept", value: "application/json")
        head.headers.add(name: "User-Agent", value: "apus-bench")
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
            try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(ByteBuffer(bytes: body))), .end(nil)])
        } else {
            try await outbound.write(contentsOf: [.head(head), .end(nil)])
        }
    }

    /// Sends a request and reads the whole response.
    func request(_ method: HTTPMethod, _ uri: String, body: [UInt8]? = nil) async throws -> HTTPReply {
        try await send(method, uri, body: body)
        var status: UInt = 0
        var collected = ByteBuffer()
        while let part = try await inbound.next() {
            switch part {
            case .head(let head): status = head.status.code
            case .body(var chunk): collected.writeBuffer(&chunk)
            case .end: return HTTPReply(status: status, body: collected)
            }
        }
        throw BenchError("connection closed by the server during \(method) \(uri)")
    }

    /// Sends a streaming request (a watch) and returns its status once the response head arrives.
    func open(_ uri: String) async throws -> UInt {
        try await send(.GET, uri, body: nil)
        while let part = try await inbound.next() {
            if case .head(let head) = part { return head.status.code }
        }
        throw BenchError("connection closed by the server before the response to \(uri)")
    }

    /// Reads the open streaming response line by line until `onLine` returns false or the body ends.
    func readLines(_ onLine: ([UInt8]) throws -> Bool) async throws {
        var pending: [UInt8] = []
        while let part = try await inbound.next() {
            switch part {
            case .head: continue
            case .end: return
            case .body(let chunk):
                pending.append(contentsOf: chunk.readableBytesView)
                var start = 0
                while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    if newline > start, !(try onLine(Array(pending[start..<newline]))) { return }
                    start = newline + 1
                }
                pending.removeFirst(start)
            }
        }
    }
}

extension HTTPChannel {
    /// Runs `body` with a request/response exchange on this connection, then closes it.
    func exchange<Result: Sendable>(_ body: (HTTPExchange) async throws -> Result) async throws -> Result {
        try await executeThenClose { inbound, outbound in
            try await body(HTTPExchange(inbound: inbound, outbound: outbound))
        }
    }
}
