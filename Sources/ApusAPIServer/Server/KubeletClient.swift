import ApusMachinery
import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOSSL
import ServiceLifecycle

/// How the API server reaches kubelets for logs: HTTPS with its kubelet-client certificate. Kubelets'
/// self-signed serving certificates are not verified, as kube-apiserver does without
/// --kubelet-certificate-authority. A lifecycle service, so its connections close on shutdown.
public struct KubeletClient: Service, Sendable {
    let http: HTTPClient
    /// For the WebSocket connections of exec and attach.
    let tls: TLSConfiguration

    public init(certificatePEM: String, keyPEM: String) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
        self.tls = tls
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await http.shutdown()
    }

    /// GETs `url` from a kubelet and streams its answer back as this server's response; an error
    /// answer becomes a Status with the kubelet's code and message.
    func proxyGet(_ url: String, contentType: String) async throws(APIError) -> Response {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(HTTPClientRequest(url: url), timeout: .hours(24))
        } catch {
            throw APIError.serviceUnavailable("cannot reach the kubelet at \(url): \(error)")
        }
        let code = Int(response.status.code)
        guard (200..<300).contains(code) else {
            let body = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
            throw APIError(code: code, reason: Self.reason(code), message: body.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var headers = HTTPFields()
        headers[.contentType] = contentType
        let body = response.body
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for try await chunk in body { try await writer.write(chunk) }
            try await writer.finish(nil)
        })
    }

    static func reason(_ code: Int) -> String {
        switch code {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 503: "ServiceUnavailable"
        default: "InternalError"
        }
    }
}
