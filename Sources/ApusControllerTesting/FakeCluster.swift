import ApusControllerKit
import ApusMachinery
import ApusPatch

/// An in-memory cluster for control-loop unit tests: seeded objects per resource serve as the
/// loop's caches, and every write is recorded (and applied, so a second sync sees the first's
/// result). Names from generateName are `<prefix>` plus a counter; uids are `uid-<n>`.
public actor FakeCluster: ClusterWriter {
    public struct Call: Sendable, Equatable, CustomStringConvertible {
        public var verb: String
        public var resource: Resource
        public var namespace: String
        public var name: String
        public var subresource: String?
        public var body: JSON

        public var description: String {
            "\(verb) \(resource.name)\(subresource.map { "/" + $0 } ?? "") \(ObjectKey.make(namespace: namespace, name: name))"
        }
    }

    private var objects: [Resource: [String: JSON]] = [:]
    public private(set) var calls: [Call] = []
    private var counter = 0
    private var failures: [String: ClientError] = [:]

    public init() {}

    /// Adds or replaces objects (uids and resourceVersions are filled in when missing).
    public func seed(_ resource: Resource, _ items: [JSON]) {
        for var item in items {
            counter += 1
            if item["metadata"]["uid"].isNull { item[path: ["metadata", "uid"]] = .string("uid-\(counter)") }
            if item["metadata"]["resourceVersion"].isNull { item[path: ["metadata", "resourceVersion"]] = .string("\(counter)") }
            objects[resource, default: [:]][ObjectKey.of(item)] = item
        }
    }

    /// Makes the next write matching `verb resource` (e.g. "create pods") fail with `error`.
    public func failNext(_ verb: String, _ resource: Resource, with error: ClientError) {
        failures["\(verb) \(resource.name)"] = error
    }

    public func forgetCalls() { calls = [] }

    public func object(_ resource: Resource, _ key: String) -> JSON? { objects[resource]?[key] }

    public func all(_ resource: Resource) -> [JSON] {
        (objects[resource] ?? [:]).values.sorted { ObjectKey.of($0) < ObjectKey.of($1) }
    }

    /// A cache over one resource of this cluster, reading its current contents.
    public nonisolated func lister(_ resource: Resource) -> FakeLister { FakeLister(cluster: self, resource: resource) }

    // MARK: ClusterWriter

    public func create(_ resource: Resource, _ object: JSON) async throws(ClientError) -> JSON {
        var object = object
        if object["metadata"]["name"].isNull, let prefix = object["metadata"]["generateName"].string {
            counter += 1
            object[path: ["metadata", "name"]] = .string("\(prefix)\(counter)")
        }
        let call = Call(verb: "create", resource: resource, namespace: object["metadata"]["namespace"].string ?? "",
                        name: object["metadata"]["name"].string ?? "", body: object)
        try record(call)
        let key = ObjectKey.of(object)
        if objects[resource]?[key] != nil {
            throw .api(.alreadyExists(resource.groupResource, name: call.name))
        }
        counter += 1
        object[path: ["metadata", "uid"]] = .string("uid-\(counter)")
        object[path: ["metadata", "resourceVersion"]] = .string("\(counter)")
        objects[resource, default: [:]][key] = object
        return object
    }

    public func post(_ resource: Resource, namespace: String?, name: String, subresource: String, _ body: JSON) async throws(ClientError) -> JSON {
        try record(Call(verb: "create", resource: resource, namespace: namespace ?? "", name: name, subresource: subresource, body: body))
        let key = ObjectKey.make(namespace: namespace, name: name)
        guard var object = objects[resource]?[key] else { throw .api(.notFound(resource.groupResource, name: name)) }
        if subresource == "binding", let node = body["target"]["name"].string {
            object[path: ["spec", "nodeName"]] = .string(node)
            store(resource, key, &object)
        }
        return ["kind": "Status", "apiVersion": "v1", "status": "Success"]
    }

    public func update(_ resource: Resource, _ object: JSON, subresource: String?) async throws(ClientError) -> JSON {
        let namespace = object["metadata"]["namespace"].string
        let name = object["metadata"]["name"].string ?? ""
        try record(Call(verb: "update", resource: resource, namespace: namespace ?? "", name: name, subresource: subresource, body: object))
        let key = ObjectKey.make(namespace: namespace, name: name)
        guard let current = objects[resource]?[key] else { throw .api(.notFound(resource.groupResource, name: name)) }
        if let expected = object["metadata"]["resourceVersion"].string, expected != current["metadata"]["resourceVersion"].string {
            throw .api(.conflict(resource.groupResource, name: name))
        }
        var updated = current
        if subresource == "status" {
            updated["status"] = object["status"]
        } else {
            updated = object
            if subresource == nil { updated["status"] = current["status"] }
        }
        store(resource, key, &updated)
        return updated
    }

    public func patch(_ resource: Resource, namespace: String?, name: String, type: PatchType, _ patch: JSON,
                      subresource: String?) async throws(ClientError) -> JSON {
        try record(Call(verb: "patch", resource: resource, namespace: namespace ?? "", name: name, subresource: subresource, body: patch))
        let key = ObjectKey.make(namespace: namespace, name: name)
        guard let current = objects[resource]?[key] else { throw .api(.notFound(resource.groupResource, name: name)) }
        var patched: JSON
        do {
            switch type {
            case .merge: patched = JSONMergePatch.apply(patch, to: current)
            case .json: patched = try JSONPatch.apply(patch, to: current)
            case .strategic, .apply:
                let schema = PatchSchema.forKind(group: resource.group, kind: current["kind"].string ?? "")
                patched = try StrategicMergePatch.apply(patch, to: current, schema: schema)
            }
        } catch {
            throw .api(error)
        }
        store(resource, key, &patched)
        return patched
    }

    @discardableResult
    public func delete(_ resource: Resource, namespace: String?, name: String, options: DeleteOptions) async throws(ClientError) -> JSON {
        try record(Call(verb: "delete", resource: resource, namespace: namespace ?? "", name: name, body: options.json))
        let key = ObjectKey.make(namespace: namespace, name: name)
        guard let current = objects[resource]?[key] else { throw .api(.notFound(resource.groupResource, name: name)) }
        if let uid = options.preconditionUID, uid != current["metadata"]["uid"].string {
            throw .api(.conflict(resource.groupResource, name: name, detail: "Precondition failed: UID in precondition: \(uid)"))
        }
        objects[resource]?[key] = nil
        return ["kind": "Status", "apiVersion": "v1", "status": "Success"]
    }

    private func record(_ call: Call) throws(ClientError) {
        calls.append(call)
        if let error = failures.removeValue(forKey: "\(call.verb) \(call.resource.name)") { throw error }
    }

    private func store(_ resource: Resource, _ key: String, _ object: inout JSON) {
        counter += 1
        object[path: ["metadata", "resourceVersion"]] = .string("\(counter)")
        objects[resource, default: [:]][key] = object
    }

    fileprivate func items(_ resource: Resource, namespace: String?) -> [JSON] {
        let all = Array((objects[resource] ?? [:]).values)
        guard let namespace else { return all }
        return all.filter { ($0["metadata"]["namespace"].string ?? "") == namespace }
    }
}

/// One resource of a `FakeCluster`, as a control loop's cache.
public struct FakeLister: ObjectLister {
    let cluster: FakeCluster
    let resource: Resource

    public func get(_ key: String) async -> JSON? { await cluster.object(resource, key) }
    public func list() async -> [JSON] { await cluster.items(resource, namespace: nil) }
    public func list(namespace: String) async -> [JSON] { await cluster.items(resource, namespace: namespace) }
}

extension FakeCluster {
    /// A context whose caches and writes are this cluster's, with the given clock and event sink.
    public nonisolated func context(clock: any WallClock, events: RecordedEvents) -> ControllerContext {
        ControllerContext(writer: self, clock: clock, listers: { self.lister($0) }, recorders: { _ in events })
    }
}
