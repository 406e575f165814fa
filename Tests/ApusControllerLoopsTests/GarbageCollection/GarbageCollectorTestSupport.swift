import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import ApusPatch

/// Resources the garbage collector tests use beyond the kit's.
enum GCTestResources {
    static let clusterRoles = Resource(group: "rbac.authorization.k8s.io", version: "v1", name: "clusterroles", namespaced: false)
    static let widgets = Resource(group: "example.com", version: "v1", name: "widgets", namespaced: true)

    /// What discovery would map apiVersion/kind to.
    static func resolve(_ apiVersion: String, _ kind: String) -> Resource? {
        switch (apiVersion, kind) {
        case ("v1", "Pod"): .pods
        case ("v1", "ConfigMap"): .configMaps
        case ("v1", "Node"): .nodes
        case ("apps/v1", "ReplicaSet"): .replicaSets
        case ("apps/v1", "Deployment"): .deployments
        case ("rbac.authorization.k8s.io/v1", "ClusterRole"): clusterRoles
        case ("example.com/v1", "Widget"): widgets
        default: nil
        }
    }
}

/// Builds test objects.
enum GCObjects {
    static func object(_ apiVersion: String, _ kind: String, _ name: String, namespace: String? = "default", uid: String,
                       owners: [JSON] = [], finalizers: [String] = [], deleting: Bool = false) -> JSON {
        var metadata: JSON = ["name": .string(name), "uid": .string(uid)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        if !owners.isEmpty { metadata["ownerReferences"] = .array(owners) }
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map(JSON.string)) }
        if deleting { metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
        return ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": metadata]
    }

    static func owner(_ apiVersion: String, _ kind: String, _ name: String, uid: String, controller: Bool = true, block: Bool? = true) -> JSON {
        var reference: JSON = ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid)]
        if controller { reference["controller"] = true }
        if let block { reference["blockOwnerDeletion"] = .bool(block) }
        return reference
    }

    static func pod(_ name: String, namespace: String = "default", uid: String, owners: [JSON] = []) -> JSON {
        object("v1", "Pod", name, namespace: namespace, uid: uid, owners: owners)
    }

    static func replicaSet(_ name: String, namespace: String = "default", uid: String, owners: [JSON] = [],
                           finalizers: [String] = [], deleting: Bool = false) -> JSON {
        object("apps/v1", "ReplicaSet", name, namespace: namespace, uid: uid, owners: owners, finalizers: finalizers, deleting: deleting)
    }

    static func deployment(_ name: String, uid: String) -> JSON { object("apps/v1", "Deployment", name, uid: uid) }

    static func rsRef(_ name: String, uid: String, block: Bool? = true) -> JSON { owner("apps/v1", "ReplicaSet", name, uid: uid, block: block) }
    static func deploymentRef(_ name: String, uid: String) -> JSON { owner("apps/v1", "Deployment", name, uid: uid) }
}

/// Live reads of the fake cluster, as the API server answers them.
struct GCClusterLookup: GarbageCollectorLookup {
    let cluster: FakeCluster

    func get(_ resource: Resource, namespace: String?, name: String) async throws(ClientError) -> JSON {
        guard let object = await cluster.object(resource, ObjectKey.make(namespace: namespace, name: name)) else {
            throw .api(.notFound(resource.groupResource, name: name))
        }
        return object
    }
}

/// One request the collector made.
struct GCRequest: Sendable, CustomStringConvertible {
    var verb: String
    var resource: Resource
    var namespace: String
    var name: String
    var subresource: String? = nil
    var body: JSON

    var key: String { ObjectKey.make(namespace: namespace, name: name) }
    var description: String { "\(verb) \(resource.name) \(key)" }
}

