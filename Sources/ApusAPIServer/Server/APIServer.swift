import ApusMachinery
import ApusRegistry
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The Kubernetes REST API over the registry: one responder that parses the path, authenticates,
/// and hands the request to the discovery or resource handlers.
public struct APIServer: HTTPResponder {
    public typealias Context = APIRequestContext

    let registry: Registry
    let clock: any WallClock
    let authenticator: Authenticator
    let serverAddress: String
    let logger: Logger
    /// Whether watches may consume the request stream to notice a client going away (not possible
    /// for requests built in memory by router tests).
    let watchesObserveDisconnect: Bool
    /// The longest a watch stays open; Kubernetes picks a random time between 30 and 60 minutes.
    let maxWatchSeconds: ClosedRange<Int>
    /// How pods' logs are fetched from their nodes; nil where no kubelet is reachable (router tests).
    let kubelets: KubeletClient?

    public init(registry: Registry, clock: any WallClock, authenticator: Authenticator, serverAddress: String,
                logger: Logger, watchesObserveDisconnect: Bool = true, maxWatchSeconds: ClosedRange<Int> = 1800...3600,
                kubelets: KubeletClient? = nil) {
        self.registry = registry
        self.clock = clock
        self.authenticator = authenticator
        self.serverAddress = serverAddress
        self.logger = logger
        self.watchesObserveDisconnect = watchesObserveDisconnect
        self.maxWatchSeconds = maxWatchSeconds
        self.kubelets = kubelets
    }

    /// Upgrades exec and attach requests to kubectl's WebSocket; others stay plain HTTP.
    public func webSocketUpgrade(_ head: HTTPRequest, channel: any Channel,
                                 logger: Logger) async -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        await PodExec.shouldUpgrade(self, head: head, channel: channel, logger: logger)
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let path = APIPath.parse(request.uri.path)
        do {
            switch path {
            case .version: return Responses.object(VersionInfo.json)
            case .health: return Responses.text("ok")
            default: break
            }
            guard let user = await authenticator.authenticate(request: request, context: context) else {
                throw APIError.unauthorized
            }
            var request = request
            return try await route(path, request: &request, user: user)
        } catch let error as APIError {
            if error.code >= 500 { logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"]) }
            return Responses.error(error)
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return Responses.error(.internalError("\(error)"))
        }
    }

    func route(_ path: APIPath, request: inout Request, user: UserInfo) async throws -> Response {
        let accept = request.headers[.accept] ?? ""
        let aggregated = accept.contains("as=APIGroupDiscoveryList") && accept.contains("v=v2")
        switch path {
        case .coreGroups:
            let defs = await registry.catalog.all()
            if aggregated {
                return Responses.object(DiscoveryDocuments.aggregated(defs, core: true), contentType: Responses.aggregatedDiscovery)
            }
            return Responses.object(DiscoveryDocuments.apiVersions(serverAddress: serverAddress))
        case .groups:
            let defs = await registry.catalog.all()
            if aggregated {
                return Responses.object(DiscoveryDocuments.aggregated(defs, core: false), contentType: Responses.aggregatedDiscovery)
            }
            return Responses.object(DiscoveryDocuments.apiGroupList(defs))
        case .group(let group):
            let defs = await registry.catalog.all()
            guard let doc = DiscoveryDocuments.apiGroup(defs, group: group) else { throw APIError.notFoundPath(request.uri.path) }
            return Responses.object(doc)
        case .groupVersion(let group, let version):
            let defs = await registry.catalog.all()
            guard let doc = DiscoveryDocuments.apiResourceList(defs, group: group, version: version) else {
                throw APIError.notFoundPath(request.uri.path)
            }
            return Responses.object(doc)
        case .openAPIv3Root:
            let defs = await registry.catalog.all()
            return Responses.object(OpenAPIDocuments.root(defs, hash: await openAPIHash()))
        case .openAPIv3(let group, let version):
            let defs = await registry.catalog.all()
            guard let doc = OpenAPIDocuments.groupVersion(defs, group: group, version: version) else {
                throw APIError.notFoundPath(request.uri.path)
            }
            return Responses.object(doc)
        case .resource(let resourcePath):
            return try await ResourceHandler(server: self, user: user, userAgentManager: Self.manager(userAgent: request.headers[.userAgent]))
                .handle(resourcePath, request: &request)
        case .openAPIv2, .metrics, .unknown, .version, .health:
            throw APIError.notFoundPath(request.uri.path)
        }
    }

    /// Changes whenever the served set changes, so kubectl's HTTP cache refetches.
    func openAPIHash() async -> String {
        "apus-\(await registry.catalog.generation)"
    }
}

/// What `/version` reports. kubectl's dispatcher picks its own minor version from this, so it must
/// say 1.32.
public enum VersionInfo {
    public static let json: JSON = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0-apus", "gitCommit": "apus", "gitTreeState": "clean",
        "buildDate": "2026-11-22T00:00:00Z", "goVersion": "swift6", "compiler": "swiftc", "platform": "linux/amd64",
    ]
}

extension APIServer {
    /// `kubectl/v1.32.0 (linux/amd64)` → `kubectl`, as Kubernetes derives a default field manager.
    static func manager(userAgent: String?) -> String? {
        guard let userAgent, !userAgent.isEmpty else { return nil }
        let prefix = userAgent.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let name = String(prefix.utf8.prefix(128)) ?? ""
        return name.isEmpty ? nil : name
    }
}
