import ApusBenchSupport
import ApusClient
import ApusControllerKit
import ApusMachinery
import Foundation

/// Scheduler throughput through the API, as kube-scheduler's scheduler_perf measures it: nodes
/// that exist only as API objects, pending pods created while no scheduler runs, then a server
/// with the scheduler, and the rate at which the pods are bound (seen through a watch). In the
/// same run, the bench binds pods of its own through `pods/binding`: the API's limit for bindings.
struct SchedulingRun {
    let cluster: BenchCluster
    let nodes: Int
    let pods: Int
    let floorPods: Int
    let workers: Int
    let timeout: Double

    static let namespace = "sched-bench"
    static let floorNamespace = "bind-floor"
    static let manualScheduler = "apus-bench-manual"

    struct Result {
        var nodes: Int
        var pods: Int
        var createSeconds: Double
        var startupSeconds: Double
        var scheduledSeconds: Double
        var podsPerSecond: Double
        var fromStartPerSecond: Double
        var worstSecond: Double
        var serverCPU: Double
        var floorPods: Int
        var floorPerSecond: Double
        var rss: (rss: Double, peak: Double)
    }

    func run() async throws -> Result {
        try await cluster.startServer(["--disable-scheduler", "--controllers=-*"], log: "server-setup.log")
        for name in [Self.namespace, Self.floorNamespace] { try await cluster.createNamespace(name) }
        let nodeClient = try cluster.client(.nodes)
        progress("creating \(nodes) nodes")
        let nodeSeconds = try await concurrently(nodes, workers: workers) { index in
            _ = try await nodeClient.create(Self.node(index))
        }
        progress(String(format: "  %.1f s", nodeSeconds))
        let podClient = try cluster.client(.pods)
        progress("creating \(pods) pending pods, and \(floorPods) for the bench to bind itself")
        let createSeconds = try await concurrently(pods, workers: workers) { index in
            _ = try await podClient.create(Self.pod("pod-\(index)", schedulerName: nil), namespace: Self.namespace)
        }
        progress(String(format: "  %.1f s (%.0f pods/s)", createSeconds, Double(pods) / createSeconds))
        _ = try await concurrently(floorPods, workers: workers) { index in
            _ = try await podClient.create(Self.pod("pod-\(index)", schedulerName: Self.manualScheduler), namespace: Self.floorNamespace)
        }
        await cluster.stopServer()

        // The measured part: a server whose scheduler finds every pod pending.
        let launched = monotonicNanos()
        try await cluster.startServer(["--controllers=-*"], log: "server-scheduling.log")
        guard let server = cluster.server else { throw BenchError("no server") }
        let ready = monotonicNanos()
        let cpuBefore = server.cpu
        let tally = PodTally(client: try cluster.client(.pods), namespace: Self.namespace,
                             query: ListQuery(fieldSelector: "spec.nodeName!=")) { !($0["spec"]["nodeName"].string ?? "").isEmpty }
        try await tally.start()
        progress("waiting for \(pods) bindings")
        let done = await tally.wait(for: pods, seconds: timeout)
        await tally.stop()
        let bound = await tally.count
        guard done, let span = await tally.span else {
            throw BenchError("only \(bound) of \(pods) pods were bound after \(Int(timeout)) s\n\(server.logTail())")
        }
        let serverCPU = server.cpu - cpuBefore
        let moments = await tally.moments
        let scheduledSeconds = Double(span.last - span.first) / 1e9
        progress(String(format: "  %.2f s from the first binding to the last", scheduledSeconds))

        // The limit: the same bindings, made by the bench without any scheduling.
        let api = try cluster.client(.pods).api
        let nodes = self.nodes
        let floorSeconds = try await concurrently(floorPods, workers: workers) { index in
            let binding: JSON = ["apiVersion": "v1", "kind": "Binding", "metadata": ["name": .string("pod-\(index)")],
                                 "target": ["apiVersion": "v1", "kind": "Node", "name": .string("node-\(index % nodes)")]]
            _ = try await api.request(.POST, "/api/v1/namespaces/\(Self.floorNamespace)/pods/pod-\(index)/binding", body: binding)
        }
        let memory = server.memory()
        await cluster.stopServer()
        return Result(nodes: nodes, pods: pods, createSeconds: createSeconds, startupSeconds: Double(ready - launched) / 1e9,
                      scheduledSeconds: scheduledSeconds, podsPerSecond: Double(pods - 1) / max(scheduledSeconds, 1e-9),
                      fromStartPerSecond: Double(pods) / (Double(span.last - launched) / 1e9),
                      worstSecond: Self.slowestWholeSecond(moments), serverCPU: serverCPU,
                      floorPods: floorPods, floorPerSecond: Double(floorPods) / floorSeconds, rss: memory)
    }

    /// The fewest bindings seen in any whole second between the first and the last (scheduler_perf
    /// reports such per-second samples next to the average).
    static func slowestWholeSecond(_ moments: [UInt64]) -> Double {
        guard let first = moments.first, let last = moments.last, last - first >= 1_000_000_000 else { return .nan }
        let seconds = Int((last - first) / 1_000_000_000)
        var counts = [Int](repeating: 0, count: seconds)
        for moment in moments {
            let second = Int((moment - first) / 1_000_000_000)
            if second < seconds { counts[second] += 1 }
        }
        return Double(counts.min() ?? 0)
    }

    /// A node as scheduler_perf's default node template describes it: 4 CPUs, 32 GiB, 110 pods,
    /// in one of three zones.
    static func node(_ index: Int) -> JSON {
        let capacity: JSON = ["cpu": "4", "memory": "32Gi", "pods": "110"]
        return ["apiVersion": "v1", "kind": "Node",
                "metadata": ["name": .string("node-\(index)"),
                             "labels": ["kubernetes.io/hostname": .string("node-\(index)"), "kubernetes.io/os": "linux",
                                        "topology.kubernetes.io/zone": .string("zone-\(index % 3)")]],
                "status": ["capacity": capacity, "allocatable": capacity,
                           "conditions": [["type": "Ready", "status": "True", "reason": "KubeletReady", "message": "benchmark node"]]]]
    }

    /// A pod as scheduler_perf's default pod template describes it: one container requesting
    /// 100m CPU and 500Mi.
    static func pod(_ name: String, schedulerName: String?) -> JSON {
        var spec: JSON = ["containers": [["name": "pause", "image": "registry.apus.local/pause:3.10",
                                          "resources": ["requests": ["cpu": "100m", "memory": "500Mi"]]]]]
        if let schedulerName { spec["schedulerName"] = .string(schedulerName) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": spec]
    }
}
