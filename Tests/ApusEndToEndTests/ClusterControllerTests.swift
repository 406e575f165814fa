import Foundation
import Testing

/// Node lifecycle, endpoints and service accounts with simulated nodes and the real kubectl.
@Suite struct ClusterControllerTests {
    @Test func aNodeThatStopsHeartbeatingTurnsNotReadyIsTaintedAndLosesItsPods() async throws {
        // Pods without their own toleration get the server's default: an unreachable node is
        // tolerated for 2 s here instead of 300 s.
        let apus = try await ApusProcess(serverArguments: ["--node-monitor-grace-period", "6", "--default-unreachable-toleration-seconds", "2"])
        defer { apus.stop() }
        try await apus.startSimulatedNodes(3)
        try await apus.ok("apply", "-f", "-", stdin: """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: app
                image: nginx
        """)
        try await apus.ok("rollout", "status", "deployment/web", "--timeout=60s")
        let tolerations = try await apus.ok("get", "pods", "-l", "app=web", "-o",
                                            "jsonpath={range .items[0].spec.tolerations[*]}{.key}={.tolerationSeconds} {end}")
        #expect(tolerations.trimmingCharacters(in: .whitespaces) == "node.kubernetes.io/not-ready=300 node.kubernetes.io/unreachable=2")
        let onLostNode = try await apus.ok("get", "pods", "-l", "app=web", "--field-selector=spec.nodeName=sim-3", "-o", "name")
        #expect(!onLostNode.isEmpty, "a replica runs on sim-3")
        try await apus.ok("annotate", "node", "sim-3", "simulation.apus.dev/heartbeat=paused")
        try await apus.eventually("sim-3 NotReady", timeout: 60) {
            try await apus.kubectl(["get", "node", "sim-3"]).stdout.contains("NotReady")
        }
        let ready = try await apus.ok("get", "node", "sim-3", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}")
        #expect(ready == "NodeStatusUnknown")
        try await apus.eventually("the unreachable NoExecute taint", timeout: 60) {
            try await apus.kubectl(["get", "node", "sim-3", "-o", "jsonpath={.spec.taints[*].key}:{.spec.taints[*].effect}"]).stdout
                .contains("node.kubernetes.io/unreachable")
        }
        // The replica on sim-3 is evicted after its toleration and replaced on the other nodes.
        try await apus.eventually("3 ready replicas off sim-3", timeout: 60) {
            let pods = try await apus.kubectl(["get", "pods", "-l", "app=web", "-o",
                                               "jsonpath={range .items[*]}{.spec.nodeName} {.metadata.deletionTimestamp} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"])
            let live = pods.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.filter { $0.count == 2 && $0[1] == "True" }
            return live.count == 3 && live.allSatisfy { $0[0] != "sim-3" }
        }
        let events = try await apus.ok("get", "events", "-o", "jsonpath={.items[*].reason}")
        #expect(events.contains("TaintManagerEviction"))

        // Heartbeats again: Ready, untainted.
        try await apus.ok("annotate", "node", "sim-3", "simulation.apus.dev/heartbeat-")
        try await apus.eventually("sim-3 Ready again without taints", timeout: 60) {
            let node = try await apus.kubectl(["get", "node", "sim-3", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status} {.spec.taints}"]).stdout
            return node.trimmingCharacters(in: .whitespaces) == "True"
        }
    }

    @Test func servicesGetEndpointsAndSlicesAndNamespacesAServiceAccount() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.startSimulatedNodes(1)
        try await apus.ok("create", "namespace", "shop")
        try await apus.eventually("the default service account", timeout: 30) {
            try await apus.kubectl(["-n", "shop", "get", "serviceaccount", "default"]).status == 0
        }
        try await apus.ok("-n", "shop", "run", "api", "--image=nginx", "--labels=app=api", "--port=9376",
                          "--overrides={\"spec\":{\"nodeName\":\"sim-1\"}}")
        try await apus.ok("-n", "shop", "create", "service", "clusterip", "my-service", "--tcp=80:9376")
        try await apus.ok("-n", "shop", "label", "service", "my-service", "app=api", "--overwrite")
        try await apus.ok("-n", "shop", "patch", "service", "my-service", "-p", "{\"spec\":{\"selector\":{\"app\":\"api\"}}}")
        try await apus.ok("-n", "shop", "wait", "--for=condition=Ready", "pod/api", "--timeout=60s")
        let podIP = try await apus.ok("-n", "shop", "get", "pod", "api", "-o", "jsonpath={.status.podIP}")
        try await apus.eventually("endpoints with the pod", timeout: 30) {
            try await apus.kubectl(["-n", "shop", "get", "endpoints", "my-service", "-o", "jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}"])
                .stdout == "\(podIP):9376"
        }
        try await apus.eventually("an endpoint slice with the ready pod", timeout: 30) {
            let slice = try await apus.kubectl(["-n", "shop", "get", "endpointslices", "-l", "kubernetes.io/service-name=my-service", "-o",
                                                "jsonpath={.items[0].endpoints[0].addresses[0]} {.items[0].endpoints[0].conditions.ready}"]).stdout
            return slice == "\(podIP) true"
        }
        try await apus.ok("-n", "shop", "delete", "pod", "api", "--timeout=60s")
        try await apus.eventually("the endpoints emptied", timeout: 30) {
            try await apus.kubectl(["-n", "shop", "get", "endpoints", "my-service", "-o", "jsonpath={.subsets}"]).stdout.isEmpty
        }
    }
}
