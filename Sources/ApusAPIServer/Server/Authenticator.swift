import ApusPKI
import Hummingbird
import NIOCore
import NIOSSL

/// Decides who sent a request. Today: the TLS client certificate, signed by the cluster CA
/// (NIOSSL has already verified the chain), names the user (CN) and groups (O).
public struct Authenticator: Sendable {
    /// When false every request is the admin (plain-HTTP router tests).
    let requireCertificate: Bool

    public init(requireCertificate: Bool) {
        self.requireCertificate = requireCertificate
    }

    public static let anonymousAdmin = UserInfo(name: "system:admin", groups: ["system:masters", "system:authenticated"])

    func authenticate(request: Request, context: APIRequestContext) async -> UserInfo? {
        guard requireCertificate else { return Self.anonymousAdmin }
        let channel = context.channel
        let der: [UInt8]? = try? await channel.eventLoop.submit {
            let handler = try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            return try handler.peerCertificate?.toDERBytes()
        }.get()
        guard let der, let identity = ClusterPKI.identity(fromDER: der) else { return nil }
        return UserInfo(name: identity.user, groups: identity.groups + ["system:authenticated"])
    }
}
