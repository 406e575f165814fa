import Foundation
import Testing

/// `apus agent --simulate N` against a real server, seen through the real kubectl.
@Suite struct SimulatedNodeTests {
    @Test func simulatedNodesRegisterHeartbeatAndRunPods() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.startSimulatedNodes(3)
        let nodes = try await apus.ok("get", "nodes", "-o", "wide")
        #expect(nodes.contains("sim-1") && nodes.contains("sim-2") && nodes.contains("sim-3"))
        #expect(try await apus.ok("get", "lease", "-n", "kube-node-lease", "-o", "name").split(separator: "\n").count == 3)

        // A pod bound to a node (no scheduler involved) runs there with an IP from the node's range.
        try await apus.ok("run", "web", "--image=nginx", "--overrides={\"spec\":{\"nodeName\":\"sim-2\"}}")
        try await apus.ok("wait", "--for=condition=Ready", "pod/web", "--timeout=60s")
        let ip = try await apus.ok("get", "pod", "web", "-o", "jsonpath={.status.podIP}")
        #expect(ip.hasPrefix("10.42.2."))

        // A pod that runs to completion.
        try await apus.ok("run", "once", "--image=busybox", "--restart=Never",
                          "--overrides={\"spec\":{\"nodeName\":\"sim-1\"},\"metadata\":{\"annotations\":{\"simulation.apus.dev/run-seconds\":\"1\"}}}")
        try await apus.eventually("pod/once Succeeded") {
            try await apus.kubectl(["get", "pod", "once", "-o", "jsonpath={.status.phase}"]).stdout == "Succeeded"
        }

        // Deletion waits for the containers to stop, then the pod is gone.
        try await apus.ok("delete", "pod", "web", "--timeout=60s")
        #expect(try await apus.fails("get", "pod", "web").contains("NotFound"))
    }
}
