import ApusControllerKit
import ApusMachinery

/// Kubernetes' garbage collector (`garbagecollector` in `--controllers`), free of transport.
///
/// The runtime feeds `observe` every informer change of every resource that supports list, watch
/// and delete, and puts the uids it returns (and those passed to `enqueue`) on one work queue whose
/// items `sync` processes: dependents whose owners are all gone are deleted, owners deleted in the
/// foreground wait for their blocking dependents, owners deleted with `orphan` release theirs.
public actor GarbageCollector {
    /// The name `--controllers` selects it by.
    public nonisolated let name = "garbagecollector"
    /// Kubernetes' `--concurrent-gc-syncs` default.
    public nonisolated let workers = 20
    /// The source component of its events.
    static let component = "garbage-collector-controller"

    /// Resources the collector never follows (Kubernetes' default ignored resources).
    public static let ignoredResources: Set<GroupResource> = [
        GroupResource(group: "", resource: "events"),
        GroupResource(group: "events.k8s.io", resource: "events"),
    ]

    let context: ControllerContext
    let lookup: any GarbageCollectorLookup
    let resolve: @Sendable (_ apiVersion: String, _ kind: String) -> Resource?
    let enqueue: @Sendable (_ uids: [String]) async -> Void
    var graph = GarbageCollectorGraph()

    /// - Parameters:
    ///   - lookup: live GETs (the collector never trusts caches about existence).
    ///   - resolve: the resource serving an apiVersion and kind (from discovery); nil when unknown.
    ///   - enqueue: puts uids on the work queue; `sync` uses it when its outcome makes other
    ///     objects worth another look (the dependents of an owner found absent …).
    public init(context: ControllerContext, lookup: any GarbageCollectorLookup,
                resolve: @escaping @Sendable (_ apiVersion: String, _ kind: String) -> Resource?,
                enqueue: @escaping @Sendable (_ uids: [String]) async -> Void) {
        self.context = context
        self.lookup = lookup
        self.resolve = resolve
        self.enqueue = enqueue
    }

    /// Applies one informer change (`old` nil: added; `new` nil: deleted) to the dependency graph
    /// and returns the uids that must be synced.
    public func observe(_ resource: Resource, old: JSON?, new: JSON?) async -> [String] {
        guard !Self.ignoredResources.contains(resource.groupResource) else { return [] }
        var effects = GarbageCollectorGraphEffects()
        if let new {
            guard let identity = Self.identity(of: new, observedAs: resource) else { return [] }
            graph.observeUpsert(identity, resource: resource, old: old, new: new, effects: &effects)
        } else if let old {
            guard let identity = Self.identity(of: old, observedAs: resource) else { return [] }
            graph.observeDelete(identity, virtual: false, effects: &effects)
        }
        await report(effects)
        return effects.uids
    }

    /// Processes one uid from the work queue.
    public func sync(_ uid: String) async -> SyncResult {
        if graph.orphanPending.contains(uid) { return await attemptToOrphan(uid) }
        return await attemptToDelete(uid)
    }

    // MARK: Shared steps

    /// An observed object's identity: apiVersion from the informer's resource, the object's kind.
    static func identity(of object: JSON, observedAs resource: Resource) -> GarbageCollectorIdentity? {
        guard let uid = GarbageCollectorMetadata.uid(object) else { return nil }
        return GarbageCollectorIdentity(apiVersion: resource.apiVersion, kind: object["kind"].string ?? "",
                                        name: object["metadata"]["name"].string ?? "", uid: uid,
                                        namespace: object["metadata"]["namespace"].string ?? "")
    }

    /// The resource behind a node: the one it was observed through, else what discovery maps its
    /// apiVersion and kind to.
    func resource(of node: GarbageCollectorNode) throws(GarbageCollectorFailure) -> Resource {
        if let resource = node.resource { return resource }
        return try resource(apiVersion: node.identity.apiVersion, kind: node.identity.kind)
    }

    func resource(apiVersion: String, kind: String) throws(GarbageCollectorFailure) -> Resource {
        guard let resource = resolve(apiVersion, kind) else { throw .unknownKind(apiVersion: apiVersion, kind: kind) }
        return resource
    }

    /// The namespace a request for the object goes to (none for cluster-scoped resources).
    static func requestNamespace(_ resource: Resource, _ identity: GarbageCollectorIdentity) -> String? {
        resource.namespaced ? identity.namespace : nil
    }

    /// Records that a lookup found the object absent (Kubernetes' virtual delete event), and queues
    /// what that touches.
    func observeAbsence(_ identity: GarbageCollectorIdentity) async {
        var effects = GarbageCollectorGraphEffects()
        graph.observeDelete(identity, virtual: true, effects: &effects)
        await report(effects)
        if !effects.uids.isEmpty { await enqueue(effects.uids) }
    }

    private func report(_ effects: GarbageCollectorGraphEffects) async {
        guard !effects.invalidNamespaceReports.isEmpty else { return }
        let events = context.events(Self.component)
        for report in effects.invalidNamespaceReports {
            let dependent = report.dependent
            let reference: JSON = ["apiVersion": .string(dependent.apiVersion), "kind": .string(dependent.kind),
                                   "metadata": ["name": .string(dependent.name), "namespace": .string(dependent.namespace),
                                                "uid": .string(dependent.uid)]]
            await events.record(reference, type: "Warning", reason: "OwnerRefInvalidNamespace", message: report.message)
        }
    }
}

/// Why one step of the collector stopped.
enum GarbageCollectorFailure: Error {
    /// A request failed; retried with back-off.
    case client(ClientError)
    /// Discovery does not (yet) map this apiVersion and kind to a resource; retried.
    case unknownKind(apiVersion: String, kind: String)
    /// A cluster-scoped object names a namespaced owner: never collectable, not retried.
    case namespacedOwnerOfClusterScopedObject
    /// The object was found absent and the graph updated accordingly: nothing left to do.
    case absenceRecorded
}
