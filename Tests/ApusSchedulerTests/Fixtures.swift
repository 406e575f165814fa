import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusScheduler

/// Nodes and pods as the API serves them, reduced to what scheduling reads.
enum Fixtures {
    static func node(_ name: String, cpu: String = "4", memory: String = "8Gi", pods: Int64 = 110,
                     labels: [String: String] = [:], taints: [JSON] = [], unschedulable: Bool = false,
                     extraAllocatable: JSONObject = [:], images: [JSON] = []) -> JSON {
        var allLabels = labels
        allLabels[SchedulingNode.hostnameLabel] = allLabels[SchedulingNode.hostnameLabel] ?? name
        var allocatable: JSONObject = ["cpu": .string(cpu), "memory": .string(memory), "pods": .int(pods)]
        for (key, value) in extraAllocatable { allocatable[key] = value }
        var node: JSON = [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "uid": .string("node-uid-\(name)"), "labels": .object(JSONObject(allLabels.mapValues { .string($0) }))],
            "spec": [:],
            "status": ["allocatable": .object(allocatable), "capacity": .object(allocatable)],
        ]
        if !taints.isEmpty { node[path: ["spec", "taints"]] = .array(taints) }
        if unschedulable { node[path: ["spec", "unschedulable"]] = true }
        if !images.isEmpty { node[path: ["status", "images"]] = .array(images) }
        return node
    }

    static func container(cpu: String? = nil, memory: String? = nil, image: String = "registry.k8s.io/pause:3.10",
                          extra: JSONObject = [:]) -> JSON {
        var requests: JSONObject = [:]
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory { requests["memory"] = .string(memory) }
        for (key, value) in extra { requests[key] = value }
        var container: JSON = ["name": "c", "image": .string(image)]
        if !requests.isEmpty { container["resources"] = ["requests": .object(requests)] }
        return container
    }

    static func pod(_ name: String, namespace: String = "default", cpu: String? = nil, memory: String? = nil,
                    priority: Int64? = nil, labels: [String: String] = [:], nodeName: String? = nil,
                    controller: String? = nil, spec: JSONObject = [:], containers: [JSON]? = nil) -> JSON {
        var podSpec: JSONObject = [
            "schedulerName": "default-scheduler",
            "containers": .array(containers ?? [container(cpu: cpu, memory: memory)]),
        ]
        if let priority { podSpec["priority"] = .int(priority) }
        if let nodeName { podSpec["nodeName"] = .string(nodeName) }
        for (key, value) in spec { podSpec[key] = value }
        var metadata: JSON = ["name": .string(name), "namespace": .string(namespace), "uid": .string("uid-\(namespace)-\(name)"),
                              "creationTimestamp": "2026-01-01T00:00:00Z"]
        if !labels.isEmpty { metadata["labels"] = .object(JSONObject(labels.mapValues { .string($0) })) }
        if let controller {
            metadata["ownerReferences"] = [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(controller),
                                            "uid": .string("rs-\(controller)"), "controller": true]]
        }
        var status: JSON = ["phase": "Pending"]
        if nodeName != nil { status = ["phase": "Running", "startTime": "2026-01-01T00:00:00Z"] }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": .object(podSpec), "status": status]
    }

    static func taint(_ key: String, _ value: String = "", effect: String = "NoSchedule") -> JSON {
        ["key": .string(key), "value": .string(value), "effect": .string(effect)]
    }

    static func toleration(_ key: String, operator op: String = "Equal", value: String = "", effect: String = "") -> JSON {
        var toleration: JSON = ["key": .string(key), "operator": .string(op)]
        if !value.isEmpty { toleration["value"] = .string(value) }
        if !effect.isEmpty { toleration["effect"] = .string(effect) }
        return toleration
    }

    /// A cache holding these nodes and assigned pods.
    static func cache(nodes: [JSON], pods: [JSON] = []) -> SchedulerCache {
        let cache = SchedulerCache()
        for node in nodes { cache.setNode(SchedulingNode(node)) }
        for pod in pods { cache.setAssignedPod(SchedulingPod(pod)) }
        return cache
    }
}

