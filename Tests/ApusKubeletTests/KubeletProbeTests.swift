import ApusControllerKit
@testable import ApusKubelet
import ApusMachinery
import Foundation
import Testing

/// Liveness, readiness and startup probes as the kubelet runs them, on a fake runtime: their
/// results change the container's ready/started status, and a failed liveness probe kills it.
struct KubeletProbeTests {
    static func container(_ probes: [String: JSON]) -> JSON {
        var container: JSON = ["name": "main", "image": "busybox", "imagePullPolicy": "IfNotPresent"]
        for (field, probe) in probes { container[field] = probe }
        return container
    }

    static func execProbe(_ command: String, failureThreshold: Int64 = 1) -> JSON {
        ["exec": ["command": .array(command.split(separator: " ").map { .string(String($0)) })],
         "periodSeconds": 1, "failureThreshold": .int(failureThreshold), "successThreshold": 1, "timeoutSeconds": 1]
    }

    /// Waits (real time: probe workers sleep their period) until `condition` holds.
    static func eventually(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<60 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func readinessDecidesReadyAndFollowsTheProbe() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        await harness.runtime.answerExec(["check-ready"], exitCode: 1, output: "not yet")
        await harness.create(KubeletHarness.pod("ready", containers: [Self.container(["readinessProbe": Self.execProbe("check-ready")])]))
        await harness.sync("ready")
        // Running but not ready until the probe succeeds.
        #expect(await harness.containerStatus("ready")["ready"] == false)
        #expect(await harness.containerStatus("ready")["started"] == true)
        #expect(await harness.condition("ready", "Ready") == "False")
        #expect(await Self.eventually { await harness.reasons().contains("Unhealthy") })
        #expect(await harness.events.events.contains { $0.message == "Readiness probe failed: not yet" })

        await harness.runtime.answerExec(["check-ready"], exitCode: 0)
        let id = try #require(await harness.runtime.containers(named: "main").first).id
        #expect(await Self.eventually { await harness.kubelet.probes.state(of: id).ready })
        await harness.sync("ready")
        #expect(await harness.containerStatus("ready")["ready"] == true)
        #expect(await harness.condition("ready", "Ready") == "True")

        // A failing readiness probe makes it not ready again, without a restart.
        await harness.runtime.answerExec(["check-ready"], exitCode: 1)
        #expect(await Self.eventually { await !harness.kubelet.probes.state(of: id).ready })
        await harness.sync("ready")
        #expect(await harness.containerStatus("ready")["ready"] == false)
        #expect(await harness.containerStatus("ready")["restartCount"] == 0)
        await harness.kubelet.probes.stop(podKey: "default/ready")
    }

    @Test func aFailedLivenessProbeKillsTheContainer() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        await harness.runtime.answerExec(["alive"], exitCode: 1, output: "dead")
        var probe = Self.execProbe("alive", failureThreshold: 2)
        probe["terminationGracePeriodSeconds"] = 5
        await harness.create(KubeletHarness.pod("live", containers: [Self.container(["livenessProbe": probe])]))
        await harness.sync("live")
        let id = try #require(await harness.runtime.containers(named: "main").first).id
        // Alive (and ready: no readiness probe) until the failures reach the threshold.
        #expect(await harness.containerStatus("live")["ready"] == true)
        #expect(await Self.eventually { await harness.kubelet.probes.state(of: id).failed == .liveness })
        #expect(await harness.events.events.filter { $0.message == "Liveness probe failed: dead" }.count >= 2)
        await harness.sync("live")
        #expect(await harness.runtime.calls.contains { $0.verb == "stopContainer" && $0.target == "main grace=5" })
        #expect(await harness.events.events.contains { $0.message == "Container main failed liveness probe, will be restarted" })
        // Once the runtime reports it exited, it restarts with a fresh liveness result.
        await harness.sync("live")
        let instances = await harness.runtime.containers(named: "main")
        #expect(instances.count == 2)
        #expect(await harness.containerStatus("live")["restartCount"] == 1)
        #expect(await harness.containerStatus("live")["lastState"]["terminated"]["exitCode"] == 137)
        #expect(await harness.kubelet.probes.state(of: instances[0].id).failed == nil)
        await harness.kubelet.probes.stop(podKey: "default/live")
    }

    @Test func startupProbeHoldsLivenessAndReadinessUntilItSucceeds() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        await harness.runtime.answerExec(["started"], exitCode: 1)
        await harness.runtime.answerExec(["alive"], exitCode: 1)
        var startup = Self.execProbe("started", failureThreshold: 30)
        startup["periodSeconds"] = 1
        await harness.create(KubeletHarness.pod("slow", containers: [Self.container(["startupProbe": startup, "livenessProbe": Self.execProbe("alive")])]))
        await harness.sync("slow")
        let id = try #require(await harness.runtime.containers(named: "main").first).id
        try await Task.sleep(for: .milliseconds(1500))
        // Liveness would fail, but does not run before the container has started.
        #expect(await harness.kubelet.probes.state(of: id) == .init(started: false, ready: false, failed: nil))
        #expect(await !harness.runtime.calls.contains { $0.verb == "execSync" && $0.target == "alive" })
        await harness.sync("slow")
        #expect(await harness.containerStatus("slow")["started"] == false)

        await harness.runtime.answerExec(["alive"], exitCode: 0)
        await harness.runtime.answerExec(["started"], exitCode: 0)
        #expect(await Self.eventually { await harness.kubelet.probes.state(of: id).started })
        await harness.sync("slow")
        #expect(await harness.containerStatus("slow")["started"] == true)
        #expect(await harness.containerStatus("slow")["ready"] == true)
        await harness.kubelet.probes.stop(podKey: "default/slow")
    }

    @Test func settingsTakeKubernetesDefaultsAndResolveNamedPorts() throws {
        let container: JSON = ["name": "web", "ports": [["name": "http", "containerPort": 8080]],
                               "readinessProbe": ["httpGet": ["port": "http", "path": "healthz"]]]
        let settings = try #require(ProbeSettings(container, kind: .readiness))
        #expect(settings.periodSeconds == 10)
        #expect(settings.timeoutSeconds == 1)
        #expect(settings.failureThreshold == 3)
        #expect(settings.successThreshold == 1)
        guard case .httpGet(let scheme, _, let port, _, _) = settings.action else { Issue.record("not httpGet"); return }
        #expect(scheme == "http")
        #expect(ProbeSettings.resolvePort(port, container: container) == 8080)
        #expect(ProbeSettings.resolvePort("nope", container: container) == nil)
        #expect(ProbeSettings(container, kind: .liveness) == nil)
    }
}
