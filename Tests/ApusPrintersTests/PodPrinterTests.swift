import ApusMachinery
import Testing
@testable import ApusPrinters

@Suite struct PodPrinterTests {
    static func pod(
        phase: String, containers: [String] = ["web"], statuses: [JSON] = [], initContainers: [JSON] = [],
        initStatuses: [JSON] = [], conditions: [JSON] = [], metadata: JSONObject = [:], status: JSONObject = [:],
        spec: JSONObject = [:]
    ) -> JSON {
        var podSpec: JSON = ["containers": .array(containers.map { ["name": .string($0), "image": "nginx"] })]
        if !initContainers.isEmpty { podSpec["initContainers"] = .array(initContainers) }
        for (key, value) in spec { podSpec[key] = value }
        var podStatus: JSON = ["phase": .string(phase), "conditions": .array(conditions)]
        if !statuses.isEmpty { podStatus["containerStatuses"] = .array(statuses) }
        if !initStatuses.isEmpty { podStatus["initContainerStatuses"] = .array(initStatuses) }
        for (key, value) in status { podStatus[key] = value }
        return ["kind": "Pod", "apiVersion": "v1", "metadata": Fixture.metadata("web-1", extra: metadata), "spec": podSpec, "status": podStatus]
    }

    static func running(_ name: String = "web", ready: Bool = true, restarts: Int64 = 0, lastState: JSON = .emptyObject) -> JSON {
        ["name": .string(name), "ready": .bool(ready), "restartCount": .int(restarts),
         "state": ["running": ["startedAt": Fixture.ago(60)]], "lastState": lastState]
    }

    static func waiting(_ name: String, reason: String, restarts: Int64 = 0, lastState: JSON = .emptyObject) -> JSON {
        ["name": .string(name), "ready": false, "restartCount": .int(restarts),
         "state": ["waiting": ["reason": .string(reason)]], "lastState": lastState]
    }

    static func terminated(_ name: String, reason: String?, exitCode: Int64, signal: Int64 = 0) -> JSON {
        var state: JSON = ["exitCode": .int(exitCode), "finishedAt": Fixture.ago(30)]
        if let reason { state["reason"] = .string(reason) }
        if signal != 0 { state["signal"] = .int(signal) }
        return ["name": .string(name), "ready": false, "restartCount": 0, "state": ["terminated": state]]
    }

    static let readyConditions: [JSON] = [
        ["type": "Initialized", "status": "True"], ["type": "Ready", "status": "True"],
        ["type": "ContainersReady", "status": "True"], ["type": "PodScheduled", "status": "True"],
    ]

    @Test func columnsMatchKubernetes() {
        let printer = TablePrinters.printer(group: "", resource: "pods")
        #expect(printer.columns.map(\.name) == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
        #expect(printer.columns.map(\.type) == Array(repeating: "string", count: 9))
        #expect(printer.columns.map(\.priority) == [0, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(printer.columns[0].format == "name")
    }

    @Test func runningPod() {
        let pod = Self.pod(
            phase: "Running", statuses: [Self.running()], conditions: Self.readyConditions,
            status: ["podIP": "10.244.0.5", "podIPs": [["ip": "10.244.0.5"]]], spec: ["nodeName": "node-1"])
        #expect(Fixture.cells("", "pods", pod) == ["web-1", "1/1", "Running", "0", "5m", "10.244.0.5", "node-1", "<none>", "<none>"])
    }

    @Test func pendingPodWithoutNode() {
        let pod = Self.pod(phase: "Pending")
        #expect(Fixture.cells("", "pods", pod) == ["web-1", "0/1", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>"])
    }

    @Test func containerCreating() {
        let pod = Self.pod(phase: "Pending", containers: ["web", "log"],
                           statuses: [Self.waiting("web", reason: "ContainerCreating"), Self.waiting("log", reason: "ContainerCreating")])
        #expect(Fixture.row("", "pods", pod)["Status"] == "ContainerCreating")
        #expect(Fixture.row("", "pods", pod)["Ready"] == "0/2")
    }

