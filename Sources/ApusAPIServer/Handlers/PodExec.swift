import ApusMachinery
import ApusRegistry
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import HummingbirdWSClient
import Logging
import NIOCore

/// `kubectl exec` and `kubectl attach`: kubectl's WebSocket (`v5.channel.k8s.io`, the only protocol
/// it offers first) is accepted here after the pod and container are checked, and relayed message
/// by message to the kubelet of the pod's node, which speaks the same protocol.
enum PodExec {
    static let subprotocol = "v5.channel.k8s.io"

    /// Upgrades a valid exec or attach request; anything else goes on as plain HTTP, where the
    /// subresource handler answers it with the precise error (kubectl then shows it).
    static func shouldUpgrade(_ server: APIServer, head: HTTPRequest, channel: any Channel,
                              logger: Logger) async -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let full = head.path ?? ""
        let path = String(full.prefix { $0 != "?" })
        let queryText = full.firstIndex(of: "?").map { String(full[full.index(after: $0)...]) } ?? ""
        guard case .resource(let resource) = APIPath.parse(path), resource.group.isEmpty, resource.resource == "pods",
              let subresource = resource.subresource, subresource == "exec" || subresource == "attach",
              let namespace = resource.namespace, let name = resource.name,
              let kubelets = server.kubelets else { return .dontUpgrade }
        let offered = (head.headerFields[.secWebSocketProtocol] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard offered.contains(subprotocol) else { return .dontUpgrade }
        var headers = HTTPFields()
        headers[.secWebSocketProtocol] = subprotocol
        // A refused request is still upgraded, to give its Status on the error channel: declining
        // makes kubectl retry over SPDY, an upgrade this server's HTTP/1.1 pipeline cannot answer.
        let target: (url: String, node: String)
        do {
            guard await server.authenticator.authenticate(channel: channel) != nil else { throw APIError.unauthorized }
            target = try await kubeletURL(server, namespace: namespace, name: name, subresource: subresource, query: queryText)
        } catch {
            let status = (error as? APIError ?? APIError.internalError("\(error)")).status
            return .upgrade(headers) { _, outbound, _ in
                try await outbound.write(.binary(ByteBuffer(bytes: [3] + Array(status.serializedString.utf8))))
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
        return .upgrade(headers) { inbound, outbound, _ in
            try await relay(inbound: inbound, outbound: outbound, to: target.url, node: target.node, kubelets: kubelets, logger: logger)
        }
    }

    /// The kubelet's exec or attach URL for a pod's container, after the checks kube-apiserver makes.
    static func kubeletURL(_ server: APIServer, namespace: String, name: String, subresource: String,
                           query: String) async throws -> (url: String, node: String) {
        guard let podsDef = await server.registry.catalog.lookup(group: "", version: "v1", resource: "pods") else {
            throw APIError.internalError("the pods resource is not registered")
        }
        let parameters = QueryParameters(query)
        let pod = try await server.registry.store.get(podsDef, namespace: namespace, name: name).object
        let container = try PodLogs.containerName(pod, requested: parameters["container"])
        if subresource == "exec", parameters["command"] == nil {
            throw APIError.badRequest("you must specify at least 1 command")
        }
        let phase = pod["status"]["phase"].string ?? ""
        if phase == "Succeeded" || phase == "Failed" {
            throw APIError.badRequest("cannot \(subresource) into a container in a completed pod; current phase is \(phase)")
        }
        let (address, port, node) = try await NodeAddress.kubelet(of: pod, registry: server.registry)
        return ("wss://\(address):\(port)/\(subresource)/\(namespace)/\(name)/\(container)" + (query.isEmpty ? "" : "?" + query), node)
    }

    /// Passes messages both ways until the kubelet closes (after the Status) or kubectl goes away.
    static func relay(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, to url: String, node: String,
                      kubelets: KubeletClient, logger: Logger) async throws {
        // TLS sends no IP address as the server name, so the node's name goes instead (the kubelet's
        // certificate is not verified: see KubeletClient).
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, sniHostname: node)
        configuration.additionalHeaders[.secWebSocketProtocol] = subprotocol
        do {
            try await WebSocketClient.connect(url: url, configuration: configuration, tlsConfiguration: kubelets.tls, logger: logger) { fromKubelet, toKubelet, _ in
                let upstream = Task {
                    do {
                        for try await message in inbound.messages(maxSize: 16 << 20) {
                            if case .binary(let buffer) = message { try await toKubelet.write(.binary(buffer)) }
                        }
                    } catch {
                        logger.debug("exec client ended", metadata: ["error": "\(error)"])
                    }
                    // kubectl went away: so does the session.
                    try? await toKubelet.close(.normalClosure, reason: nil)
                }
                defer { upstream.cancel() }
                for try await message in fromKubelet.messages(maxSize: 16 << 20) {
                    if case .binary(let buffer) = message { try await outbound.write(.binary(buffer)) }
                }
            }
        } catch {
            // The session never reached the kubelet: the Status channel says why.
            let message = "error dialing the kubelet: \(error)".replacingOccurrences(of: "\"", with: "'")
            try await outbound.write(.binary(ByteBuffer(bytes: [3] + Array(#"{"metadata":{},"status":"Failure","message":"\#(message)","reason":"InternalError","code":500}"#.utf8))))
        }
        try await outbound.close(.normalClosure, reason: nil)
    }
}
