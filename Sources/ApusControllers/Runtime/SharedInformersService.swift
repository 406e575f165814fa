import ApusClient
import Logging
import ServiceLifecycle

/// The informers of a whole process (`apus server`): the controller manager and the scheduler
/// read the same caches, so each object is held once. At graceful shutdown it stops them and
/// closes their connections; listed before those components in the service group, it is shut down
/// after them.
public struct SharedInformersService: Service {
    public let informers: SharedInformers
    let api: APIClient

    public init(api: APIClient, logger: Logger) {
        self.api = api
        informers = SharedInformers(api: api, logger: logger)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await informers.stop()
        try? await api.shutdown()
    }
}
