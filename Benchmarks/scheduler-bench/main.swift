// Scheduler throughput in-process: N nodes, M pending pods, every pod through the whole scheduling
// cycle (queue, filters, scores, assume) with bindings to a writer that does nothing, so the figure
// is the scheduler's own limit, without the API. Usage: apus-scheduler-bench NODES PODS [--owned]
// (--owned: pods belong to 50 ReplicaSets, so default topology spreading runs too).
import ApusControllerKit
import ApusMachinery
import ApusPatch
import ApusScheduler
import Foundation

struct DiscardingWriter: ClusterWriter {
    func create(_ resource: Resource, _ object: JSON) async throws(ClientError) -> JSON { object }
    func post(_ resource: Resource, namespace: String?, name: String, subresource: String, _ body: JSON) async throws(ClientError) -> JSON { [:] }
    func update(_ resource: Resource, _ object: JSON, subresource: String?) async throws(ClientError) -> JSON { object }
    func patch(_ resource: Resource, namespace: String?, name: String, type: PatchType, _ patch: JSON, subresource: String?) async throws(ClientError) -> JSON { patch }
    func delete(_ resource: Resource, namespace: String?, name: String, options: DeleteOptions) async throws(ClientError) -> JSON { [:] }
}

struct DiscardingEvents: EventSink {
    func record(_ object: JSON, type: String, reason: String, message: String) async {}
}

let arguments = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") }
let nodeCount = Int(arguments.first ?? "5000") ?? 5000
let podCount = Int(arguments.dropFirst().first ?? "10000") ?? 10000
let owned = CommandLine.arguments.contains("--owned")
var configuration = SchedulerConfiguration()
configuration.randomSeed = 1
let scheduler = Scheduler(writer: DiscardingWriter(), events: DiscardingEvents(), clock: SystemWallClock(), configuration: configuration)
let zones = ["a", "b", "c"]
for index in 0..<nodeCount {
    let node: JSON = ["metadata": ["name": .string("node-\(index)"),
                                   "labels": ["kubernetes.io/hostname": .string("node-\(index)"), "topology.kubernetes.io/zone": .string(zones[index % 3])]],
                      "status": ["allocatable": ["cpu": "32", "memory": "128Gi", "pods": 110]]]
    await scheduler.nodeChanged(old: nil, new: node)
}
var pods: [JSON] = []
for index in 0..<podCount {
    var metadata: JSON = ["name": .string("pod-\(index)"), "namespace": "default", "uid": .string("uid-\(index)"),
                          "labels": ["app": .string("app-\(index % 50)")]]
    if owned {
        metadata["ownerReferences"] = [["kind": "ReplicaSet", "name": .string("rs-\(index % 50)"), "uid": .string("rs-\(index % 50)"), "controller": true]]
    }
    pods.append(["metadata": metadata,
                 "spec": ["schedulerName": "default-scheduler",
                          "containers": [["name": "c", "image": "pause", "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]]]]],
                 "status": ["phase": "Pending"]])
}
for pod in pods { await scheduler.podChanged(old: nil, new: pod) }
let start = Date()
var scheduled = 0
while await scheduler.scheduleOne() { scheduled += 1 }
await scheduler.waitForBindings()
let seconds = Date().timeIntervalSince(start)
print("nodes \(nodeCount) pods \(scheduled) owned \(owned): \(String(format: "%.2f", seconds)) s, \(Int(Double(scheduled) / seconds)) pods/s")
