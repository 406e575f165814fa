import ApusClient
import ApusControllerKit
import Logging
import Synchronization

/// One event recorder per component, kept so each component's repeats are counted together.
final class EventRecorders: Sendable {
    let api: APIClient
    let host: String
    let logger: Logger
    // The Mutex is what makes the shared dictionary safe to reach from any task.
    private let recorders = Mutex<[String: EventRecorder]>([:])

    init(api: APIClient, host: String, logger: Logger) {
        self.api = api
        self.host = host
        self.logger = logger
    }

    func recorder(_ component: String) -> EventRecorder {
        recorders.withLock { known in
            if let recorder = known[component] { return recorder }
            let recorder = EventRecorder(api: api, component: component, host: host, logger: logger)
            known[component] = recorder
            return recorder
        }
    }
}
