@testable import ApusCRI
@testable import ApusKubelet
import Foundation
import Testing

/// The CRI client against a real containerd and runc: a sandbox and a container from the locally
/// built busybox image, run, exec, stop and removal.
@Suite(.serialized)
struct ContainerdRuntimeTests {
    @Test func sandboxAndContainerRunThroughCRI() async throws {
        let harness = try await ContainerdHarness()
        do {
            try await runSandboxAndContainer(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    private func runSandboxAndContainer(_ harness: ContainerdHarness) async throws {
        let runtime = harness.runtime
        let version = try await runtime.version()
        #expect(version.runtimeName == "containerd")
        #expect(version.runtimeApiVersion == "v1")

        let image = try #require(try await runtime.imageStatus("docker.io/library/busybox:latest"))
        #expect(image.repoTags.contains("docker.io/library/busybox:latest"))
        #expect(try await runtime.imageStatus("docker.io/library/no-such-image:1") == nil)

        var sandboxConfig = Runtime_V1_PodSandboxConfig()
        sandboxConfig.metadata.name = "cri-test"
        sandboxConfig.metadata.namespace = "default"
        sandboxConfig.metadata.uid = UUID().uuidString.lowercased()
        sandboxConfig.logDirectory = harness.directory + "/logs"
        sandboxConfig.labels = ["io.kubernetes.pod.name": "cri-test"]
        // The host's network namespace: no CNI configuration is needed for this test.
        sandboxConfig.linux.securityContext.namespaceOptions.network = .node
        let sandbox = try await runtime.runPodSandbox(sandboxConfig)
        let sandboxStatus = try await runtime.podSandboxStatus(sandbox)
        #expect(sandboxStatus.state == .sandboxReady)
        #expect(sandboxStatus.metadata.name == "cri-test")

        var config = Runtime_V1_ContainerConfig()
        config.metadata.name = "main"
        config.image.image = "docker.io/library/busybox:latest"
        config.command = ["sh", "-c"]
        config.args = ["echo started as $GREETING; exec sleep 600"]
        var greeting = Runtime_V1_KeyValue()
        greeting.key = "GREETING"
        greeting.value = "hello"
        config.envs = [greeting]
        config.logPath = "main/0.log"
        let container = try await runtime.createContainer(in: sandbox, config, sandboxConfig: sandboxConfig)
        try await runtime.startContainer(container)
        #expect(try await runtime.containerStatus(container).state == .containerRunning)

        let exec = try await runtime.execSync(container, command: ["sh", "-c", "echo $GREETING; exit 3"], timeout: 10)
        #expect(String(decoding: exec.stdout, as: UTF8.self) == "hello\n")
        #expect(exec.exitCode == 3)

        try await streamingExec(runtime, container)

        var filter = Runtime_V1_ContainerFilter()
        filter.podSandboxID = sandbox
        #expect(try await runtime.listContainers(filter).map(\.id) == [container])

        // The pod's containers share the sandbox's PID namespace, so `sleep` is not PID 1 and SIGTERM ends it.
        try await runtime.stopContainer(container, timeout: 5)
        let stopped = try await runtime.containerStatus(container)
        #expect(stopped.state == .containerExited)
        #expect(stopped.exitCode == 143)
        let log = try String(contentsOfFile: harness.directory + "/logs/main/0.log", encoding: .utf8)
        #expect(log.contains("stdout F started as hello"))

        try await runtime.removeContainer(container)
        await #expect(throws: ContainerRuntimeError.self) { try await runtime.containerStatus(container) }
        do {
            _ = try await runtime.containerStatus(container)
        } catch {
            #expect(error.isNotFound)
        }
        try await runtime.stopPodSandbox(sandbox)
        try await runtime.removePodSandbox(sandbox)
        #expect(try await runtime.listPodSandboxes(Runtime_V1_PodSandboxFilter()).isEmpty)
    }

    /// Exec through the runtime's streaming server, over SPDY as client-go speaks it: stdin to its
    /// end, stdout and stderr apart, and the exit code in the error channel's Status.
    private func streamingExec(_ runtime: RemoteContainerRuntime, _ container: String) async throws {
        func exec(_ command: [String], stdin: [UInt8]?) async throws -> (stdout: String, stderr: String, status: String) {
            var request = Runtime_V1_ExecRequest()
            request.containerID = container
            request.cmd = command
            request.stdin = stdin != nil
            request.stdout = true
            request.stderr = true
            let url = try await runtime.exec(request)
            let (input, feed) = AsyncStream<RemoteCommand.Input>.makeStream()
            if let stdin {
                feed.yield(.stdin(stdin))
                feed.yield(.closeStdin)
            }
            let collected = OutputCollector()
            let status = try await RemoteCommand.run(url: url, channels: .init(stdin: stdin != nil, stdout: true, stderr: true, tty: false),
                                                     input: input) { await collected.add($0) }
            feed.finish()
            return (await collected.stdout, await collected.stderr, String(decoding: status, as: UTF8.self))
        }
        let echoed = try await exec(["sh", "-c", "cat; echo to-stderr >&2"], stdin: Array("from stdin\n".utf8))
        #expect(echoed.stdout == "from stdin\n")
        #expect(echoed.stderr == "to-stderr\n")
        #expect(echoed.status.contains("\"Success\""), "status: \(echoed.status)")
        let failed = try await exec(["sh", "-c", "exit 7"], stdin: nil)
        #expect(failed.status.contains("NonZeroExitCode") && failed.status.contains("\"7\""), "status: \(failed.status)")
    }
}

/// What a streaming session wrote, by channel.
actor OutputCollector {
    var stdout = ""
    var stderr = ""

    func add(_ output: RemoteCommand.Output) {
        switch output {
        case .stdout(let bytes): stdout += String(decoding: bytes, as: UTF8.self)
        case .stderr(let bytes): stderr += String(decoding: bytes, as: UTF8.self)
        }
    }
}
