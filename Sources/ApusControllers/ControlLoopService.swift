import ApusClient
import ApusControllerKit
import Logging
import ServiceLifecycle

/// Runs control loops outside the controller manager (no leader election), over their own shared
/// informers: what a node agent runs.
public struct ControlLoopService: Service {
    let api: APIClient
    let fieldManager: String
    let host: String
    let makeLoops: @Sendable (ControllerContext) -> [any ControlLoop]
    let logger: Logger

    public init(api: APIClient, fieldManager: String, host: String, logger: Logger,
                loops: @escaping @Sendable (ControllerContext) -> [any ControlLoop]) {
        self.api = api
        self.fieldManager = fieldManager
        self.host = host
        self.logger = logger
        makeLoops = loops
    }

    public func run() async throws {
        let informers = SharedInformers(api: api, logger: logger)
        let context = ControllerContext.live(api: api, informers: informers, fieldManager: fieldManager, host: host, logger: logger)
        let runners: [any Controller] = makeLoops(context).map { LoopRunner(loop: $0, informers: informers, logger: logger) }
        await cancelWhenGracefulShutdown {
            await informers.run(runners)
        }
        // Close every connection before returning, so the server (shut down after this service)
        // is not kept waiting for them, and no informer reconnects while it stops.
        try? await api.shutdown()
    }
}
