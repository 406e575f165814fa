import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
@testable import ApusControllerLoops

/// A fake cluster with both controllers, a manual clock and a hand-driven "kubelet", for stepping
/// ReplicaSets and Deployments through their lives. Pod changes made by a ReplicaSet sync are fed
/// back through the controller's pod watch (as an informer would), and every new object gets a
/// creationTimestamp (the fake cluster does not set one), one clock second apart.
struct DeploymentsHarness {
    let cluster = FakeCluster()
    let clock = ManualClock()
    let events = RecordedEvents()
    let replicaSets: ReplicaSetController
    let deployments: DeploymentController

    init(burstReplicas: Int = 500) {
        let context = cluster.context(clock: clock, events: events)
        replicaSets = ReplicaSetController(context: context, burstReplicas: burstReplicas)
        deployments = DeploymentController(context: context)
    }

    // MARK: Driving

    @discardableResult
    func syncReplicaSet(_ key: String) async -> SyncResult {
        let before = await cluster.all(.pods)
        let result = await replicaSets.sync(key)
        await deliverPodChanges(since: before)
        await stampCreationTimes()
        return result
    }

    @discardableResult
    func syncDeployment(_ key: String = "default/web") async -> SyncResult {
        let result = await deployments.sync(key)
        await stampCreationTimes()
        return result
    }

    /// Syncs every ReplicaSet twice: once to create/delete pods, once to report them in status.
    func syncAllReplicaSets() async {
        for _ in 0..<2 {
            for rs in await cluster.all(.replicaSets) { await syncReplicaSet(ObjectKey.of(rs)) }
        }
    }

    /// Feeds pod creations, deletions and updates since `before` to the ReplicaSet pod watch.
    func deliverPodChanges(since before: [JSON]) async {
        guard let watch = replicaSets.watches.first(where: { $0.resource == .pods }) else { return }
        let old = Dictionary(before.map { (ObjectKey.of($0), $0) }, uniquingKeysWith: { a, _ in a })
        let now = Dictionary(await cluster.all(.pods).map { (ObjectKey.of($0), $0) }, uniquingKeysWith: { a, _ in a })
        for (key, pod) in now where old[key] == nil { _ = await watch.keys(nil, pod) }
        for (key, pod) in old where now[key] == nil { _ = await watch.keys(pod, nil) }
        for (key, pod) in now {
            if let previous = old[key], previous != pod { _ = await watch.keys(previous, pod) }
        }
    }

    /// Gives new pods and ReplicaSets a creationTimestamp, then moves the clock on a second.
    func stampCreationTimes() async {
        for resource in [Resource.pods, .replicaSets] {
            for var object in await cluster.all(resource) where object["metadata"]["creationTimestamp"].isNull {
                object[path: ["metadata", "creationTimestamp"]] = .string(Timestamp.rfc3339(clock.now()))
                await cluster.seed(resource, [object])
            }
        }
        clock.advance(by: 1)
    }

    // MARK: The kubelet

    /// Schedules every pending pod on `node` and makes it Running and Ready (or not ready).
    func runPods(ready: Bool = true, node: String = "node-1") async {
        for pod in await cluster.all(.pods) where pod["status"]["phase"].string != "Running" {
            await setPod(pod, ready: ready, node: node)
        }
    }

    /// Makes `pod` Running on `node`, ready or not, since now.
    func setPod(_ pod: JSON, ready: Bool, node: String = "node-1") async {
        var pod = pod
        pod[path: ["spec", "nodeName"]] = .string(node)
        pod[path: ["status", "phase"]] = "Running"
        pod[path: ["status", "conditions"]] = [["type": "Ready", "status": .string(ready ? "True" : "False"),
                                                "lastTransitionTime": .string(Timestamp.rfc3339(clock.now()))]]
        pod[path: ["metadata", "resourceVersion"]] = .null
        await cluster.seed(.pods, [pod])
    }

    // MARK: Reading

    func replicaSet(_ name: String) async -> JSON? { await cluster.object(.replicaSets, "default/\(name)") }
    func deployment() async -> JSON { await cluster.object(.deployments, "default/web") ?? .null }

