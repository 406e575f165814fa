import ApusClient
import ApusControllerKit
import ApusMachinery
import Logging

/// One informer per resource, shared by every loop that reads it (client-go's shared informer
/// factory): each resource is listed and watched once however many loops follow it.
public actor SharedInformers {
    let api: APIClient
    let logger: Logger
    private var informers: [Resource: Informer] = [:]
    private var runs: [Resource: Task<Void, Never>] = [:]
    private var stopped = false

    public init(api: APIClient, logger: Logger) {
        self.api = api
        self.logger = logger
    }

    /// The informer of `resource`, started on first use (objects filed by namespace, kept without
    /// their managedFields).
    public func informer(_ resource: Resource) -> Informer {
        if let known = informers[resource] { return known }
        let informer = Informer(client: ResourceClient(api, resource), indexers: ["namespace": Informer.namespaceIndex],
                                transform: Informer.dropManagedFields, logger: logger)
        informers[resource] = informer
        if !stopped {
            runs[resource] = Task { try? await informer.run() }
        }
        return informer
    }

    /// Stops every informer (their change streams finish).
    public func stop() {
        stopped = true
        for run in runs.values { run.cancel() }
        runs = [:]
    }

    /// A cache reader for `resource`; its informer starts when first read.
    public nonisolated func lister(_ resource: Resource) -> any ObjectLister {
        SharedInformerLister(informers: self, resource: resource)
    }
}

/// Reads one resource through its shared informer.
struct SharedInformerLister: ObjectLister {
    let informers: SharedInformers
    let resource: Resource

    func get(_ key: String) async -> JSON? { await informers.informer(resource).get(key) }
    func list() async -> [JSON] { await informers.informer(resource).list() }
    func list(namespace: String) async -> [JSON] { await informers.informer(resource).byIndex("namespace", namespace) }
}
