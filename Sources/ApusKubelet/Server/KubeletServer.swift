import ApusCRI
import ApusPKI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
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
    package static func service(runtime: any ContainerRuntime, address: String, port: Int, clientCA: String, pkiDirectory: String,
                                hosts: [String], logger: Logger) throws -> some Service {
        let serving = try SelfSignedCertificate.loadOrCreate(directory: pkiDirectory, file: "kubelet", commonName: "kubelet", hosts: hosts)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(serving.certificate.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serving.key.utf8), format: .pem)))
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCA.utf8)))
        tls.certificateVerification = .noHostnameVerification
        tls.applicationProtocols = ["http/1.1"]
        return Application(responder: KubeletAPI(runtime: runtime, logger: logger), server: try .tls(.http1(), tlsConfiguration: tls),
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
    let logger: Logger
    /// Who may use it: the API server's kubelet client and cluster admins.
    static let allowedGroups: Set<String> = ["system:masters"]
    static let allowedUsers: Set<String> = ["kube-apiserver-kubelet-client", "system:kube-apiserver"]

    func respond(to request: Request, context: Context) async throws -> Response {
        let parts = request.uri.path.split(separator: "/").map(String.init)
        if parts == ["healthz"] { return Self.text(.ok, "ok") }
        guard let identity = await peerIdentity(context) else { return Self.text(.unauthorized, "Unauthorized") }
        guard Self.allowedUsers.contains(identity.user) || !Self.allowedGroups.isDisjoint(with: identity.groups) else {
            return Self.text(.forbidden, "Forbidden (user=\(identity.user), verb=get, resource=nodes, subresource=proxy)")
        }
        switch (request.method, parts.first) {
        case (.get, "containerLogs") where parts.count == 4:
            return await containerLogs(request, namespace: parts[1], pod: parts[2], container: parts[3])
        default:
            return Self.text(.notFound, "404 page not found")
        }
    }

    private func peerIdentity(_ context: Context) async -> (user: String, groups: [String])? {
        let channel = context.channel
        let der: [UInt8]? = try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate?.toDERBytes()
        }.get()
        return der.flatMap(ClusterPKI.identity(fromDER:))
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