/// The API server's side of deletion on top of a FakeCluster (which deletes at once): deletes
/// honour the uid and resourceVersion preconditions; foreground and orphan deletes, and objects with
/// finalizers, only get a deletionTimestamp (and the policy's finalizer); an object being deleted
/// goes once its last finalizer is patched away; a strategic patch whose metadata.uid differs is
/// invalid and a merge patch with a stale resourceVersion conflicts. Logs the requests it gets.
actor GCAPIServer: ClusterWriter {
    let cluster: FakeCluster
    private(set) var requests: [GCRequest] = []
    private var failures: [String: ClientError] = [:]
    /// Resources answering 415 to strategic merge patches (custom resources).
    var strategicUnsupported: Set<Resource> = []
    /// Changes the object (a new resourceVersion, same ownerReferences) right before the next delete.
    var touchBeforeNextDelete = false

    init(cluster: FakeCluster) { self.cluster = cluster }

    func failNext(_ verb: String, _ resource: Resource, with error: ClientError) { failures["\(verb) \(resource.name)"] = error }
    func setStrategicUnsupported(_ resource: Resource) { strategicUnsupported.insert(resource) }
    func setTouchBeforeNextDelete() { touchBeforeNextDelete = true }
    func forgetRequests() { requests = [] }

    func requests(_ verb: String) -> [GCRequest] { requests.filter { $0.verb == verb } }

    private func log(_ call: GCRequest) throws(ClientError) {
        requests.append(call)
        if let error = failures.removeValue(forKey: "\(call.verb) \(call.resource.name)") { throw error }
    }

    func create(_ resource: Resource, _ object: JSON) async throws(ClientError) -> JSON {
        try log(GCRequest(verb: "create", resource: resource, namespace: object["metadata"]["namespace"].string ?? "",
                                 name: object["metadata"]["name"].string ?? "", body: object))
        return try await cluster.create(resource, object)
    }

    func post(_ resource: Resource, namespace: String?, name: String, subresource: String, _ body: JSON) async throws(ClientError) -> JSON {
        try log(GCRequest(verb: "create", resource: resource, namespace: namespace ?? "", name: name, subresource: subresource, body: body))
        return try await cluster.post(resource, namespace: namespace, name: name, subresource: subresource, body)
    }

    func update(_ resource: Resource, _ object: JSON, subresource: String?) async throws(ClientError) -> JSON {
        try log(GCRequest(verb: "update", resource: resource, namespace: object["metadata"]["namespace"].string ?? "",
                                 name: object["metadata"]["name"].string ?? "", subresource: subresource, body: object))
        return try await cluster.update(resource, object, subresource: subresource)
    }

    func patch(_ resource: Resource, namespace: String?, name: String, type: PatchType, _ patch: JSON,
               subresource: String?) async throws(ClientError) -> JSON {
        try log(GCRequest(verb: "patch", resource: resource, namespace: namespace ?? "", name: name, subresource: subresource, body: patch))
        let key = ObjectKey.make(namespace: namespace, name: name)
        guard let current = await cluster.object(resource, key) else { throw .api(.notFound(resource.groupResource, name: name)) }
        if type == .strategic && strategicUnsupported.contains(resource) {
            throw .api(.unsupportedMediaType(type.rawValue))
        }
        if let uid = patch["metadata"]["uid"].string, uid != current["metadata"]["uid"].string {
            throw .api(.invalid(kind: current["kind"].string ?? "", group: resource.group, name: name,
                                errors: [.invalid("metadata.uid", .string(uid), "field is immutable")]))
        }
        if type == .merge, let version = patch["metadata"]["resourceVersion"].string, !version.isEmpty,
           version != current["metadata"]["resourceVersion"].string {
            throw .api(.conflict(resource.groupResource, name: name))
        }
        var patched = try await cluster.patch(resource, namespace: namespace, name: name, type: type, patch, subresource: subresource)
        if Self.withoutVersion(patched) == Self.withoutVersion(current) {
            // A patch that changes nothing leaves the resourceVersion alone, as the API server does.
            await cluster.seed(resource, [current])
            patched = current
        }
        if !patched["metadata"]["deletionTimestamp"].isNull && (patched["metadata"]["finalizers"].array ?? []).isEmpty {
            try await cluster.delete(resource, namespace: namespace, name: name)
        }
        return patched
    }

    private static func withoutVersion(_ object: JSON) -> JSON {
        var object = object
        object[path: ["metadata", "resourceVersion"]] = .null
        return object
    }

    @discardableResult
    func delete(_ resource: Resource, namespace: String?, name: String, options: DeleteOptions) async throws(ClientError) -> JSON {
        try log(GCRequest(verb: "delete", resource: resource, namespace: namespace ?? "", name: name, body: options.json))
        let key = ObjectKey.make(namespace: namespace, name: name)
        guard var current = await cluster.object(resource, key) else { throw .api(.notFound(resource.groupResource, name: name)) }
        if touchBeforeNextDelete {
            touchBeforeNextDelete = false
            current[path: ["metadata", "labels", "touched"]] = "true"
            current = try await cluster.update(resource, current)
        }
        if let uid = options.preconditionUID, uid != current["metadata"]["uid"].string {
            throw .api(.conflict(resource.groupResource, name: name, detail: "Precondition failed: UID in precondition: \(uid)"))
        }
        if let version = options.preconditionResourceVersion, version != current["metadata"]["resourceVersion"].string {
            throw .api(.conflict(resource.groupResource, name: name,
                                 detail: "Precondition failed: ResourceVersion in precondition: \(version)"))
        }
        var finalizers = (current["metadata"]["finalizers"].array ?? []).compactMap(\.string)
        let alreadyDeleting = !current["metadata"]["deletionTimestamp"].isNull
        if !alreadyDeleting {
            switch options.propagationPolicy {
            case "Foreground": if !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
            case "Orphan": if !finalizers.contains("orphan") { finalizers.append("orphan") }
            default: break
            }
        }
        if finalizers.isEmpty {
            return try await cluster.delete(resource, namespace: namespace, name: name)
        }
        if !alreadyDeleting {
            current[path: ["metadata", "deletionTimestamp"]] = "2026-01-01T00:00:00Z"
            current[path: ["metadata", "finalizers"]] = .array(finalizers.map(JSON.string))
            current = try await cluster.update(resource, current)
        }
        return current
    }
}

