import ApusControllerKit
import ApusControllerLoops

/// The control loops this build has, by Kubernetes' controller names.
enum ControllerRegistry {
    static func loops(context: ControllerContext, options: ControllerOptions) -> [any ControlLoop] {
        [
            ReplicaSetController(context: context),
            DeploymentController(context: context),
            JobController(context: context),
            CronJobController(context: context),
            TTLAfterFinishedController(context: context),
            DaemonSetController(context: context),
            StatefulSetController(context: context),
            NodeLifecycleController(context: context, nodeMonitorGracePeriod: options.nodeMonitorGracePeriod),
            NodeIPAMController(context: context, clusterCIDR: options.clusterCIDR),
            TaintEvictionController(context: context),
            EndpointsController(context: context),
            EndpointSliceController(context: context),
            ServiceAccountsController(context: context),
            DisruptionController(context: context),
            HorizontalPodAutoscalerController(context: context),
        ]
    }

    static var loopNames: [String] { ["replicaset", "deployment", "job", "cronjob", "ttl-after-finished", "daemonset", "statefulset", "node-lifecycle", "nodeipam",
                                      "taint-eviction-controller", "endpoint", "endpointslice", "serviceaccount", "disruption",
                                      "horizontalpodautoscaling"] }
}

/// Settings of the controllers, as kube-controller-manager's flags give them.
public struct ControllerOptions: Sendable {
    /// How long a node may go without a heartbeat before it is marked Unknown
    /// (`--node-monitor-grace-period`, 50 s in Kubernetes 1.32).
    public var nodeMonitorGracePeriod: Double = 50
    /// The range nodes' pod CIDRs are taken from (`--cluster-cidr`).
    public var clusterCIDR = "10.42.0.0/16"

    public init() {}
}
