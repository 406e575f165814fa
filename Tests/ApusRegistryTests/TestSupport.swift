import ApusMachinery
import ApusRegistry
import ApusStorage
import Logging
import Testing

/// A clock that always says the same time, so timestamps in stored objects are predictable.
struct TestClock: WallClock {
    let time: Double
    func now() -> Double { time }
}

/// A registry over a fresh in-memory backend, loaded, following the backend and bootstrapped: what the
/// server has after start-up. Call `stop()` at the end of a test.
struct Harness: Sendable {
    static let now: Double = 1_700_000_000  // 2023-11-14T22:13:20Z
    /// Only written into the `kubernetes` Endpoints; nothing connects to it.
    static let advertiseAddress = "192.0.2.10"

    let registry: Registry
    let backend: MemoryBackend
    private let runner: Task<Void, any Error>

    var store: Store { registry.store }

    static func start(backend: MemoryBackend = MemoryBackend(), admission: AdmissionSettings = AdmissionSettings()) async throws -> Harness {
        let registry = try Registry(backend: backend, clock: TestClock(time: now), serviceCIDR: "10.43.0.0/16", admission: admission,
                                    logger: Logger(label: "test"))
        try await registry.load()
        let runner = Task { try await registry.run() }
        try await Bootstrap.ensure(registry: registry, advertiseAddress: Harness.advertiseAddress, port: 6443)
        return Harness(registry: registry, backend: backend, runner: runner)
    }

    private init(registry: Registry, backend: MemoryBackend, runner: Task<Void, any Error>) {
        self.registry = registry
        self.backend = backend
        self.runner = runner
    }

    func stop() { runner.cancel() }

    func def(_ resource: String, group: String = "", version: String = "v1") async throws -> ResourceDefinition {
        try #require(await registry.catalog.lookup(group: group, version: version, resource: resource))
    }

    @discardableResult
    func create(_ def: ResourceDefinition, _ namespace: String?, _ body: JSON, dryRun: Bool = false) async throws -> JSON {
        try await store.create(def, namespace: namespace, body: body, options: WriteOptions(dryRun: dryRun))
    }

    func get(_ def: ResourceDefinition, _ namespace: String?, _ name: String) async throws -> JSON {
        try await store.get(def, namespace: namespace, name: name).object
    }

    @discardableResult
    func update(_ def: ResourceDefinition, _ namespace: String?, _ name: String, _ mode: Store.UpdateMode,
                strategy: (any ResourceStrategy)? = nil) async throws -> JSON {
        try await store.update(def, namespace: namespace, name: name, mode: mode, strategy: strategy, options: WriteOptions()).0
    }

    func delete(_ def: ResourceDefinition, _ namespace: String?, _ name: String,
                _ configure: (inout DeleteOptions) -> Void = { _ in }) async throws -> Store.DeleteOutcome {
        var options = DeleteOptions()
        configure(&options)
        return try await store.delete(def, namespace: namespace, name: name, options: options)
    }

    func list(_ def: ResourceDefinition, _ namespace: String?, _ configure: (inout ListOptions) -> Void = { _ in }) async throws -> ListPage {
        var options = ListOptions()
        configure(&options)
        return try await store.list(def, namespace: namespace, options: options)
    }

    /// Creates a namespace and reads it back, so the watch cache has it before the test goes on.
    func createNamespace(_ name: String) async throws {
        let namespaces = try await def("namespaces")
        try await create(namespaces, nil, Fixtures.namespace(name))
        _ = try await get(namespaces, nil, name)
    }

    /// The backend's current revision, once the watch cache has caught up with it.
    func settledRevision() async -> Int64 {
        let revision = await backend.currentRevision()
        await store.cache.waitFor(revision)
        return revision
    }

    func exists(_ def: ResourceDefinition, _ namespace: String?, _ name: String) async -> Bool {
        (try? await store.get(def, namespace: namespace, name: name)) != nil
    }
}

