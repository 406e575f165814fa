import ApusCRI
import ApusControllerTesting
import Foundation

/// A container runtime in memory for the kubelet's unit tests: sandboxes get IPs from 10.42.0.0/24,
/// containers run until the test makes them exit or the kubelet stops them, exec answers as the
/// test says, and only the images the test lists exist (pulls of others fail).
actor FakeContainerRuntime: ContainerRuntime {
    struct Sandbox {
        var id: String
        var config: Runtime_V1_PodSandboxConfig
        var state: Runtime_V1_PodSandboxState
        var ip: String
        var createdAt: Int64
    }

    struct Container {
        var id: String
        var sandbox: String
        var config: Runtime_V1_ContainerConfig
        var state: Runtime_V1_ContainerState
        var createdAt: Int64
        var startedAt: Int64 = 0
        var finishedAt: Int64 = 0
        var exitCode: Int32 = 0
        var reason = ""
    }

    struct Call: Equatable, CustomStringConvertible {
        var verb: String
        var target: String
        var description: String { "\(verb) \(target)" }
    }

    private let clock: ManualClock
    private var sandboxes: [String: Sandbox] = [:]
    private var containers: [String: Container] = [:]
    private var nextID = 1
    private(set) var images: Set<String>
    private(set) var calls: [Call] = []
    /// Answers of ExecSync by command; unlisted commands exit 0.
    private var execAnswers: [[String]: Runtime_V1_ExecSyncResponse] = [:]

    init(clock: ManualClock, images: Set<String> = ["docker.io/library/busybox:latest"]) {
        self.clock = clock
        self.images = images
    }

    private var nowNanos: Int64 { Int64(clock.now() * 1e9) }

    private func newID(_ prefix: String) -> String {
        defer { nextID += 1 }
        return "\(prefix)\(nextID)"
    }

    // MARK: test controls

    /// The containers of a name, newest first.
    func containers(named name: String) -> [Container] {
        containers.values.filter { $0.config.metadata.name == name }.sorted { $0.createdAt > $1.createdAt || ($0.createdAt == $1.createdAt && $0.id > $1.id) }
    }

    func allSandboxes() -> [Sandbox] { Array(sandboxes.values) }
    func allContainers() -> [Container] { Array(containers.values) }

    /// The container's main process exits with `code`.
    func exit(_ id: String, code: Int32, reason: String = "") {
        guard var container = containers[id], container.state == .containerRunning else { return }
        container.state = .containerExited
        container.exitCode = code
        container.reason = reason
        container.finishedAt = nowNanos
        containers[id] = container
    }

    func answerExec(_ command: [String], exitCode: Int32, output: String = "") {
        var response = Runtime_V1_ExecSyncResponse()
        response.exitCode = exitCode
        response.stdout = Data(output.utf8)
        execAnswers[command] = response
    }

    /// Puts a sandbox and container straight in, as one left running by an earlier kubelet.
    func adopt(sandbox config: Runtime_V1_PodSandboxConfig, container: Runtime_V1_ContainerConfig) -> (sandbox: String, container: String) {
        let sandboxID = newID("sandbox-")
        sandboxes[sandboxID] = Sandbox(id: sandboxID, config: config, state: .sandboxReady, ip: "10.42.0.\(nextID)", createdAt: nowNanos)
        let id = newID("container-")
        containers[id] = Container(id: id, sandbox: sandboxID, config: container, state: .containerRunning, createdAt: nowNanos, startedAt: nowNanos)
        return (sandboxID, id)
    }

    func forgetCalls() { calls = [] }

    // MARK: ContainerRuntime

    func version() async throws(ContainerRuntimeError) -> Runtime_V1_VersionResponse {
        var response = Runtime_V1_VersionResponse()
        response.runtimeName = "fake"
        response.runtimeVersion = "1.0"
        response.runtimeApiVersion = "v1"
        return response
    }

    func status() async throws(ContainerRuntimeError) -> Runtime_V1_RuntimeStatus {
        var status = Runtime_V1_RuntimeStatus()
        for type in ["RuntimeReady", "NetworkReady"] {
            var condition = Runtime_V1_RuntimeCondition()
            condition.type = type
            condition.status = true
            status.conditions.append(condition)
        }
        return status
    }

    func runPodSandbox(_ config: Runtime_V1_PodSandboxConfig) async throws(ContainerRuntimeError) -> String {
        let id = newID("sandbox-")
        sandboxes[id] = Sandbox(id: id, config: config, state: .sandboxReady, ip: "10.42.0.\(nextID)", createdAt: nowNanos)
        calls.append(Call(verb: "runPodSandbox", target: config.metadata.name))
        return id
    }

    func stopPodSandbox(_ id: String) async throws(ContainerRuntimeError) {
        guard sandboxes[id] != nil else { throw ContainerRuntimeError(.notFound, "sandbox \(id) not found") }
        sandboxes[id]?.state = .sandboxNotready
        for (cid, container) in containers where container.sandbox == id && container.state == .containerRunning {
            containers[cid]?.state = .containerExited
            containers[cid]?.exitCode = 137
            containers[cid]?.finishedAt = nowNanos
        }
        calls.append(Call(verb: "stopPodSandbox", target: id))
    }

    func removePodSandbox(_ id: String) async throws(ContainerRuntimeError) {
        sandboxes[id] = nil
        containers = containers.filter { $0.value.sandbox != id }
        calls.append(Call(verb: "removePodSandbox", target: id))
    }

    func podSandboxStatus(_ id: String) async throws(ContainerRuntimeError) -> Runtime_V1_PodSandboxStatus {
        guard let sandbox = sandboxes[id] else { throw ContainerRuntimeError(.notFound, "sandbox \(id) not found") }
        var status = Runtime_V1_PodSandboxStatus()
        status.id = id
        status.metadata = sandbox.config.metadata
        status.state = sandbox.state
        status.network.ip = sandbox.state == .sandboxReady ? sandbox.ip : ""
        status.labels = sandbox.config.labels
        return status
    }

    func listPodSandboxes(_ filter: Runtime_V1_PodSandboxFilter) async throws(ContainerRuntimeError) -> [Runtime_V1_PodSandbox] {
        sandboxes.values.filter { matches($0.config.labels, filter.labelSelector) }.map { sandbox in
            var listed = Runtime_V1_PodSandbox()
            listed.id = sandbox.id
            listed.metadata = sandbox.config.metadata
            listed.state = sandbox.state
            listed.createdAt = sandbox.createdAt
            listed.labels = sandbox.config.labels
            return listed
        }
    }

    func createContainer(in sandbox: String, _ config: Runtime_V1_ContainerConfig,
                         sandboxConfig: Runtime_V1_PodSandboxConfig) async throws(ContainerRuntimeError) -> String {
        guard sandboxes[sandbox] != nil else { throw ContainerRuntimeError(.notFound, "sandbox \(sandbox) not found") }
        let id = newID("container-")
        containers[id] = Container(id: id, sandbox: sandbox, config: config, state: .containerCreated, createdAt: nowNanos)
        calls.append(Call(verb: "createContainer", target: config.metadata.name))
        return id
    }

    func startContainer(_ id: String) async throws(ContainerRuntimeError) {
        guard containers[id] != nil else { throw ContainerRuntimeError(.notFound, "container \(id) not found") }
        containers[id]?.state = .containerRunning
        containers[id]?.startedAt = nowNanos
        calls.append(Call(verb: "startContainer", target: containers[id]?.config.metadata.name ?? ""))
    }

    func stopContainer(_ id: String, timeout: Int64) async throws(ContainerRuntimeError) {
        guard let container = containers[id] else { throw ContainerRuntimeError(.notFound, "container \(id) not found") }
        calls.append(Call(verb: "stopContainer", target: "\(container.config.metadata.name) grace=\(timeout)"))
        exit(id, code: 137)
    }

    func removeContainer(_ id: String) async throws(ContainerRuntimeError) {
        containers[id] = nil
        calls.append(Call(verb: "removeContainer", target: id))
    }

    func listContainers(_ filter: Runtime_V1_ContainerFilter) async throws(ContainerRuntimeError) -> [Runtime_V1_Container] {
        containers.values.filter { matches($0.config.labels, filter.labelSelector) }.map { container in
            var listed = Runtime_V1_Container()
            listed.id = container.id
            listed.podSandboxID = container.sandbox
            listed.metadata = container.config.metadata
            listed.state = container.state
            listed.createdAt = container.createdAt
            listed.labels = container.config.labels
            return listed
        }
    }

    func containerStatus(_ id: String) async throws(ContainerRuntimeError) -> Runtime_V1_ContainerStatus {
        guard let container = containers[id] else { throw ContainerRuntimeError(.notFound, "container \(id) not found") }
        var status = Runtime_V1_ContainerStatus()
        status.id = id
        status.metadata = container.config.metadata
        status.state = container.state
        status.createdAt = container.createdAt
        status.startedAt = container.startedAt
        status.finishedAt = container.finishedAt
        status.exitCode = container.exitCode
        status.reason = container.reason
        status.image = container.config.image
        status.imageRef = container.config.image.image
        status.labels = container.config.labels
        status.annotations = container.config.annotations
        return status
    }

    func reopenContainerLog(_ id: String) async throws(ContainerRuntimeError) {}

    func execSync(_ id: String, command: [String], timeout: Int64) async throws(ContainerRuntimeError) -> Runtime_V1_ExecSyncResponse {
        guard containers[id]?.state == .containerRunning else { throw ContainerRuntimeError(.failed, "container \(id) is not running") }
        calls.append(Call(verb: "execSync", target: command.joined(separator: " ")))
        return execAnswers[command] ?? Runtime_V1_ExecSyncResponse()
    }

    func exec(_ request: Runtime_V1_ExecRequest) async throws(ContainerRuntimeError) -> String { "http://127.0.0.1:1/exec" }
    func attach(_ request: Runtime_V1_AttachRequest) async throws(ContainerRuntimeError) -> String { "http://127.0.0.1:1/attach" }
    func portForward(sandbox: String, ports: [Int32]) async throws(ContainerRuntimeError) -> String { "http://127.0.0.1:1/portforward" }

    func containerStats(_ filter: Runtime_V1_ContainerStatsFilter) async throws(ContainerRuntimeError) -> [Runtime_V1_ContainerStats] { [] }

    func imageStatus(_ image: String) async throws(ContainerRuntimeError) -> Runtime_V1_Image? {
        guard images.contains(Self.normalized(image)) else { return nil }
        var found = Runtime_V1_Image()
        found.id = "sha256:" + Self.normalized(image)
        return found
    }

    func pullImage(_ image: String, sandboxConfig: Runtime_V1_PodSandboxConfig) async throws(ContainerRuntimeError) -> String {
        calls.append(Call(verb: "pullImage", target: image))
        guard images.contains(Self.normalized(image)) else {
            throw ContainerRuntimeError(.failed, "failed to resolve reference \"\(Self.normalized(image))\": not found")
        }
        return "sha256:" + Self.normalized(image)
    }

    func listImages() async throws(ContainerRuntimeError) -> [Runtime_V1_Image] { [] }
    func removeImage(_ image: String) async throws(ContainerRuntimeError) {}

    // MARK: helpers

    private func matches(_ labels: [String: String], _ selector: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }

    static func normalized(_ image: String) -> String {
        var name = image
        if !name.contains("/") { name = "docker.io/library/" + name }
        if !name.split(separator: "/").last!.contains(":") { name += ":latest" }
        return name
    }
}
