import ApusAPIServer
import ApusMachinery
import ApusRegistry
import ApusStorage
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A registry on a memory backend behind the real responder, exercised without sockets.
struct APIServerHarness {
    struct FixedClock: WallClock {
        func now() -> Double { 1_700_000_000 }
    }

    static func withServer(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let logger = Logger(label: "apiserver-test")
        let registry = try Registry(backend: MemoryBackend(), clock: FixedClock(), serviceCIDR: "10.43.0.0/16", logger: logger)
        try await registry.load()
        let follower = Task { try await registry.run() }
        defer { follower.cancel() }
        try await Bootstrap.ensure(registry: registry, advertiseAddress: "192.0.2.10", port: 6443)
        let api = APIServer(registry: registry, clock: FixedClock(), authenticator: Authenticator(requireCertificate: false),
                            serverAddress: "192.0.2.10:6443", logger: logger, watchesObserveDisconnect: false)
        let app = Application(responder: api, logger: logger)
        try await app.test(.router) { client in try await body(client) }
    }
}

extension TestResponse {
    var json: JSON { (try? JSON.parse(Array(buffer: body))) ?? .null }
    var text: String { String(buffer: body) }
}

extension ByteBuffer {
    init(json: JSON) { self.init(bytes: json.serialized()) }
}
