import Foundation
import Synchronization
import Testing

/// Jobs, CronJobs, DaemonSets and StatefulSets on `apus server --disable-agent` plus simulated
/// nodes, driven by the real kubectl.
@Suite struct WorkloadTests {
    @Test func jobsCompleteOrStopAtTheirBackoffLimit() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.startSimulatedNodes(3, extra: ["--run-seconds", "1"])
        try await apus.ok("apply", "-f", "-", stdin: """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: pi
        spec:
          completions: 5
          parallelism: 2
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: pi
                image: perl
        """)
        try await apus.ok("wait", "--for=condition=complete", "job/pi", "--timeout=90s")
        let succeeded = try await apus.ok("get", "job", "pi", "-o", "jsonpath={.status.succeeded}")
        #expect(succeeded == "5")
        #expect(try await apus.ok("get", "jobs").contains("5/5"))

        try await apus.ok("apply", "-f", "-", stdin: """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: failing
        spec:
          backoffLimit: 1
          template:
            metadata:
              annotations:
                simulation.apus.dev/exit-code: "1"
            spec:
              restartPolicy: Never
              containers:
              - name: fail
                image: busybox
        """)
        try await apus.ok("wait", "--for=condition=failed", "job/failing", "--timeout=120s")
        let reason = try await apus.ok("get", "job", "failing", "-o", "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}")
        #expect(reason == "BackoffLimitExceeded")
        #expect(try await apus.ok("get", "job", "failing", "-o", "jsonpath={.status.failed}") == "2")
    }

    @Test func aCronJobRunsOnSchedule() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.startSimulatedNodes(1, extra: ["--run-seconds", "1"])
        try await apus.ok("create", "cronjob", "tick", "--image=busybox", "--schedule=* * * * *")
        try await apus.eventually("a job of cronjob tick", timeout: 75) {
            try await apus.kubectl(["get", "jobs", "-o", "name"]).stdout.contains("job.batch/tick-")
        }
        try await apus.eventually("the cronjob's last successful time", timeout: 60) {
            !(try await apus.kubectl(["get", "cronjob", "tick", "-o", "jsonpath={.status.lastSuccessfulTime}"]).stdout.isEmpty)
        }
    }

    @Test func aDaemonSetRunsOnePodPerNodeIncludingNewOnes() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.startSimulatedNodes(3)
        try await apus.ok("apply", "-f", "-", stdin: """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels:
              app: agent
          template:
            metadata:
              labels:
                app: agent
            spec:
              containers:
              - name: agent
                image: busybox
        """)
        try await apus.ok("rollout", "status", "daemonset/agent", "--timeout=60s")
        let nodes = try await apus.ok("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.nodeName}")
        #expect(Set(nodes.split(separator: " ").map(String.init)) == ["sim-1", "sim-2", "sim-3"])
        try await apus.startSimulatedNodes(1, prefix: "late-")
        try await apus.eventually("a daemon pod on the new node", timeout: 60) {
            try await apus.kubectl(["get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.nodeName}"]).stdout.contains("late-1")
        }
    }

    @Test func aStatefulSetStartsInOrderAndStopsInReverse() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        // Each pod takes 3 s to stop, so every step of the scale-down is seen even on a loaded machine.
        try await apus.startSimulatedNodes(3, extra: ["--termination-seconds", "3"])
        try await apus.ok("apply", "-f", "-", stdin: """
        apiVersion: v1
        kind: Service
        metadata:
          name: nginx
        spec:
          clusterIP: None
          selector:
            app: nginx
          ports:
          - port: 80
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: nginx
          replicas: 3
          selector:
            matchLabels:
              app: nginx
          template:
            metadata:
              labels:
                app: nginx
            spec:
              containers:
              - name: nginx
                image: nginx
        """)
        try await apus.ok("rollout", "status", "statefulset/web", "--timeout=90s")
        // OrderedReady: each pod is created only once the one before it is Ready.
        let times = try await apus.ok("get", "pods", "-l", "app=nginx", "-o",
                                      "jsonpath={range .items[*]}{.metadata.name} {.metadata.creationTimestamp} {.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}{\"\\n\"}{end}")
        var created: [String: String] = [:], ready: [String: String] = [:]
        for line in times.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 3 else { continue }
            created[fields[0]] = fields[1]
            ready[fields[0]] = fields[2]
        }
        #expect(created.keys.sorted() == ["web-0", "web-1", "web-2"])
        #expect((created["web-1"] ?? "") >= (ready["web-0"] ?? "~"))
        #expect((created["web-2"] ?? "") >= (ready["web-1"] ?? "~"))
        let events = try await apus.ok("get", "events", "--field-selector=involvedObject.name=web", "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}")
        #expect(events.contains("create Pod web-0 in StatefulSet web successful"))

        try await apus.ok("scale", "statefulset/web", "--replicas=0")
        // Every snapshot during the scale-down must be a prefix web-0 … web-k: the highest ordinal goes first.
        let snapshots = Mutex<[[String]]>([])
        try await apus.eventually("web pods removed", timeout: 90) {
            let names = try await apus.kubectl(["get", "pods", "-l", "app=nginx", "-o", "jsonpath={.items[*].metadata.name}"]).stdout
                .split(separator: " ").map(String.init).sorted()
            snapshots.withLock { $0.append(names) }
            return names.isEmpty
        }
        let seen = snapshots.withLock { $0 }
        for names in seen {
            #expect(names == Array(["web-0", "web-1", "web-2"].prefix(names.count)), "removed in reverse order: \(names)")
        }
        #expect(seen.contains(["web-0", "web-1"]) || seen.contains(["web-0"]), "the scale-down was observed step by step")
    }
}
