import ApusCRI
import ApusControllerTesting
import GRPCCore
import GRPCNIOTransportHTTP2
@testable import ApusKubelet
import NIOCore
import NIOPosix
import Testing

/// The network probes against real servers on loopback: an HTTP/1.1 server, a closed port, and a
/// gRPC server implementing the health protocol.
struct ProberTests {
    let prober = Prober(runtime: FakeContainerRuntime(clock: ManualClock()))

    @Test func httpGetSucceedsBelow400AndFailsWithTheStatusCode() async throws {
        let server = try await CannedHTTPServer.start()
        defer { server.stop() }
        let port = server.port
        #expect(await prober.httpGet(scheme: "http", host: "127.0.0.1", port: port, path: "/ok", headers: [], timeout: 1) == .success)
        #expect(await prober.httpGet(scheme: "http", host: "127.0.0.1", port: port, path: "/moved", headers: [], timeout: 1) == .success)
        #expect(await prober.httpGet(scheme: "http", host: "127.0.0.1", port: port, path: "/fail", headers: [], timeout: 1)
            == .failure("HTTP probe failed with statuscode: 500"))
        // The kubelet's own headers, and the probe's.
        _ = await prober.httpGet(scheme: "http", host: "127.0.0.1", port: port, path: "/ok",
                                 headers: [.init(name: "X-Probe", value: "yes")], timeout: 1)
        let request = server.lastRequest()
        #expect(request.contains("User-Agent: kube-probe/1.32"))
        #expect(request.contains("X-Probe: yes"))
    }

    @Test func closedPortsFailAsGoDialErrorsSay() async throws {
        let port = try await Self.closedPort()
        #expect(await prober.tcpSocket(host: "127.0.0.1", port: port, timeout: 1) == .failure("dial tcp 127.0.0.1:\(port): connect: connection refused"))
        #expect(await prober.httpGet(scheme: "http", host: "127.0.0.1", port: port, path: "/", headers: [], timeout: 1)
            == .failure("Get \"http://127.0.0.1:\(port)/\": dial tcp 127.0.0.1:\(port): connect: connection refused"))
        let server = try await CannedHTTPServer.start()
        defer { server.stop() }
        #expect(await prober.tcpSocket(host: "127.0.0.1", port: server.port, timeout: 1) == .success)
    }

    @Test func grpcProbeAsksTheHealthService() async throws {
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: [TestHealthService()])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let address = try #require(try await transport.listeningAddress.ipv4)
            #expect(await prober.grpcHealth(host: "127.0.0.1", port: address.port, service: "", timeout: 2) == .success)
            #expect(await prober.grpcHealth(host: "127.0.0.1", port: address.port, service: "down", timeout: 2)
                == .failure("service unhealthy (responded with \"NOT_SERVING\")"))
            let closed = try await Self.closedPort()
            let outcome = await prober.grpcHealth(host: "127.0.0.1", port: closed, service: "", timeout: 1)
            guard case .failure(let message) = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
            #expect(message.hasPrefix("timeout: failed to connect service \"127.0.0.1:\(closed)\" within 1s"))
            server.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }

    @Test func healthMessagesEncodeAsTheProtoSays() throws {
        let bytes: [UInt8] = try HealthCheck.RequestSerializer().serialize(HealthCheck.Request(service: "db"))
        #expect(bytes == [0x0A, 2, 0x64, 0x62])
        let empty: [UInt8] = try HealthCheck.RequestSerializer().serialize(HealthCheck.Request(service: ""))
        #expect(empty.isEmpty)
        #expect(try HealthCheck.ResponseDeserializer().deserialize([UInt8]([0x08, 0x02])).status == .notServing)
        #expect(try HealthCheck.ResponseDeserializer().deserialize([UInt8]()).status == .unknown)
        #expect(throws: RPCError.self) { try HealthCheck.ResponseDeserializer().deserialize([UInt8]([0x08])) }
    }

    /// A loopback port nothing listens on: bound, then closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

/// grpc.health.v1.Health/Check: SERVING for the server ("") and NOT_SERVING for "down".
struct TestHealthService: RegistrableRPCService {
    struct RequestDeserializer: MessageDeserializer {
        func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> String {
            let bytes = serializedMessageBytes.withUnsafeBytes { Array($0) }
            return bytes.count > 2 ? String(decoding: bytes[2...], as: UTF8.self) : ""
        }
    }

    struct ResponseSerializer: MessageSerializer {
        func serialize<Bytes: GRPCContiguousBytes>(_ message: Int) throws -> Bytes { Bytes([0x08, UInt8(message)]) }
    }

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(forMethod: HealthCheck.method, deserializer: RequestDeserializer(), serializer: ResponseSerializer()) { request, _ in
            var service = ""
            for try await message in request.messages { service = message }
            return StreamingServerResponse(single: ServerResponse(message: service == "down" ? 2 : 1))
        }
    }
}
