import ApusCRI
import ApusControllerKit
import ApusControllerTesting
@testable import ApusKubelet
import ApusMachinery
import Foundation
import Logging

/// A kubelet for node `node-a` on a fake runtime and a fake cluster, with a clock the test moves.
struct KubeletHarness {
    let cluster = FakeCluster()
    let clock = ManualClock()
    let events = RecordedEvents()
    let runtime: FakeContainerRuntime
    let kubelet: Kubelet
    let directory: String

    init(images: Set<String> = ["docker.io/library/busybox:latest"]) {
        runtime = FakeContainerRuntime(clock: clock, images: images)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("apus-kubelet-\(UUID().uuidString)").path
        let facts = HostFacts(hostname: "node-a", internalIP: "192.0.2.10", cpus: 2, memoryBytes: 4 << 30, ephemeralStorageBytes: 20 << 30,
                              kernelVersion: "6.1", osImage: "Test", machineID: "m", bootID: "b", architecture: "amd64")
        kubelet = Kubelet(context: cluster.context(clock: clock, events: events), runtime: runtime,
                          node: NodeSettings(name: "node-a", controlPlane: false), facts: facts, dataDirectory: directory,
                          cniConfDirectory: directory + "/cni", hostDNS: Runtime_V1_DNSConfig(), logger: Logger(label: "test"))
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }

    /// A pod bound to this node, with one busybox container unless `containers` says otherwise.
    static func pod(_ name: String, containers: [JSON]? = nil, initContainers: [JSON] = [], restartPolicy: String = "Always") -> JSON {
        var spec: JSON = ["nodeName": "node-a", "restartPolicy": .string(restartPolicy), "terminationGracePeriodSeconds": 30,
                          "containers": .array(containers ?? [["name": "main", "image": "busybox", "imagePullPolicy": "IfNotPresent"]])]
        if !initContainers.isEmpty { spec["initContainers"] = .array(initContainers) }
        return ["apiVersion": "v1", "kind": "Pod",
                "metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-" + name)],
                "spec": spec, "status": ["phase": "Pending"]]
    }

    func create(_ pod: JSON) async { await cluster.seed(.pods, [pod]) }

    @discardableResult
    func sync(_ name: String) async -> SyncResult { await kubelet.sync("pod/default/" + name) }

    func pod(_ name: String) async -> JSON? { await cluster.object(.pods, "default/" + name) }

    func containerStatus(_ pod: String, _ container: String = "main") async -> JSON {
        let statuses = (await self.pod(pod))?["status"]["containerStatuses"].array ?? []
        return statuses.first { $0["name"].string == container } ?? .null
    }

    func condition(_ pod: String, _ type: String) async -> String? {
        let conditions = (await self.pod(pod))?["status"]["conditions"].array ?? []
        return conditions.first { $0["type"].string == type }?["status"].string
    }

    func reasons() async -> [String] { await events.events.map(\.reason) }
}