    @Test func crashLoopShowsRestartsWithLastRestartAge() {
        let last: JSON = ["terminated": ["exitCode": 1, "reason": "Error", "finishedAt": Fixture.ago(300)]]
        let pod = Self.pod(phase: "Running", statuses: [Self.waiting("web", reason: "CrashLoopBackOff", restarts: 2, lastState: last)])
        let row = Fixture.row("", "pods", pod)
        #expect(row["Status"] == "CrashLoopBackOff")
        #expect(row["Ready"] == "0/1")
        #expect(row["Restarts"] == "2 (5m ago)")
    }

    @Test func restartsWithoutTerminationTimeAreJustACount() {
        let pod = Self.pod(phase: "Running", statuses: [Self.running(restarts: 3)])
        #expect(Fixture.row("", "pods", pod)["Restarts"] == "3")
    }

    @Test func completedAndFailedPods() {
        let completed = Self.pod(phase: "Succeeded", statuses: [Self.terminated("web", reason: "Completed", exitCode: 0)])
        #expect(Fixture.row("", "pods", completed)["Status"] == "Completed")
        #expect(Fixture.row("", "pods", completed)["Ready"] == "0/1")
        let printer = TablePrinters.printer(group: "", resource: "pods")
        #expect(printer.rowConditions?(completed) == [["type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."]])

        let failed = Self.pod(phase: "Failed", statuses: [Self.terminated("web", reason: "Error", exitCode: 1)])
        #expect(Fixture.row("", "pods", failed)["Status"] == "Error")
        let oomKilled = Self.pod(phase: "Failed", statuses: [Self.terminated("web", reason: "OOMKilled", exitCode: 137)])
        #expect(Fixture.row("", "pods", oomKilled)["Status"] == "OOMKilled")
        let signaled = Self.pod(phase: "Failed", statuses: [Self.terminated("web", reason: nil, exitCode: 0, signal: 9)])
        #expect(Fixture.row("", "pods", signaled)["Status"] == "Signal:9")
        let exitCode = Self.pod(phase: "Failed", statuses: [Self.terminated("web", reason: nil, exitCode: 3)])
        #expect(Fixture.row("", "pods", exitCode)["Status"] == "ExitCode:3")
    }

    @Test func completedContainerBesideRunningOneIsRunningOrNotReady() {
        let statuses = [Self.running("a"), Self.terminated("b", reason: "Completed", exitCode: 0)]
        let ready = Self.pod(phase: "Running", containers: ["a", "b"], statuses: statuses, conditions: Self.readyConditions)
        #expect(Fixture.row("", "pods", ready)["Status"] == "Running")
        #expect(Fixture.row("", "pods", ready)["Ready"] == "1/2")
        let notReady = Self.pod(phase: "Running", containers: ["a", "b"], statuses: statuses)
        #expect(Fixture.row("", "pods", notReady)["Status"] == "NotReady")
    }

    @Test func terminatingPod() {
        let pod = Self.pod(phase: "Running", statuses: [Self.running()], conditions: Self.readyConditions,
                           metadata: ["deletionTimestamp": Fixture.ago(2)])
        #expect(Fixture.row("", "pods", pod)["Status"] == "Terminating")
        // A finished pod keeps its final status while being deleted.
        let done = Self.pod(phase: "Succeeded", statuses: [Self.terminated("web", reason: "Completed", exitCode: 0)],
                            metadata: ["deletionTimestamp": Fixture.ago(2)])
        #expect(Fixture.row("", "pods", done)["Status"] == "Completed")
    }

    @Test func nodeLostPods() {
        let lost = Self.pod(phase: "Running", statuses: [Self.running()], status: ["reason": "NodeLost"])
        #expect(Fixture.row("", "pods", lost)["Status"] == "NodeLost")
        let deleting = Self.pod(phase: "Running", statuses: [Self.running()], metadata: ["deletionTimestamp": Fixture.ago(2)],
                                status: ["reason": "NodeLost"])
        #expect(Fixture.row("", "pods", deleting)["Status"] == "Unknown")
    }

