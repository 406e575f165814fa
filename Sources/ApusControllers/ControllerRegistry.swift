import ApusControllerKit
import ApusControllerLoops

/// The control loops this build has, by Kubernetes' controller names.
enum ControllerRegistry {
    static func loops(context: ControllerContext) -> [any ControlLoop] {
        [
            JobController(context: context),
            CronJobController(context: context),
            TTLAfterFinishedController(context: context),
            DaemonSetController(context: context),
            StatefulSetController(context: context),
        ]
    }

    static var loopNames: [String] { ["job", "cronjob", "ttl-after-finished", "daemonset", "statefulset"] }
}
