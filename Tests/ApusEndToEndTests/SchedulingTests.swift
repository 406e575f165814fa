import Foundation
import Testing

/// The scheduler inside `apus server`, seen through kubectl.
@Suite struct SchedulingTests {
    @Test func aPodTooBigForEveryNodeStaysPendingWithKubernetesMessage() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.startSimulatedNodes(3)
        try await apus.ok("apply", "-f", "-", stdin: """
        apiVersion: v1
        kind: Pod
        metadata:
          name: huge
        spec:
          containers:
          - name: app
            image: nginx
            resources:
              requests:
                cpu: "64"
        """)
        try await apus.eventually("a FailedScheduling event", timeout: 30) {
            try await apus.kubectl(["describe", "pod", "huge"]).stdout.contains("FailedScheduling")
        }
        let described = try await apus.ok("describe", "pod", "huge")
        #expect(described.contains("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."))
        #expect(try await apus.ok("get", "pod", "huge", "-o", "jsonpath={.status.phase}") == "Pending")
        let condition = try await apus.ok("get", "pod", "huge", "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}")
        #expect(condition == "Unschedulable")

        // A pod that fits is scheduled, with a Scheduled event.
        try await apus.ok("run", "small", "--image=nginx")
        try await apus.ok("wait", "--for=condition=Ready", "pod/small", "--timeout=60s")
        let events = try await apus.ok("get", "events", "--field-selector=involvedObject.name=small,reason=Scheduled", "-o", "jsonpath={.items[0].message}")
        #expect(events.hasPrefix("Successfully assigned default/small to sim-"))
    }

    @Test func withTheSchedulerDisabledPodsStayUnboundUntilSomethingBindsThem() async throws {
        let apus = try await ApusProcess(serverArguments: ["--disable-scheduler"])
        defer { apus.stop() }
        try await apus.startSimulatedNodes(1)
        try await apus.ok("run", "lonely", "--image=nginx")
        // The controller manager leads; a scheduler would have bound the pod within milliseconds.
        try await apus.eventually("the controller manager's lease", timeout: 30) {
            try await apus.kubectl(["-n", "kube-system", "get", "lease", "kube-controller-manager"]).status == 0
        }
        try await Task.sleep(for: .seconds(2))
        #expect(try await apus.ok("get", "pod", "lonely", "-o", "jsonpath={.spec.nodeName}").isEmpty)
        #expect(try await apus.kubectl(["-n", "kube-system", "get", "lease", "kube-scheduler"]).status != 0)
        // Binding it by hand (as another scheduler would) lets the node run it.
        try await apus.ok("create", "--raw", "/api/v1/namespaces/default/pods/lonely/binding", "-f", "-", stdin: """
        {"apiVersion":"v1","kind":"Binding","metadata":{"name":"lonely"},"target":{"kind":"Node","name":"sim-1"}}
        """)
        try await apus.ok("wait", "--for=condition=Ready", "pod/lonely", "--timeout=60s")
    }

    @Test func aHigherPriorityPodPreemptsALowerOne() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.startSimulatedNodes(1, extra: ["--cpu", "2"])
        try await apus.ok("apply", "-f", "-", stdin: """
        apiVersion: scheduling.k8s.io/v1
        kind: PriorityClass
        metadata:
          name: high
        value: 1000
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: low
        spec:
          containers:
          - name: app
            image: nginx
            resources:
              requests:
                cpu: "1500m"
        """)
        try await apus.ok("wait", "--for=condition=Ready", "pod/low", "--timeout=60s")
        try await apus.ok("apply", "-f", "-", stdin: """
        apiVersion: v1
        kind: Pod
        metadata:
          name: important
        spec:
          priorityClassName: high
          containers:
          - name: app
            image: nginx
            resources:
              requests:
                cpu: "1500m"
        """)
        try await apus.ok("wait", "--for=condition=Ready", "pod/important", "--timeout=60s")
        #expect(try await apus.fails("get", "pod", "low").contains("NotFound"))
        let preempted = try await apus.ok("get", "events", "--field-selector=involvedObject.name=low,reason=Preempted", "-o", "jsonpath={.items[0].message}")
        #expect(preempted.hasPrefix("Preempted by pod "))
    }
}