/// Runs one plugin's PreFilter and Filter against a node, as the framework would.
func filterStatus(_ plugin: some FilterPlugin, pod: JSON, node: String, cache: SchedulerCache) -> Status {
    let schedulingPod = SchedulingPod(pod)
    var state = CycleState()
    state.namespaceLabels = cache.namespaceLabels
    if let preFilter = plugin as? any PreFilterPlugin {
        let outcome = preFilter.preFilter(&state, pod: schedulingPod, cache: cache)
        if outcome.status.isSkip { return .success }
        if !outcome.status.isSuccess { return outcome.status }
    }
    guard let info = cache.nodeInfo(node) else { return Status(.error, "no node \(node)") }
    return plugin.filter(state, pod: schedulingPod, node: info)
}

/// Runs one score plugin (PreScore, Score, NormalizeScore) over the given nodes.
func scores(_ plugin: some ScorePlugin, pod: JSON, nodes: [String], cache: SchedulerCache) -> [String: Int64] {
    let schedulingPod = SchedulingPod(pod)
    var state = CycleState()
    state.totalNodeCount = cache.nodeCount
    state.imageNodeCounts = cache.imageNodeCounts
    let infos = nodes.compactMap { cache.nodeInfo($0) }
    if let preScore = plugin as? any PreScorePlugin, preScore.preScore(&state, pod: schedulingPod, nodes: infos, cache: cache).isSkip {
        return [:]
    }
    var values = infos.map { plugin.score(state, pod: schedulingPod, node: $0) }
    var batch = [Int64](repeating: -1, count: infos.count)
    plugin.score(state, pod: schedulingPod, nodes: infos, into: &batch)
    #expect(batch == values, "per-node and batch scores differ")
    plugin.normalize(state, pod: schedulingPod, nodes: infos, scores: &values)
    return Dictionary(uniqueKeysWithValues: zip(nodes, values))
}

/// A scheduler over a fake cluster with a manual clock and recorded events.
struct SchedulerHarness {
    let cluster = FakeCluster()
    let clock = ManualClock()
    let events = RecordedEvents()
    let scheduler: Scheduler

    init(seed: UInt64 = 42, configure: (inout SchedulerConfiguration) -> Void = { _ in }) {
        var configuration = SchedulerConfiguration()
        configuration.randomSeed = seed
        configure(&configuration)
        scheduler = Scheduler(writer: cluster, events: events, clock: clock, configuration: configuration)
    }

    func addNodes(_ nodes: [JSON]) async {
        await cluster.seed(.nodes, nodes)
        for node in nodes { await scheduler.nodeChanged(old: nil, new: node) }
    }

    func addPods(_ pods: [JSON]) async {
        await cluster.seed(.pods, pods)
        for pod in pods { await scheduler.podChanged(old: nil, new: pod) }
    }

    /// Schedules until the active queue is empty and every binding finished.
    @discardableResult
    func scheduleAll() async -> Int {
        var attempts = 0
        while await scheduler.scheduleOne() { attempts += 1 }
        await scheduler.waitForBindings()
        return attempts
    }

    /// Feeds the fake cluster's current pods back, as the informer would after bindings.
    func syncPodsFromCluster() async {
        for pod in await cluster.all(.pods) { await scheduler.podChanged(old: nil, new: pod) }
    }

    /// Recorded events as "<type> <reason> <object>: <message>".
    func eventLines() async -> [String] {
        await events.events.map { "\($0.type) \($0.reason) \($0.object): \($0.message)" }
    }

    /// Where each pod landed (name → node) according to the fake cluster.
    func placements() async -> [String: String] {
        var result: [String: String] = [:]
        for pod in await cluster.all(.pods) {
            if let node = pod["spec"]["nodeName"].string { result[pod["metadata"]["name"].string ?? ""] = node }
        }
        return result
    }
}
