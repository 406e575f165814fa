import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
@testable import ApusControllerLoops

/// A fake cluster, clock and event log for the batch controllers, plus an "informer" that feeds the
/// cluster's changes to a loop's watches, as the running controller manager would.
struct BatchHarness {
    let cluster = FakeCluster()
    /// 2026-01-01T00:00:00Z.
    let clock = ManualClock(1_767_225_600)
    let events = RecordedEvents()

    var context: ControllerContext { cluster.context(clock: clock, events: events) }
    var now: Double { clock.now() }

    /// The current objects of the resources a loop watches, to diff against after a change.
    func snapshot(_ loop: any ControlLoop) async -> [Resource: [String: JSON]] {
        var result: [Resource: [String: JSON]] = [:]
        for watch in loop.watches {
            var objects: [String: JSON] = [:]
            for object in await cluster.all(watch.resource) { objects[ObjectKey.of(object)] = object }
            result[watch.resource] = objects
        }
        return result
    }

    /// Delivers every change since `before` to the loop's watches (added, updated, deleted) and
    /// returns the keys they produced.
    @discardableResult
    func deliver(_ loop: any ControlLoop, since before: [Resource: [String: JSON]]) async -> [String] {
        var keys: [String] = []
        for watch in loop.watches {
            let old = before[watch.resource] ?? [:]
            var current: [String: JSON] = [:]
            for object in await cluster.all(watch.resource) { current[ObjectKey.of(object)] = object }
            for (key, object) in current.sorted(by: { $0.key < $1.key }) {
                if let previous = old[key] {
                    if previous != object { keys += await watch.keys(previous, object) }
                } else {
                    keys += await watch.keys(nil, object)
                }
            }
            for (key, object) in old.sorted(by: { $0.key < $1.key }) where current[key] == nil {
                keys += await watch.keys(object, nil)
            }
        }
        return keys
    }

    /// Syncs `key` and delivers the resulting changes to the loop's watches.
    func sync(_ loop: any ControlLoop, _ key: String) async -> SyncResult {
        let before = await snapshot(loop)
        let result = await loop.sync(key)
        await deliver(loop, since: before)
        return result
    }

    /// Applies a change made by "someone else" (a kubelet, a user) and delivers it to the loop.
    func change(_ loop: any ControlLoop, _ body: () async -> Void) async {
        let before = await snapshot(loop)
        await body()
        await deliver(loop, since: before)
    }

    /// Replaces an object with an edited copy (a new resourceVersion is assigned).
    func edit(_ resource: Resource, _ key: String, _ body: (inout JSON) -> Void) async {
        guard var object = await cluster.object(resource, key) else { return }
        body(&object)
        object[path: ["metadata", "resourceVersion"]] = .null
        await cluster.seed(resource, [object])
    }

    func pods() async -> [JSON] { await cluster.all(.pods) }
    func job(_ key: String = "default/pi") async -> JSON { await cluster.object(.jobs, key) ?? .null }

    func eventReasons() async -> [String] { await events.events.map(\.reason) }

    /// Marks a pod finished as a kubelet would: phase, a terminated container, Ready False.
    func finishPod(_ loop: any ControlLoop, _ name: String, phase: String, namespace: String = "default") async {
        let time = Timestamp.rfc3339(now)
        await change(loop) {
            await edit(.pods, "\(namespace)/\(name)") { pod in
                pod["status"] = ["phase": .string(phase),
                                 "conditions": [["type": "Ready", "status": "False", "lastTransitionTime": .string(time)]],
                                 "containerStatuses": [["name": "main", "restartCount": 0,
                                                        "state": ["terminated": ["exitCode": .int(phase == "Succeeded" ? 0 : 1),
                                                                                 "finishedAt": .string(time)]]]]]
            }
        }
    }

    /// Marks a pod running and ready.
    func runPod(_ loop: any ControlLoop, _ name: String, restarts: Int64 = 0, namespace: String = "default") async {
        let time = Timestamp.rfc3339(now)
        await change(loop) {
            await edit(.pods, "\(namespace)/\(name)") { pod in
                pod[path: ["spec", "nodeName"]] = "node-1"
                pod["status"] = ["phase": "Running",
                                 "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": .string(time)]],
                                 "containerStatuses": [["name": "main", "restartCount": .int(restarts), "ready": true,
                                                        "state": ["running": ["startedAt": .string(time)]]]]]
            }
        }
    }

    func podNames() async -> [String] { await pods().compactMap { $0["metadata"]["name"].string } }
}

/// A Job as the API server stores it: defaulted spec, generated selector and template labels.
func makeBatchJob(name: String = "pi", uid: String = "job-uid-1", completions: Int64? = 1, parallelism: Int64 = 1,
             backoffLimit: Int64 = 6, restartPolicy: String = "Never", created: Double = 1_767_225_600,
             configure: (inout JSON) -> Void = { _ in }) -> JSON {
    let labels: JSON = ["batch.kubernetes.io/controller-uid": .string(uid), "batch.kubernetes.io/job-name": .string(name),
                        "controller-uid": .string(uid), "job-name": .string(name)]
    var spec: JSON = ["parallelism": .int(parallelism), "backoffLimit": .int(backoffLimit), "completionMode": "NonIndexed",
                      "suspend": false, "podReplacementPolicy": "TerminatingOrFailed",
                      "selector": ["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]],
                      "template": ["metadata": ["labels": labels],
                                   "spec": ["restartPolicy": .string(restartPolicy),
                                            "containers": [["name": "main", "image": "perl:5.34"]]]]]
    if let completions { spec["completions"] = .int(completions) }
    var job: JSON = ["apiVersion": "batch/v1", "kind": "Job",
                     "metadata": ["name": .string(name), "namespace": "default", "uid": .string(uid),
                                  "creationTimestamp": .string(Timestamp.rfc3339(created)),
                                  "labels": labels],
                     "spec": spec]
    configure(&job)
    return job
}

extension JSON {
    /// The types of a status' conditions, in order.
    var batchConditionTypes: [String] { (self["status"]["conditions"].array ?? []).compactMap { $0["type"].string } }

    func batchCondition(_ type: String) -> JSON? {
        (self["status"]["conditions"].array ?? []).first { $0["type"].string == type }
    }
}