/// The work queue the runtime keeps: uids in order, each once while pending.
actor GCWorkQueue {
    private(set) var items: [String] = []

    func add(_ uids: [String]) {
        for uid in uids where !items.contains(uid) { items.append(uid) }
    }

    func next() -> String? { items.isEmpty ? nil : items.removeFirst() }
    func clear() { items = [] }
}

/// The collector wired as the runtime wires it: informers over the fake cluster's resources feed
/// `observe`, a work queue feeds `sync`.
actor GCHarness {
    static let informed: [Resource] = [.deployments, .replicaSets, .pods, .configMaps, .nodes,
                                       GCTestResources.clusterRoles, GCTestResources.widgets]

    let cluster = FakeCluster()
    let server: GCAPIServer
    let events = RecordedEvents()
    let queue = GCWorkQueue()
    let gc: GarbageCollector
    /// Resources whose informer is not running (the collector never observes their objects).
    let unwatched: Set<Resource>
    private var seen: [Resource: [String: JSON]] = [:]
    private(set) var results: [(uid: String, result: SyncResult)] = []

    init(unwatched: Set<Resource> = []) {
        self.unwatched = unwatched
        server = GCAPIServer(cluster: cluster)
        let queue = self.queue
        let context = ControllerContext(writer: server, clock: ManualClock(), listers: { [cluster] in cluster.lister($0) },
                                        recorders: { [events] _ in events })
        gc = GarbageCollector(context: context, lookup: GCClusterLookup(cluster: cluster),
                              resolve: { GCTestResources.resolve($0, $1) }, enqueue: { await queue.add($0) })
    }

    func seed(_ resource: Resource, _ objects: [JSON]) async { await cluster.seed(resource, objects) }

    /// Delivers every change since the last call to the collector, as informers would.
    func inform() async {
        for resource in Self.informed where !unwatched.contains(resource) {
            var current: [String: JSON] = [:]
            for object in await cluster.all(resource) {
                if let uid = object["metadata"]["uid"].string { current[uid] = object }
            }
            let previous = seen[resource] ?? [:]
            for (uid, old) in previous.sorted(by: { $0.key < $1.key }) where current[uid] == nil {
                await queue.add(await gc.observe(resource, old: old, new: nil))
            }
            for (uid, object) in current.sorted(by: { $0.key < $1.key }) where previous[uid] != object {
                await queue.add(await gc.observe(resource, old: previous[uid], new: object))
            }
            seen[resource] = current
        }
    }

    /// Runs the queue until it is empty (a uid that keeps asking for a retry is given up after a few).
    func settle(maxSteps: Int = 200) async {
        var retries: [String: Int] = [:]
        for _ in 0..<maxSteps {
            await inform()
            guard let uid = await queue.next() else { return }
            let result = await gc.sync(uid)
            results.append((uid, result))
            if result == .retry, retries[uid, default: 0] < 3 {
                retries[uid, default: 0] += 1
                await queue.add([uid])
            }
        }
    }

    func object(_ resource: Resource, _ key: String) async -> JSON? { await cluster.object(resource, key) }

    func results(for uid: String) -> [SyncResult] { results.filter { $0.uid == uid }.map(\.result) }
}

extension RecordedEvents.Event {
    /// `<object> <type> <reason>: <message>`, for comparisons.
    var gcSummary: String { "\(object) \(type) \(reason): \(message)" }
}
