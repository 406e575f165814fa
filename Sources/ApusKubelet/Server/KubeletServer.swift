import ApusCRI
import ApusMachinery
import ApusPKI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The kubelet's own HTTPS port (10250): what the API server proxies to for a pod's logs. Clients
/// must present a certificate of the cluster CA naming the API server (or a cluster admin), as the
/// kubelet's webhook authorization allows them.
package enum KubeletServer {
    /// The server as a lifecycle service. `clientCA` is the cluster CA (PEM) that signs the API
    /// server's kubelet-client certificate; the serving certificate signs itself, kept in `pkiDirectory`.
    package static func service(runtime: any ContainerRuntime, usage: ResourceUsage, nodeName: String, address: String, port: Int,
                                clientCA: String, pkiDirectory: String, hosts: [String], logger: Logger) throws -> some Service {
        let serving = try SelfSignedCertificate.loadOrCreate(directory: pkiDirectory, file: "kubelet", commonName: "kubelet", hosts: hosts)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(serving.certificate.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serving.key.utf8), format: .pem)))
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCA.utf8)))
        tls.certificateVerification = .noHostnameVerification
        tls.applicationProtocols = ["http/1.1"]
        let upgrade = HTTPServerBuilder.http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 20))) { head, channel, logger in
            try await KubeletAPI.webSocketUpgrade(head, channel: channel, runtime: runtime, logger: logger)
        }
        return Application(responder: KubeletAPI(runtime: runtime, usage: usage, nodeName: nodeName, logger: logger), server: try .tls(upgrade, tlsConfiguration: tls),
                           configuration: .init(address: .hostname(address, port: port), serverName: nil), logger: logger)
    }
}

/// The request context: the connection, for the client's certificate.
package struct KubeletRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    let channel: any Channel

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// The kubelet's HTTP API, by path.
struct KubeletAPI: HTTPResponder {
    typealias Context = KubeletRequestContext
    let runtime: any ContainerRuntime
    let usage: ResourceUsage
    let nodeName: String
    let logger: Logger
    /// Who may use it: the API server's kubelet client and cluster admins.
    static let allowedGroups: Set<String> = ["system:masters"]
    static let allowedUsers: Set<String> = ["kube-apiserver-kubelet-client", "system:kube-apiserver"]

    func respond(to request: Request, context: Context) async throws -> Response {
        let parts = request.uri.path.split(separator: "/").map(String.init)
        if parts == ["healthz"] { return Self.text(.ok, "ok") }
        guard let identity = await ContainerExec.peerIdentity(context.channel) else { return Self.text(.unauthorized, "Unauthorized") }
        guard Self.allows(identity) else {
            return Self.text(.forbidden, "Forbidden (user=\(identity.user), verb=get, resource=nodes, subresource=proxy)")
        }
        switch (request.method, parts.first) {
        case (.get, "stats") where parts == ["stats", "summary"]:
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let summary = await usage.summary(nodeName: nodeName)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: summary.serialized())))
        case (.get, "containerLogs") where parts.count == 4:
            return await containerLogs(request, namespace: parts[1], pod: parts[2], container: parts[3])
        case (_, "exec"), (_, "attach"):
            // Reached only when the request was not upgraded: say why.
            do {
                _ = try await ContainerExec.target(path: request.uri.path, query: request.uri.query, runtime: runtime)
                return Self.text(.badRequest, "Upgrade request required: a WebSocket with protocol \(ContainerExec.subprotocol)")
            } catch {
                return Self.text(error.status, error.message)
            }
        default:
            return Self.text(.notFound, "404 page not found")
        }
    }

    static func allows(_ identity: (user: String, groups: [String])) -> Bool {
        allowedUsers.contains(identity.user) || !allowedGroups.isDisjoint(with: identity.groups)
    }

    /// Upgrades an exec or attach request from an allowed client to a `v5.channel.k8s.io`
    /// WebSocket; anything else goes on as plain HTTP (and gets its error there).
    static func webSocketUpgrade(_ head: HTTPRequest, channel: any Channel, runtime: any ContainerRuntime,
                                 logger: Logger) async throws -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let offered = (head.headerFields[.secWebSocketProtocol] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard offered.contains(ContainerExec.subprotocol), let identity = await ContainerExec.peerIdentity(channel), allows(identity) else {
            return .dontUpgrade
        }
        let full = head.path ?? ""
        let path = String(full.prefix { $0 != "?" })
        let query = full.firstIndex(of: "?").map { String(full[full.index(after: $0)...]) }
        var headers = HTTPFields()
        headers[.secWebSocketProtocol] = ContainerExec.subprotocol
        let target: ContainerExec.Target
        do {
            target = try await ContainerExec.target(path: path, query: query, runtime: runtime)
        } catch {
            // Refused, but upgraded to say why on the error channel (the API server relays it to kubectl).
            return .upgrade(headers) { _, outbound, _ in
                try await ContainerExec.finish(outbound, status: ContainerExec.failure(error.message, code: Int(error.status.code)))
            }
        }
        return .upgrade(headers) { inbound, outbound, _ in
            try await ContainerExec.bridge(target, runtime: runtime, inbound: inbound, outbound: outbound, logger: logger)
        }
    }

    // MARK: logs

    private func containerLogs(_ request: Request, namespace: String, pod: String, container: String) async -> Response {
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        let options: LogOptions
        do {
            options = try LogOptions(query: query, now: Date().timeIntervalSince1970)
        } catch {
            return Self.text(.badRequest, error.message)
        }
        let instances: [Runtime_V1_ContainerStatus]
        do {
            instances = try await RuntimePod.read(runtime, podKey: namespace + "/" + pod).containers.filter { $0.metadata.name == container }
        } catch {
            return Self.text(.serviceUnavailable, "the container runtime cannot be reached: \(error)")
        }
        guard let current = instances.first else {
            return Self.text(.badRequest, "container \"\(container)\" in pod \"\(pod)\" is waiting to start: ContainerCreating")
        }
        let chosen: Runtime_V1_ContainerStatus
        if options.previous {
            guard instances.count > 1 else {
                return Self.text(.badRequest, "previous terminated container \"\(container)\" in pod \"\(pod)\" not found")
            }
            chosen = instances[1]
        } else {
            chosen = current
        }
        let runtime = self.runtime
        let id = chosen.id
        let reader = ContainerLogReader(path: chosen.logPath, options: options) {
            (try? await runtime.containerStatus(id))?.state == .containerRunning
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // A client that goes away ends a follow.
            let gone = ClientGone()
            try await request.body.consumeWithInboundCloseHandler { _ in
                try await reader.stream(stopped: { gone.isSet }) { chunk in try await writer.write(ByteBuffer(bytes: chunk)) }
            } onInboundClosed: {
                gone.set()
            }
            try await writer.finish(nil)
        })
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }
}

/// Set once the client has closed its side of the connection.
final class ClientGone: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
