import ApusControllerKit
import ApusMachinery
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// The API over HTTPS, authenticated by client certificate or bearer token, JSON in and out.
/// Call `shutdown()` when done.
///
/// Two connection pools: the server speaks HTTP/1.1 only, so every request in flight holds a
/// connection of its own. Watches hold theirs for as long as they run, and a controller manager
/// follows dozens of resources, so their pool is large. Ordinary requests get a small pool: a burst
/// (a ReplicaSet creating 500 pods at once) then queues here instead of opening hundreds of TLS
/// connections, which cost both ends tens of kilobytes each and linger idle for a minute after; a
/// few dozen requests in flight already keep the server busy.
public struct APIClient: Sendable {
    public let config: ClientConfig
    let http: HTTPClient
    let streams: HTTPClient

    static let requestConnectionLimit = 32
    static let streamConnectionLimit = 512

    public init(config: ClientConfig) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = config.caPEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
        }
        if let certificate = config.certificatePEM, let key = config.keyPEM {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        }
        func pool(connections: Int) -> HTTPClient {
            var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
            configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
            return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }
        self.config = config
        self.http = pool(connections: Self.requestConnectionLimit)
        self.streams = pool(connections: Self.streamConnectionLimit)
    }

    public func shutdown() async throws {
        try await http.shutdown()
        try await streams.shutdown()
    }

    /// One request whose answer is a JSON object (or a Status error).
    public func request(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSON? = nil,
                        contentType: String = "application/json", timeout: Int64 = 60) async throws(ClientError) -> JSON {
        let response = try await send(method, path, query: query, body: body, contentType: contentType, timeout: timeout, through: http)
        let bytes: ByteBuffer
        do { bytes = try await response.body.collect(upTo: 256 << 20) } catch { throw .transport("\(error)") }
        let parsed = try? JSON.parse(Array(buffer: bytes))
        guard (200..<300).contains(Int(response.status.code)) else {
            throw .api(Self.apiError(status: Int(response.status.code), body: parsed, path: path))
        }
        guard let parsed else { throw .malformed("\(method) \(path): the body is not JSON") }
        return parsed
    }

    /// A request whose body the caller reads as it arrives (watches); non-2xx answers are thrown.
    func stream(_ path: String, query: [(String, String)], timeout: Int64) async throws(ClientError) -> HTTPClientResponse.Body {
        let response = try await send(.GET, path, query: query, body: nil, contentType: "application/json", timeout: timeout,
                                      through: streams)
        guard (200..<300).contains(Int(response.status.code)) else {
            let bytes = try? await response.body.collect(upTo: 1 << 20)
            throw .api(Self.apiError(status: Int(response.status.code), body: bytes.flatMap { try? JSON.parse(Array(buffer: $0)) }, path: path))
        }
        return response.body
    }

    private func send(_ method: HTTPMethod, _ path: String, query: [(String, String)], body: JSON?, contentType: String,
                      timeout: Int64, through pool: HTTPClient) async throws(ClientError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: config.server + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: config.userAgent)
        if let token = config.bearerToken { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body.serialized()))
        }
        do {
            return try await pool.execute(request, timeout: .seconds(timeout))
        } catch {
            throw .transport("\(method) \(path): \(error)")
        }
    }

    static func apiError(status: Int, body: JSON?, path: String) -> APIError {
        body.flatMap { APIError(status: $0, httpStatus: status) }
            ?? APIError(code: status, reason: "", message: "the server answered \(status) to \(path)")
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { "\(percentEncoded($0.0))=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return out
    }
}
