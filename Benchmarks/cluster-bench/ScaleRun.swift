import ApusBenchSupport
import ApusClient
import ApusControllerKit
import ApusMachinery
import Foundation

/// The whole control plane at work: `apus server` with every controller and the scheduler,
/// `apus agent --simulate` nodes, and the real kubectl scaling a Deployment; the time until the
/// pods are Running, and the server's memory once they all are. In the same run, the bench
/// creates pods already bound to nodes (no controller, no scheduler): the limit set by the API
/// and the simulated nodes.
struct ScaleRun {
    let cluster: BenchCluster
    let nodes: Int
    let replicas: Int
    let largeReplicas: Int
    let workers: Int
    let timeout: Double
    let settleSeconds: Double

    static let floorNamespace = "scale-floor"

    struct Result {
        var nodes: Int
        var replicas: Int
        var scaleSeconds: Double
        var floorSeconds: Double
        var largeReplicas: Int
        var largeSeconds: Double
        var serverRSS: (rss: Double, peak: Double)
        var agentRSS: Double
        var idleRSS: Double
    }

    func run() async throws -> Result {
        try await cluster.startServer([], log: "server.log")
        try await Task.sleep(for: .seconds(settleSeconds))
        let idle = cluster.server?.memory().rss ?? 0
        try cluster.startSimulatedNodes(nodes, podsPerNode: 110)
        let nodeClient = try cluster.client(.nodes)
        try await cluster.waitUntil("\(nodes) Ready nodes", seconds: timeout) {
            let list = try await nodeClient.listAll()
            return list.items.filter(Self.isReady).count >= nodes
        }
        progress("\(nodes) simulated nodes are Ready")
        try cluster.kubectl("create", "deployment", "bench", "--image=registry.apus.local/pause:3.10", "--replicas=0")
        let tally = PodTally(client: try cluster.client(.pods), namespace: "default", query: ListQuery(labelSelector: "app=bench")) {
            $0["status"]["phase"].string == "Running"
        }
        try await tally.start()

        let scaleSeconds = try await scale(to: replicas, tally: tally)
        let floorSeconds = try await floor()
        let largeSeconds = try await scale(to: largeReplicas, tally: tally)
        await tally.stop()
        progress(String(format: "letting the cluster settle for %.0f s", settleSeconds))
        try await Task.sleep(for: .seconds(settleSeconds))
        let serverRSS = cluster.server?.memory() ?? (0, 0)
        let agentRSS = cluster.agent?.memory().rss ?? 0
        return Result(nodes: nodes, replicas: replicas, scaleSeconds: scaleSeconds, floorSeconds: floorSeconds,
                      largeReplicas: largeReplicas, largeSeconds: largeSeconds, serverRSS: serverRSS, agentRSS: agentRSS, idleRSS: idle)
    }

    /// `kubectl scale` and the seconds until `count` of the Deployment's pods are Running.
    private func scale(to count: Int, tally: PodTally) async throws -> Double {
        progress("kubectl scale deployment/bench --replicas=\(count)")
        let start = monotonicNanos()
        try cluster.kubectl("scale", "deployment/bench", "--replicas=\(count)")
        guard await tally.wait(for: count, seconds: timeout) else {
            let running = await tally.count
            throw BenchError("only \(running) of \(count) pods Running after \(Int(timeout)) s\n\(cluster.server?.logTail() ?? "")")
        }
        guard let last = await tally.span?.last else { throw BenchError("no pod ran") }
        let seconds = Double(last - start) / 1e9
        progress(String(format: "  %d Running after %.2f s", count, seconds))
        return seconds
    }

    /// Creates `replicas` pods already bound round-robin to the nodes, measures the seconds until
    /// they are Running, and deletes them again.
    private func floor() async throws -> Double {
        progress("floor: \(replicas) pods created bound to their nodes")
        try await cluster.createNamespace(Self.floorNamespace)
        let pods = try cluster.client(.pods)
        let tally = PodTally(client: pods, namespace: Self.floorNamespace, query: ListQuery()) { $0["status"]["phase"].string == "Running" }
        try await tally.start()
        let nodes = self.nodes
        let start = monotonicNanos()
        _ = try await concurrently(replicas, workers: workers) { index in
            let pod: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string("pod-\(index)")],
                             "spec": ["nodeName": .string("sim-\(index % nodes + 1)"),
                                      "containers": [["name": "pause", "image": "registry.apus.local/pause:3.10"]]]]
            _ = try await pods.create(pod, namespace: Self.floorNamespace)
        }
        guard await tally.wait(for: replicas, seconds: timeout), let last = await tally.span?.last else {
            throw BenchError("floor pods did not all run within \(Int(timeout)) s")
        }
        await tally.stop()
        let seconds = Double(last - start) / 1e9
        progress(String(format: "  %d Running after %.2f s; deleting them", replicas, seconds))
        _ = try await concurrently(replicas, workers: workers) { index in
            _ = try await pods.delete("pod-\(index)", namespace: Self.floorNamespace, gracePeriodSeconds: 0)
        }
        try await cluster.waitUntil("the floor pods to go", seconds: timeout) {
            try await pods.list(namespace: Self.floorNamespace, ListQuery(limit: 1)).items.isEmpty
        }
        return seconds
    }

    static func isReady(_ node: JSON) -> Bool {
        (node["status"]["conditions"].array ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
    }
}