    @Test func evictedPodShowsStatusReason() {
        let pod = Self.pod(phase: "Failed", status: ["reason": "Evicted"])
        #expect(Fixture.row("", "pods", pod)["Status"] == "Evicted")
    }

    @Test func schedulingGated() {
        let pod = Self.pod(phase: "Pending", conditions: [["type": "PodScheduled", "status": "False", "reason": "SchedulingGated"]])
        #expect(Fixture.row("", "pods", pod)["Status"] == "SchedulingGated")
    }

    @Test func initContainerStates() {
        let initSpec: [JSON] = [["name": "setup", "image": "busybox"], ["name": "migrate", "image": "busybox"]]
        let waitingInit = Self.pod(
            phase: "Pending", statuses: [Self.waiting("web", reason: "PodInitializing")], initContainers: initSpec,
            initStatuses: [["name": "setup", "restartCount": 0, "state": ["running": ["startedAt": Fixture.ago(10)]]],
                           Self.waiting("migrate", reason: "PodInitializing")])
        #expect(Fixture.row("", "pods", waitingInit)["Status"] == "Init:0/2")

        let secondStep = Self.pod(
            phase: "Pending", initContainers: initSpec,
            initStatuses: [Self.terminated("setup", reason: "Completed", exitCode: 0),
                           ["name": "migrate", "restartCount": 0, "state": ["running": ["startedAt": Fixture.ago(10)]]]])
        #expect(Fixture.row("", "pods", secondStep)["Status"] == "Init:1/2")

        let lastState: JSON = ["terminated": ["exitCode": 1, "finishedAt": Fixture.ago(125)]]
        let crashing = Self.pod(
            phase: "Pending", statuses: [Self.waiting("web", reason: "PodInitializing")], initContainers: initSpec,
            initStatuses: [Self.waiting("setup", reason: "CrashLoopBackOff", restarts: 4, lastState: lastState)])
        let row = Fixture.row("", "pods", crashing)
        #expect(row["Status"] == "Init:CrashLoopBackOff")
        #expect(row["Restarts"] == "4 (2m5s ago)")

        let failed = Self.pod(phase: "Failed", initContainers: initSpec,
                              initStatuses: [Self.terminated("setup", reason: "Error", exitCode: 1)])
        #expect(Fixture.row("", "pods", failed)["Status"] == "Init:Error")
        let exitCode = Self.pod(phase: "Failed", initContainers: initSpec,
                                initStatuses: [Self.terminated("setup", reason: nil, exitCode: 2)])
        #expect(Fixture.row("", "pods", exitCode)["Status"] == "Init:ExitCode:2")
        let signal = Self.pod(phase: "Failed", initContainers: initSpec,
                              initStatuses: [Self.terminated("setup", reason: nil, exitCode: 0, signal: 15)])
        // Exit code 0 means the init container succeeded, whatever the signal.
        #expect(Fixture.row("", "pods", signal)["Status"] == "Failed")
    }

    @Test func sidecarContainersCountTowardsReady() {
        let initSpec: [JSON] = [["name": "proxy", "image": "envoy", "restartPolicy": "Always"]]
        var proxy = Self.running("proxy")
        proxy["started"] = true
        let pod = Self.pod(phase: "Running", statuses: [Self.running()], initContainers: initSpec, initStatuses: [proxy],
                           conditions: Self.readyConditions)
        let row = Fixture.row("", "pods", pod)
        #expect(row["Ready"] == "2/2")
        #expect(row["Status"] == "Running")
    }

    @Test func readinessGatesAndNominatedNode() {
        let pod = Self.pod(
            phase: "Running", statuses: [Self.running()],
            conditions: Self.readyConditions + [["type": "example.com/gate-a", "status": "True"], ["type": "example.com/gate-b", "status": "False"]],
            status: ["nominatedNodeName": "node-2"],
            spec: ["readinessGates": [["conditionType": "example.com/gate-a"], ["conditionType": "example.com/gate-b"], ["conditionType": "example.com/c"]]])
        let row = Fixture.row("", "pods", pod)
        #expect(row["Readiness Gates"] == "1/3")
        #expect(row["Nominated Node"] == "node-2")
    }
}
