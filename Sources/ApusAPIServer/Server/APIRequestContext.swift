import Hummingbird
import Logging
import NIOCore

/// The request context: Hummingbird's core storage, the connection (for the TLS peer) and the
/// authenticated user once known.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    public var maxUploadSize: Int { 3 * 1024 * 1024 }
}

/// Who made a request (Kubernetes' user.Info).
public struct UserInfo: Sendable, Equatable {
    public var name: String
    public var groups: [String]
    public init(name: String, groups: [String]) {
        self.name = name
        self.groups = groups
    }
}
