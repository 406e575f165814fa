import ApusClient
import ApusControllerKit
import Logging

extension ControllerContext {
    /// The context loops run with against a real server: caches from `informers`, writes recorded
    /// under `fieldManager`, one event recorder per component reporting `host`.
    static func live(api: APIClient, informers: SharedInformers, fieldManager: String, host: String, logger: Logger) -> ControllerContext {
        let recorders = EventRecorders(api: api, host: host, logger: logger)
        return ControllerContext(writer: APIWriter(api: api, fieldManager: fieldManager), clock: SystemWallClock(),
                                 listers: { informers.lister($0) }, recorders: { recorders.recorder($0) })
    }
}

extension SharedInformers {
    /// Runs `controllers` until cancelled; then stops the informers they read, unless they are
    /// the process's shared ones, which outlive any one component's term.
    func run(_ controllers: [any Controller], stoppingInformers: Bool = true) async {
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                for controller in controllers { group.addTask { await controller.run() } }
            }
        } onCancel: {
            if stoppingInformers { Task { await self.stop() } }
        }
        if stoppingInformers { stop() }
    }
}
