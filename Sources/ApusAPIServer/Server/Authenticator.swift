import ApusPKI
import Hummingbird
import NIOCore
import NIOSSL
import Synchronization

/// Decides who sent a request. Today: the TLS client certificate, signed by the cluster CA
/// (NIOSSL has already verified the chain), names the user (CN) and groups (O).
public struct Authenticator: Sendable {
    /// When false every request is the admin (plain-HTTP router tests).
    let requireCertificate: Bool
    /// Users by certificate: a client sends the same certificate on every request, and parsing
    /// it each time cost more than the rest of authentication.
    private let known = KnownCertificates()

    public init(requireCertificate: Bool) {
        self.requireCertificate = requireCertificate
    }

    public static let anonymousAdmin = UserInfo(name: "system:admin", groups: ["system:masters", "system:authenticated"])

    func authenticate(request: Request, context: APIRequestContext) async -> UserInfo? {
        await authenticate(channel: context.channel)
    }

    /// The user of the connection's client certificate.
    func authenticate(channel: any Channel) async -> UserInfo? {
        guard requireCertificate else { return Self.anonymousAdmin }
        let der: [UInt8]? = try? await channel.eventLoop.submit {
            let handler = try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            return try handler.peerCertificate?.toDERBytes()
        }.get()
        guard let der else { return nil }
        if let user = known.user(for: der) { return user }
        guard let identity = ClusterPKI.identity(fromDER: der) else { return nil }
        let user = UserInfo(name: identity.user, groups: identity.groups + ["system:authenticated"])
        known.remember(user, for: der)
        return user
    }
}

/// The users of certificates seen recently. Only certificates that NIOSSL has verified against the
/// cluster CA reach it, and a certificate's bytes decide its user, so a hit is as good as a parse.
final class KnownCertificates: Sendable {
    static let limit = 256
    // The Mutex guards the map against concurrent requests on different event loops.
    private let users = Mutex<[[UInt8]: UserInfo]>([:])

    func user(for der: [UInt8]) -> UserInfo? {
        users.withLock { $0[der] }
    }

    func remember(_ user: UserInfo, for der: [UInt8]) {
        users.withLock { map in
            if map.count >= Self.limit { map.removeAll(keepingCapacity: true) }
            map[der] = user
        }
    }
}
