import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusNodeSimulator

@Suite("Simulated nodes")
struct NodeSimulatorTests {
    let cluster = FakeCluster()
    let clock = ManualClock()
    let events = RecordedEvents()

    func simulator(_ settings: SimulationSettings = .init()) -> NodeSimulator {
        NodeSimulator(context: cluster.context(clock: clock, events: events), nodeNames: ["sim-1", "sim-2"], settings: settings)
    }

    func pod(_ name: String, node: String = "sim-1", restartPolicy: String = "Always", annotations: JSON = [:]) -> JSON {
        ["apiVersion": "v1", "kind": "Pod",
         "metadata": ["name": .string(name), "namespace": "default", "annotations": annotations],
         "spec": ["nodeName": .string(node), "restartPolicy": .string(restartPolicy),
                  "containers": [["name": "app", "image": "nginx"]]],
         "status": ["phase": "Pending"]]
    }

    @Test("a node registers with capacity and Ready, and its Lease is renewed")
    func registration() async throws {
        let simulator = simulator()
        #expect(await simulator.sync("node/sim-1") == .requeue(after: 10))
        let node = try #require(await cluster.object(.nodes, "sim-1"))
        #expect(node["status"]["capacity"]["cpu"] == "4")
        #expect(node["status"]["allocatable"]["pods"] == "110")
        #expect(node["spec"]["podCIDR"] == "10.42.1.0/24")
        #expect(node["status"]["conditions"].array?.last?["status"] == "True")
        let lease = try #require(await cluster.object(.leases, "kube-node-lease/sim-1"))
        #expect(lease["spec"]["renewTime"] == .string(Timestamp.rfc3339Micro(clock.now())))
        #expect(lease["metadata"]["ownerReferences"][0]["uid"] == node["metadata"]["uid"])

        clock.advance(by: 10)
        _ = await simulator.sync("node/sim-1")
        let renewed = try #require(await cluster.object(.leases, "kube-node-lease/sim-1"))
        #expect(renewed["spec"]["renewTime"] == .string(Timestamp.rfc3339Micro(clock.now())))
    }

    @Test("a paused node stops renewing its Lease")
    func pausedHeartbeat() async throws {
        let simulator = simulator()
        _ = await simulator.sync("node/sim-1")
        let before = try #require(await cluster.object(.leases, "kube-node-lease/sim-1"))
        _ = try await cluster.patch(.nodes, namespace: nil, name: "sim-1", type: .merge,
                                    ["metadata": ["annotations": [.init(stringLiteral: SimulationAnnotations.heartbeat): "paused"]]])
        await cluster.forgetCalls()
        clock.advance(by: 60)
        _ = await simulator.sync("node/sim-1")
        #expect(await cluster.calls.isEmpty)
        #expect(await cluster.object(.leases, "kube-node-lease/sim-1") == before)
    }

    @Test("a bound pod becomes Running and Ready with an IP from its node's range")
    func podStarts() async throws {
        await cluster.seed(.pods, [pod("web")])
        #expect(await simulator().sync("pod/default/web") == .done)
        let running = try #require(await cluster.object(.pods, "default/web"))
        #expect(running["status"]["phase"] == "Running")
        #expect(running["status"]["podIP"] == "10.42.1.2")
        #expect(running["status"]["hostIP"] == "127.1.0.2")
        #expect(running["status"]["qosClass"] == "BestEffort")
        #expect(PodState.isReady(running))
        #expect(running["status"]["containerStatuses"][0]["state"]["running"]["startedAt"] == .string(Timestamp.rfc3339(clock.now())))
    }

    @Test("a readiness delay keeps the pod unready until it passes")
    func readinessDelay() async throws {
        var slow = pod("slow")
        slow[path: ["spec", "containers"]] = [["name": "app", "image": "nginx", "readinessProbe": ["initialDelaySeconds": 5]]]
        await cluster.seed(.pods, [slow])
        let simulator = simulator()
        #expect(await simulator.sync("pod/default/slow") == .requeue(after: 5))
        #expect(!PodState.isReady(try #require(await cluster.object(.pods, "default/slow"))))
        clock.advance(by: 2)
        #expect(await simulator.sync("pod/default/slow") == .requeue(after: 3))
        clock.advance(by: 3)
        _ = await simulator.sync("pod/default/slow")
        #expect(PodState.isReady(try #require(await cluster.object(.pods, "default/slow"))))
    }

    @Test("a Never pod completes after its run time with its exit code")
    func completion() async throws {
        await cluster.seed(.pods, [pod("ok", restartPolicy: "Never"),
                                   pod("bad", restartPolicy: "Never", annotations: [.init(stringLiteral: SimulationAnnotations.exitCode): "3"])])
        let simulator = simulator()
        #expect(await simulator.sync("pod/default/ok") == .requeue(after: 5))
        _ = await simulator.sync("pod/default/bad")
        clock.advance(by: 5)
        _ = await simulator.sync("pod/default/ok")
        _ = await simulator.sync("pod/default/bad")
        let ok = try #require(await cluster.object(.pods, "default/ok"))
        #expect(ok["status"]["phase"] == "Succeeded")
        #expect(ok["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] == "Completed")
        let bad = try #require(await cluster.object(.pods, "default/bad"))
        #expect(bad["status"]["phase"] == "Failed")
        #expect(bad["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 3)
    }

    @Test("an OnFailure pod that fails is restarted, not finished")
    func onFailureRestarts() async throws {
        await cluster.seed(.pods, [pod("retry", restartPolicy: "OnFailure", annotations: [.init(stringLiteral: SimulationAnnotations.exitCode): "1"])])
        let simulator = simulator()
        _ = await simulator.sync("pod/default/retry")
        clock.advance(by: 5)
        _ = await simulator.sync("pod/default/retry")
        let restarted = try #require(await cluster.object(.pods, "default/retry"))
        #expect(restarted["status"]["phase"] == "Running")
        #expect(restarted["status"]["containerStatuses"][0]["restartCount"] == 1)
        #expect(restarted["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"] == 1)
    }

    @Test("a deleted pod is removed after the termination time, within its grace period")
    func deletion() async throws {
        var terminating = pod("gone")
        terminating[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.rfc3339(clock.now() + 30))
        terminating[path: ["metadata", "deletionGracePeriodSeconds"]] = 30
        await cluster.seed(.pods, [terminating])
        let simulator = simulator()
        #expect(await simulator.sync("pod/default/gone") == .requeue(after: 1))
        clock.advance(by: 1)
        #expect(await simulator.sync("pod/default/gone") == .done)
        #expect(await cluster.object(.pods, "default/gone") == nil)
        let delete = try #require(await cluster.calls.last)
        #expect(delete.verb == "delete")
        #expect(delete.body["gracePeriodSeconds"] == 0)
    }

    @Test("pods of other nodes are left alone")
    func otherNodes() async throws {
        await cluster.seed(.pods, [pod("elsewhere", node: "real-node")])
        #expect(await simulator().sync("pod/default/elsewhere") == .done)
        #expect(await cluster.calls.isEmpty)
    }

    @Test("QoS classes")
    func qos() {
        let guaranteed: JSON = ["spec": ["containers": [["resources": ["limits": ["cpu": "1", "memory": "1Gi"]]]]]]
        let burstable: JSON = ["spec": ["containers": [["resources": ["requests": ["cpu": "1"]]]]]]
        #expect(PodConditions.qosClass(guaranteed) == "Guaranteed")
        #expect(PodConditions.qosClass(burstable) == "Burstable")
        #expect(PodConditions.qosClass(["spec": ["containers": [[:]]]]) == "BestEffort")
    }
}