/// An update mode that changes the stored object as a patch does: unconditionally, retried on conflicts.
func patch(_ change: @escaping @Sendable (inout JSON) -> Void) -> Store.UpdateMode {
    .transform { current in
        var next = current
        next[path: ["metadata", "resourceVersion"]] = .null
        change(&next)
        return next
    }
}

/// The APIError an operation fails with, or nil when it succeeds (or fails otherwise).
func apiError(_ operation: () async throws -> Void) async -> APIError? {
    do {
        try await operation()
        return nil
    } catch let error as APIError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

/// Polls `condition` every 10 ms for up to 2 s.
func eventually(_ condition: () async throws -> Bool) async rethrows -> Bool {
    for _ in 0..<200 {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

func resourceVersion(_ object: JSON) -> Int64? { object["metadata"]["resourceVersion"].string.flatMap { Int64($0) } }

func names(_ page: ListPage) -> [String] { page.items.map(\.name) }

private actor EventBox {
    var events: [WatchEvent] = []
    func add(_ event: WatchEvent) { events.append(event) }
}

/// Collects the events of a watch in the background.
struct WatchRecorder: Sendable {
    private let box: EventBox
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<WatchEvent>) {
        let box = EventBox()
        self.box = box
        self.task = Task { for await event in stream { await box.add(event) } }
    }

    /// The events so far, once there are at least `count` (or after 2 s).
    func events(atLeast count: Int) async -> [(type: WatchEvent.Kind, object: JSON)] {
        for _ in 0..<200 {
            if await box.events.count >= count { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await box.events.map { ($0.kind, (try? JSON.parse($0.objectBytes)) ?? .null) }
    }

    func stop() { task.cancel() }
}

enum Fixtures {
    static func namespace(_ name: String) -> JSON {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    }

    static func configMap(_ name: String, labels: [String: String] = [:], data: [String: String] = ["key": "value"]) -> JSON {
        var metadata: JSON = ["name": .string(name)]
        if !labels.isEmpty { metadata["labels"] = .object(JSONObject(labels.mapValues(JSON.string))) }
        return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": .object(JSONObject(data.mapValues(JSON.string)))]
    }

    static func pod(_ name: String, image: String = "nginx:1.25", labels: [String: String] = [:], nodeName: String? = nil) -> JSON {
        var pod: JSON = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
            "spec": ["containers": [["name": "app", "image": .string(image), "ports": [["containerPort": 80]]]]],
        ]
        if !labels.isEmpty { pod[path: ["metadata", "labels"]] = .object(JSONObject(labels.mapValues(JSON.string))) }
        if let nodeName { pod[path: ["spec", "nodeName"]] = .string(nodeName) }
        return pod
    }

    static func deployment(_ name: String, replicas: Int64 = 2) -> JSON {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(replicas),
                "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "app", "image": "nginx:1.25"]]],
                ],
            ],
        ]
    }

    static func service(_ name: String, type: String? = nil, port: Int64 = 80) -> JSON {
        var spec: JSON = ["selector": ["app": "web"], "ports": [["name": "http", "port": .int(port)]]]
        if let type { spec["type"] = .string(type) }
        return ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)], "spec": spec]
    }

    static func job(_ name: String) -> JSON {
        [
            "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": .string(name)],
            "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "work", "image": "busybox:1.36"]]]]],
        ]
    }

    static let widgetSchema: JSON = [
        "type": "object",
        "properties": [
            "spec": [
                "type": "object",
                "properties": ["size": ["type": "integer"], "color": ["type": "string"]],
            ],
            "status": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
        ],
    ]

    static let widgetCRD: JSON = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "widgets.example.com"],
        "spec": [
            "group": "example.com", "scope": "Namespaced",
            "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"], "categories": ["all"]],
            "versions": [[
                "name": "v1", "served": true, "storage": true,
                "schema": ["openAPIV3Schema": widgetSchema],
                "subresources": ["status": [:]],
            ]],
        ],
    ]

    static func widget(_ name: String, spec: JSON) -> JSON {
        ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": .string(name)], "spec": spec]
    }
}