    /// The ReplicaSets of the Deployment by revision annotation.
    func replicaSetsByRevision() async -> [String: JSON] {
        var map: [String: JSON] = [:]
        for rs in await cluster.all(.replicaSets) {
            map[rs["metadata"]["annotations"][DeploymentRevisions.revisionAnnotation].string ?? "?"] = rs
        }
        return map
    }

    func messages(_ reason: String) async -> [String] {
        await events.events.filter { $0.reason == reason }.map(\.message)
    }

    func activePods() async -> [JSON] { await cluster.all(.pods).filter(PodState.isActive) }

    // MARK: Changing the Deployment as kubectl would

    func updateDeployment(_ change: (inout JSON) -> Void) async {
        var d = await deployment()
        let before = d["spec"]
        change(&d)
        if d["spec"] != before { d[path: ["metadata", "generation"]] = .int(DeploymentsFields.generation(d) + 1) }
        d[path: ["metadata", "resourceVersion"]] = .null
        await cluster.seed(.deployments, [d])
    }

    func setImage(_ image: String) async {
        await updateDeployment { $0[path: ["spec", "template", "spec", "containers"]] = [["name": "web", "image": .string(image)]] }
    }
}

/// Objects as the API server would hold them after defaulting.
enum DeploymentsFixtures {
    static func template(image: String = "nginx:1.25", labels: [String: String] = ["app": "web"]) -> JSON {
        ["metadata": ["labels": .object(JSONObject(labels.mapValues { .string($0) }))],
         "spec": ["containers": [["name": "web", "image": .string(image)]]]]
    }

    static func deployment(name: String = "web", replicas: Int = 3, strategy: JSON? = nil, image: String = "nginx:1.25",
                           revisionHistoryLimit: Int = 10, progressDeadlineSeconds: Int = 600, minReadySeconds: Int = 0) -> JSON {
        var spec: JSON = [
            "replicas": .int(Int64(replicas)),
            "selector": ["matchLabels": ["app": "web"]],
            "template": template(image: image),
            "strategy": strategy ?? ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"]],
            "revisionHistoryLimit": .int(Int64(revisionHistoryLimit)),
            "progressDeadlineSeconds": .int(Int64(progressDeadlineSeconds)),
        ]
        if minReadySeconds > 0 { spec["minReadySeconds"] = .int(Int64(minReadySeconds)) }
        return ["apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": .string(name), "namespace": "default", "generation": 1], "spec": spec]
    }

    static func rolling(surge: JSON, unavailable: JSON) -> JSON {
        ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": surge, "maxUnavailable": unavailable]]
    }

    static func replicaSet(name: String = "web", replicas: Int = 3, labels: [String: String] = ["app": "web"], minReadySeconds: Int = 0) -> JSON {
        var spec: JSON = ["replicas": .int(Int64(replicas)), "selector": ["matchLabels": .object(JSONObject(labels.mapValues { .string($0) }))],
                          "template": template(labels: labels)]
        if minReadySeconds > 0 { spec["minReadySeconds"] = .int(Int64(minReadySeconds)) }
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string(name), "namespace": "default", "generation": 1], "spec": spec]
    }

    static func pod(_ name: String, labels: [String: String] = ["app": "web"], owner: JSON? = nil, created: Double,
                    node: String? = nil, phase: String = "Pending", readySince: Double? = nil) -> JSON {
        var pod: JSON = ["apiVersion": "v1", "kind": "Pod",
                         "metadata": ["name": .string(name), "namespace": "default", "labels": .object(JSONObject(labels.mapValues { .string($0) })),
                                      "creationTimestamp": .string(Timestamp.rfc3339(created))],
                         "spec": ["containers": [["name": "web", "image": "nginx"]]],
                         "status": ["phase": .string(phase)]]
        if let owner {
            pod[path: ["metadata", "ownerReferences"]] = [OwnerReferences.controllerReference(to: owner, apiVersion: "apps/v1", kind: "ReplicaSet")]
        }
        if let node { pod[path: ["spec", "nodeName"]] = .string(node) }
        if let readySince {
            pod[path: ["status", "conditions"]] = [["type": "Ready", "status": "True", "lastTransitionTime": .string(Timestamp.rfc3339(readySince))]]
        }
        return pod
    }
}
