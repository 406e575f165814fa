import ApusControllerKit
@testable import ApusKubelet
import ApusMachinery
import Testing

/// The kubelet's pod sync against a fake runtime: what it asks the runtime for and what it reports.
struct KubeletSyncTests {
    @Test func runsAPodAndReportsItRunningAndReady() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        await harness.create(KubeletHarness.pod("web"))
        #expect(await harness.sync("web") == .done)
        let calls = await harness.runtime.calls.map(\.verb)
        #expect(calls == ["runPodSandbox", "createContainer", "startContainer"])
        let pod = try #require(await harness.pod("web"))
        #expect(pod["status"]["phase"] == "Running")
        #expect(pod["status"]["podIP"].string?.hasPrefix("10.42.0.") == true)
        #expect(pod["status"]["hostIP"] == "192.0.2.10")
        #expect(pod["status"]["qosClass"] == "BestEffort")
        let status = await harness.containerStatus("web")
        #expect(status["ready"] == true)
        #expect(status["started"] == true)
        #expect(status["restartCount"] == 0)
        #expect(status["containerID"].string?.hasPrefix("containerd://container-") == true)
        #expect(await harness.condition("web", "Ready") == "True")
        #expect(await harness.reasons() == ["Pulled", "Created", "Started"])

        // A second sync with nothing changed asks the runtime for nothing new.
        await harness.runtime.forgetCalls()
        #expect(await harness.sync("web") == .done)
        #expect(await harness.runtime.calls.isEmpty)
    }

    @Test func initContainersRunOneAtATimeBeforeTheAppContainers() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        let first: JSON = ["name": "first", "image": "busybox", "imagePullPolicy": "IfNotPresent"]
        let second: JSON = ["name": "second", "image": "busybox", "imagePullPolicy": "IfNotPresent"]
        await harness.create(KubeletHarness.pod("init", initContainers: [first, second]))
        await harness.sync("init")
        #expect(await harness.runtime.calls.filter { $0.verb == "createContainer" }.map(\.target) == ["first"])
        #expect(await harness.pod("init")?["status"]["phase"] == "Pending")
        #expect(await harness.condition("init", "Initialized") == "False")

        await harness.runtime.exit(try #require(await harness.runtime.containers(named: "first").first).id, code: 0)
        await harness.sync("init")
        #expect(await harness.runtime.calls.filter { $0.verb == "createContainer" }.map(\.target) == ["first", "second"])

        await harness.runtime.exit(try #require(await harness.runtime.containers(named: "second").first).id, code: 0)
        await harness.sync("init")
        #expect(await harness.runtime.calls.filter { $0.verb == "createContainer" }.map(\.target) == ["first", "second", "main"])
        #expect(await harness.condition("init", "Initialized") == "True")
        #expect(await harness.pod("init")?["status"]["phase"] == "Running")
        let initStatuses = await harness.pod("init")?["status"]["initContainerStatuses"].array ?? []
        #expect(initStatuses.map { $0["state"]["terminated"]["reason"] } == ["Completed", "Completed"])
    }

    @Test func aCrashingContainerRestartsWithBackOff() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        await harness.create(KubeletHarness.pod("crash"))
        await harness.sync("crash")
        // The first exit restarts at once.
        await harness.runtime.exit(try #require(await harness.runtime.containers(named: "main").first).id, code: 1)
        #expect(await harness.sync("crash") == .done)
        #expect(await harness.runtime.containers(named: "main").count == 2)
        #expect(await harness.containerStatus("crash")["restartCount"] == 1)
        #expect(await harness.containerStatus("crash")["lastState"]["terminated"]["exitCode"] == 1)

        // The second waits 10 s, in CrashLoopBackOff.
        await harness.runtime.exit(try #require(await harness.runtime.containers(named: "main").first).id, code: 1)
        let result = await harness.sync("crash")
        guard case .requeue(let after) = result else { Issue.record("expected a requeue, got \(result)"); return }
        #expect(after > 9 && after <= 10)
        #expect(await harness.runtime.containers(named: "main").count == 2)
        let waiting = await harness.containerStatus("crash")
        #expect(waiting["state"]["waiting"]["reason"] == "CrashLoopBackOff")
        #expect(waiting["state"]["waiting"]["message"].string?.contains("back-off 10s restarting failed container=main") == true)
        #expect(await harness.pod("crash")?["status"]["phase"] == "Running")
        #expect(await harness.reasons().contains("BackOff"))

        harness.clock.advance(by: 10)
        await harness.sync("crash")
        #expect(await harness.containerStatus("crash")["restartCount"] == 2)
        #expect(await harness.containerStatus("crash")["state"]["running"].isNull == false)
    }

    @Test func restartPolicyNeverLeavesAFailedPod() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        await harness.create(KubeletHarness.pod("once", restartPolicy: "Never"))
        await harness.sync("once")
        await harness.runtime.exit(try #require(await harness.runtime.containers(named: "main").first).id, code: 3)
        await harness.sync("once")
        #expect(await harness.runtime.containers(named: "main").count == 1)
        let pod = try #require(await harness.pod("once"))
        #expect(pod["status"]["phase"] == "Failed")
        let status = await harness.containerStatus("once")
        #expect(status["state"]["terminated"]["exitCode"] == 3)
        #expect(status["state"]["terminated"]["reason"] == "Error")
        #expect(await harness.condition("once", "Ready") == "False")
    }

    @Test func aMissingImageGivesErrImagePullThenBackOff() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        await harness.create(KubeletHarness.pod("missing", containers: [["name": "main", "image": "nothere:1.0"]]))
        let first = await harness.sync("missing")
        guard case .requeue(let after) = first else { Issue.record("expected a requeue, got \(first)"); return }
        #expect(after == 10)
        #expect(await harness.containerStatus("missing")["state"]["waiting"]["reason"] == "ErrImagePull")
        #expect(await harness.reasons().contains("Pulling"))
        let messages = await harness.events.events.map(\.message)
        #expect(messages.contains { $0.hasPrefix("Failed to pull image \"nothere:1.0\"") })
        await harness.sync("missing")
        #expect(await harness.containerStatus("missing")["state"]["waiting"]["reason"] == "ImagePullBackOff")
        #expect(await harness.runtime.calls.filter { $0.verb == "pullImage" }.count == 1)
        #expect(await harness.pod("missing")?["status"]["phase"] == "Pending")
    }

    @Test func aDeletedPodStopsWithItsGracePeriodAndGoes() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        var pod = KubeletHarness.pod("gone")
        await harness.create(pod)
        await harness.sync("gone")
        pod = try #require(await harness.pod("gone"))
        pod["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
        pod["metadata"]["deletionGracePeriodSeconds"] = 7
        await harness.cluster.seed(.pods, [pod])
        await harness.runtime.forgetCalls()
        #expect(await harness.sync("gone") == .done)
        let calls = await harness.runtime.calls
        #expect(calls.contains { $0.verb == "stopContainer" && $0.target == "main grace=7" })
        #expect(calls.contains { $0.verb == "removePodSandbox" })
        #expect(await harness.runtime.allSandboxes().isEmpty)
        #expect(await harness.pod("gone") == nil)
        #expect(await harness.reasons().contains("Killing"))
    }

    @Test func runningContainersOfAnEarlierKubeletAreAdopted() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        let pod = KubeletHarness.pod("kept")
        let sandboxConfig = harness.kubelet.configs.sandbox(pod, attempt: 0)
        let containerConfig = try harness.kubelet.configs.container(pod["spec"]["containers"][0], pod: pod, attempt: 0, isInit: false,
                                                                     environment: [], volumes: [:], image: "docker.io/library/busybox:latest")
        _ = await harness.runtime.adopt(sandbox: sandboxConfig, container: containerConfig)
        await harness.create(pod)
        #expect(await harness.sync("kept") == .done)
        #expect(await harness.runtime.calls.isEmpty)
        #expect(await harness.pod("kept")?["status"]["phase"] == "Running")
        #expect(await harness.containerStatus("kept")["restartCount"] == 0)
    }

    @Test func aPodNoLongerInTheAPILeavesTheRuntime() async throws {
        let harness = KubeletHarness()
        defer { harness.cleanUp() }
        await harness.create(KubeletHarness.pod("orphan"))
        await harness.sync("orphan")
        _ = try await harness.cluster.delete(.pods, namespace: "default", name: "orphan", options: DeleteOptions())
        #expect(await harness.sync("orphan") == .done)
        #expect(await harness.runtime.allSandboxes().isEmpty)
        #expect(await harness.runtime.allContainers().isEmpty)
    }
}
