/// Score weights of the default profile's plugins (0 disables a score).
public struct PluginWeights: Sendable, Equatable {
    public var taintToleration: Int64 = 3
    public var nodeAffinity: Int64 = 2
    public var nodeResourcesFit: Int64 = 1
    public var podTopologySpread: Int64 = 2
    public var interPodAffinity: Int64 = 2
    public var nodeResourcesBalancedAllocation: Int64 = 1
    public var imageLocality: Int64 = 1

    public init() {}
}

/// kube-scheduler's settings, with its defaults.
public struct SchedulerConfiguration: Sendable {
    /// Pods whose `spec.schedulerName` is this (or empty) are scheduled.
    public var schedulerName = "default-scheduler"
    /// 0: adaptive (50% minus 1% per 125 nodes, at least 5%, at least 100 nodes).
    public var percentageOfNodesToScore = 0
    public var podInitialBackoffSeconds: Double = 1
    public var podMaxBackoffSeconds: Double = 10
    /// Unschedulable pods are retried after this long even without a helpful event.
    public var podMaxInUnschedulablePodsDuration: Double = 300
    public var weights = PluginWeights()
    /// InterPodAffinity: what an existing pod's required affinity term matching the pod scores.
    public var hardPodAffinityWeight: Int64 = 1
    /// Seeds tie-breaking and preemption's starting node (nil: a random seed).
    public var randomSeed: UInt64?
    /// Bindings sent concurrently before `scheduleOne` waits for one to finish.
    public var maxInFlightBindings = 256

    public init() {}
}
