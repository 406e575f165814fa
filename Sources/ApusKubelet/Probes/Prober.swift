import ApusCRI
import ApusMachinery
import AsyncHTTPClient
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import NIOSSL

/// What one probe found: success, or failure with the message the kubelet puts in its event.
enum ProbeOutcome: Sendable, Equatable {
    case success
    case failure(String)
    /// The probe could not be run at all (a port that does not resolve, say); it counts as a failure.
    case error(String)
}

/// Runs one probe of a container once, as the kubelet's prober does: exec through the runtime,
/// HTTP GET, TCP connect and gRPC health check against the pod's IP (or the probe's host).
struct Prober: Sendable {
    let runtime: any ContainerRuntime

    func probe(_ settings: ProbeSettings, containerID: String, container: JSON, podIP: String) async -> ProbeOutcome {
        switch settings.action {
        case .exec(let command):
            return await exec(command, containerID: containerID, timeout: settings.timeoutSeconds)
        case .httpGet(let scheme, let host, let port, let path, let headers):
            guard let number = ProbeSettings.resolvePort(port, container: container) else { return .error("unable to resolve port \(port.serializedString)") }
            return await httpGet(scheme: scheme, host: host ?? podIP, port: number, path: path, headers: headers, timeout: settings.timeoutSeconds)
        case .tcpSocket(let host, let port):
            guard let number = ProbeSettings.resolvePort(port, container: container) else { return .error("unable to resolve port \(port.serializedString)") }
            return await tcpSocket(host: host ?? podIP, port: number, timeout: settings.timeoutSeconds)
        case .grpc(let port, let service):
            return await grpcHealth(host: podIP, port: port, service: service, timeout: settings.timeoutSeconds)
        }
    }

    // MARK: exec

    func exec(_ command: [String], containerID: String, timeout: Double) async -> ProbeOutcome {
        do {
            let result = try await runtime.execSync(containerID, command: command, timeout: Int64(timeout))
            if result.exitCode == 0 { return .success }
            let output = String(decoding: (result.stdout + result.stderr).prefix(10 << 10), as: UTF8.self)
            return .failure(output)
        } catch {
            if error.kind == .unavailable, error.message.contains("deadline") || error.message.contains("timeout") {
                return .failure("command \"\(command.joined(separator: " "))\" timed out")
            }
            return .error(error.message)
        }
    }

    // MARK: httpGet

    func httpGet(scheme: String, host: String, port: Int, path: String, headers: [ProbeSettings.Header], timeout: Double) async -> ProbeOutcome {
        let target = Self.hostPort(host, port)
        let url = "\(scheme)://\(target)\(path.hasPrefix("/") ? path : "/" + path)"
        var configuration = HTTPClient.Configuration()
        // Probes check liveness, not identity: the kubelet does not verify a probed server's certificate.
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        configuration.tlsConfiguration = tls
        configuration.redirectConfiguration = .follow(max: 10, allowCycles: false)
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .milliseconds(Int64(timeout * 1000)))
        // One client per probe, as the kubelet disables keep-alive: each probe opens its own connection.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let outcome = await get(url, target: target, headers: headers, timeout: timeout, client: client)
        try? await client.shutdown()
        return outcome
    }

    private func get(_ url: String, target: String, headers: [ProbeSettings.Header], timeout: Double, client: HTTPClient) async -> ProbeOutcome {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "kube-probe/1.32")
        request.headers.add(name: "Accept", value: "*/*")
        for header in headers {
            if header.name.lowercased() == "user-agent" || header.name.lowercased() == "accept" { request.headers.remove(name: header.name) }
            request.headers.add(name: header.name, value: header.value)
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            _ = try? await response.body.collect(upTo: 10 << 10)
            let code = Int(response.status.code)
            return (200..<400).contains(code) ? .success : .failure("HTTP probe failed with statuscode: \(code)")
        } catch {
            return .failure("Get \"\(url)\": \(Self.dialError(error, target: target))")
        }
    }

    // MARK: tcpSocket

    func tcpSocket(host: String, port: Int, timeout: Double) async -> ProbeOutcome {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            try? await channel.close()
            return .success
        } catch {
            return .failure(Self.dialError(error, target: Self.hostPort(host, port)))
        }
    }

    // MARK: grpc

    func grpcHealth(host: String, port: Int, service: String, timeout: Double) async -> ProbeOutcome {
        let target = Self.hostPort(host, port)
        do {
            let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: host, port: port), transportSecurity: .plaintext)
            var options = CallOptions.defaults
            options.timeout = .milliseconds(Int64(timeout * 1000))
            let status = try await withGRPCClient(transport: transport) { client in
                try await client.unary(request: ClientRequest(message: HealthCheck.Request(service: service)), descriptor: HealthCheck.method,
                                       serializer: HealthCheck.RequestSerializer(), deserializer: HealthCheck.ResponseDeserializer(),
                                       options: options) { response in try response.message.status }
            }
            if status == .serving { return .success }
            return .failure("service unhealthy (responded with \"\(status.name)\")")
        } catch let error as RPCError {
            if error.code == .deadlineExceeded || error.code == .unavailable {
                return .failure("timeout: failed to connect service \"\(target)\" within \(Int(timeout))s: \(error.message)")
            }
            return .failure("rpc error: code = \(error.code) desc = \(error.message)")
        } catch {
            return .failure("failed to connect service \"\(target)\": \(error)")
        }
    }

    // MARK: helpers

    static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// A connection error in the words of Go's dialer, which users know from Kubernetes' events.
    static func dialError(_ error: any Error, target: String) -> String {
        let text = "\(error)"
        if text.contains("refused") || text.contains("errno: 111") { return "dial tcp \(target): connect: connection refused" }
        if text.contains("connectTimeout") || text.contains("deadline") || text.contains("timeout") || text.contains("Timeout") {
            return "dial tcp \(target): i/o timeout"
        }
        if text.contains("unreachable") || text.contains("errno: 113") { return "dial tcp \(target): connect: no route to host" }
        return "dial tcp \(target): \(text)"
    }
}
