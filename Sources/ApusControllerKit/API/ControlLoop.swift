import ApusMachinery

/// One control loop's logic, free of transport: which resources it follows, how a change to one of
/// their objects maps to the keys it must sync, and the sync of one key. The controller manager
/// runs it with shared informers and a work queue; unit tests call `sync` against a fake cluster.
public protocol ControlLoop: Sendable {
    /// The name `--controllers` selects it by (Kubernetes' names: `replicaset`, `deployment` …).
    var name: String { get }
    /// What it follows; the manager keeps one shared informer per resource.
    var watches: [LoopWatch] { get }
    /// Brings the object behind `key` to its desired state.
    func sync(_ key: String) async -> SyncResult
    /// How many keys are synced at once (Kubernetes' `--concurrent-*-syncs`).
    var workers: Int { get }
    /// Keys to sync once the caches have synced, whether or not anything changed.
    var initialKeys: [String] { get }
    /// Sources of keys other than the cluster (a kubelet's relist of its runtime), run once the
    /// caches have synced.
    var triggers: [LoopTrigger] { get }
}

extension ControlLoop {
    public var workers: Int { 2 }
    public var initialKeys: [String] { [] }
    public var triggers: [LoopTrigger] { [] }
}

/// A source of keys outside the cluster: runs until cancelled, handing keys to `enqueue`.
public struct LoopTrigger: Sendable {
    public var run: @Sendable (_ enqueue: @escaping @Sendable (String) async -> Void) async -> Void

    public init(_ run: @escaping @Sendable (_ enqueue: @escaping @Sendable (String) async -> Void) async -> Void) {
        self.run = run
    }
}

/// A resource a loop follows, and the keys (of the loop's own objects) a change to it touches:
/// for its primary resource the object's own key, for pods usually their controller's key.
public struct LoopWatch: Sendable {
    public var resource: Resource
    public var keys: @Sendable (_ old: JSON?, _ new: JSON?) async -> [String]

    public init(_ resource: Resource, keys: @escaping @Sendable (_ old: JSON?, _ new: JSON?) async -> [String]) {
        self.resource = resource
        self.keys = keys
    }

    /// The changed object's own key.
    public static func primary(_ resource: Resource) -> LoopWatch {
        LoopWatch(resource) { old, new in [ObjectKey.of(new ?? old ?? .null)] }
    }

    /// The key of the changed object's controller of `kind` (before and after the change, so an
    /// orphaned or adopted object wakes both owners).
    public static func owned(_ resource: Resource, byKind kind: String) -> LoopWatch {
        LoopWatch(resource) { old, new in
            var keys: [String] = []
            for object in [old, new].compactMap({ $0 }) {
                if let owner = OwnerReferences.controller(of: object), owner["kind"].string == kind, let name = owner["name"].string {
                    let key = ObjectKey.make(namespace: object["metadata"]["namespace"].string, name: name)
                    if !keys.contains(key) { keys.append(key) }
                }
            }
            return keys
        }
    }
}

/// What became of one sync.
public enum SyncResult: Sendable, Equatable {
    /// Done until something changes.
    case done
    /// Failed (a conflict, an unreachable server): retry with per-key exponential back-off.
    case retry
    /// Done for now; look again after this many seconds (a deadline, a pending expectation).
    case requeue(after: Double)
}

/// What a loop is built with: caches per resource, its writes, its events, the clock.
public struct ControllerContext: Sendable {
    public let writer: any ClusterWriter
    public let clock: any WallClock
    private let listers: @Sendable (Resource) -> any ObjectLister
    private let recorders: @Sendable (String) -> any EventSink

    public init(writer: any ClusterWriter, clock: any WallClock, listers: @escaping @Sendable (Resource) -> any ObjectLister,
                recorders: @escaping @Sendable (String) -> any EventSink) {
        self.writer = writer
        self.clock = clock
        self.listers = listers
        self.recorders = recorders
    }

    /// The cache of one resource (it must be among the loop's watches to be kept current).
    public func lister(_ resource: Resource) -> any ObjectLister { listers(resource) }

    /// The event sink for a component (the `source.component` of its events, e.g. `replicaset-controller`).
    public func events(_ component: String) -> any EventSink { recorders(component) }
}
