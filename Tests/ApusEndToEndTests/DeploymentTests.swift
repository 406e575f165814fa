import Foundation
import Testing

/// The seeds' nginx-deployment on `apus server --disable-agent` plus 3 simulated nodes, driven by
/// the real kubectl: scheduling, scaling, self-healing, rolling updates, history, undo, pause.
@Suite struct DeploymentTests {
    static let manifest = KubectlObjectsTests.manifest(image: "nginx:1.14.2")

    static func runningPods(_ apus: ApusProcess) async throws -> [(name: String, node: String, image: String)] {
        let out = try await apus.kubectl(["get", "pods", "-l", "app=nginx", "--field-selector=status.phase=Running", "-o",
                                          "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.spec.containers[0].image} {.metadata.deletionTimestamp}{\"\\n\"}{end}"])
        return out.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .filter { $0.count == 3 }.map { ($0[0], $0[1], $0[2]) }
    }

    static func waitForRunning(_ apus: ApusProcess, _ count: Int, image: String? = nil) async throws {
        try await apus.eventually("\(count) running nginx pods", timeout: 90) {
            let pods = try await runningPods(apus)
            return pods.count == count && (image == nil || pods.allSatisfy { $0.image == image })
        }
    }

    @Test func nginxDeploymentScalesHealsRollsAndRollsBack() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.startSimulatedNodes(3)
        try await apus.ok("apply", "-f", "-", stdin: Self.manifest)
        try await Self.waitForRunning(apus, 3)
        let nodes = Set(try await Self.runningPods(apus).map(\.node))
        #expect(nodes == ["sim-1", "sim-2", "sim-3"], "3 replicas spread over the 3 nodes")
        try await apus.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=60s")

        // Scale up and down.
        try await apus.ok("scale", "deployment/nginx-deployment", "--replicas=5")
        try await Self.waitForRunning(apus, 5)
        try await apus.ok("scale", "deployment/nginx-deployment", "--replicas=2")
        try await Self.waitForRunning(apus, 2)

        // A deleted pod is replaced.
        let victim = try #require(try await Self.runningPods(apus).first?.name)
        try await apus.ok("delete", "pod", victim, "--timeout=60s")
        try await apus.eventually("a replacement for \(victim)", timeout: 60) {
            let pods = try await Self.runningPods(apus)
            return pods.count == 2 && !pods.contains { $0.name == victim }
        }

        // A rolling update, its history, undo to the previous and to a given revision.
        try await apus.ok("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.16.1")
        let status = try await apus.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s")
        #expect(status.contains("successfully rolled out"))
        try await Self.waitForRunning(apus, 2, image: "nginx:1.16.1")
        let history = try await apus.ok("rollout", "history", "deployment/nginx-deployment")
        #expect(history.contains("1 ") && history.contains("2 "))
        try await apus.ok("rollout", "undo", "deployment/nginx-deployment")
        try await apus.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s")
        try await Self.waitForRunning(apus, 2, image: "nginx:1.14.2")
        try await apus.ok("rollout", "undo", "deployment/nginx-deployment", "--to-revision=2")
        try await apus.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s")
        try await Self.waitForRunning(apus, 2, image: "nginx:1.16.1")
        #expect(try await apus.ok("get", "deployment", "nginx-deployment", "-o",
                                  "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}") == "4")

        // Pause holds a template change back; resume rolls it out.
        try await apus.ok("rollout", "pause", "deployment/nginx-deployment")
        try await apus.ok("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.17")
        try await Task.sleep(for: .seconds(2))
        #expect(try await Self.runningPods(apus).allSatisfy { $0.image == "nginx:1.16.1" })
        try await apus.ok("rollout", "resume", "deployment/nginx-deployment")
        try await apus.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=90s")
        try await Self.waitForRunning(apus, 2, image: "nginx:1.17")
    }

    @Test func deletingADeploymentCascadesUnlessOrphaned() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.startSimulatedNodes(3)
        try await apus.ok("apply", "-f", "-", stdin: Self.manifest)
        try await Self.waitForRunning(apus, 3)
        try await apus.ok("delete", "deployment", "nginx-deployment", "--timeout=60s")
        try await apus.eventually("replica sets and pods removed", timeout: 60) {
            try await apus.kubectl(["get", "rs,pods", "-l", "app=nginx", "-o", "name"]).stdout.isEmpty
        }

        try await apus.ok("apply", "-f", "-", stdin: Self.manifest)
        try await Self.waitForRunning(apus, 3)
        try await apus.ok("delete", "deployment", "nginx-deployment", "--cascade=orphan")
        try await Task.sleep(for: .seconds(2))
        #expect(try await Self.runningPods(apus).count == 3, "orphaned pods stay")
        let owners = try await apus.ok("get", "rs", "-l", "app=nginx", "-o", "jsonpath={.items[*].metadata.ownerReferences}")
        #expect(owners.isEmpty, "the replica set no longer names the deployment")
    }
}
