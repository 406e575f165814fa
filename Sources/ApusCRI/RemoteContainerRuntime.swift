import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceLifecycle

/// CRI over gRPC on a unix socket (containerd's). Its connection runs as a `Service`: start it in
/// the agent's service group before the kubelet, which stops first.
package struct RemoteContainerRuntime: ContainerRuntime, Service {
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let runtime: Runtime_V1_RuntimeService.Client<HTTP2ClientTransport.Posix>
    private let images: Runtime_V1_ImageService.Client<HTTP2ClientTransport.Posix>
    /// Deadline of ordinary calls; pulls and stops set their own.
    private let timeout: Duration

    package init(socket: String, timeout: Duration = .seconds(120)) throws {
        let transport = try HTTP2ClientTransport.Posix(target: .unixDomainSocket(path: socket), transportSecurity: .plaintext)
        client = GRPCClient(transport: transport)
        runtime = Runtime_V1_RuntimeService.Client(wrapping: client)
        images = Runtime_V1_ImageService.Client(wrapping: client)
        self.timeout = timeout
    }

    package func run() async throws {
        try await withGracefulShutdownHandler {
            try await client.runConnections()
        } onGracefulShutdown: {
            client.beginGracefulShutdown()
        }
    }

    private func options(_ deadline: Duration? = nil) -> CallOptions {
        var options = CallOptions.defaults
        options.timeout = deadline ?? timeout
        // Answers such as ListContainerStats on a full node exceed gRPC's 4 MiB default.
        options.maxResponseMessageBytes = 64 << 20
        return options
    }

    /// Runs one call and maps gRPC's status codes to what the kubelet does about them.
    private func call<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws(ContainerRuntimeError) -> T {
        do {
            // Each call runs in a task of its own, which the caller's cancellation does not reach:
            // after a call cancelled mid-flight, grpc-swift failed the next call on the connection
            // with "Stream unexpectedly closed" (seen with a follow of `kubectl logs` ending). Calls
            // have deadlines, so none outlives its caller for long.
            return try await Task { try await body() }.value
        } catch let error as RPCError {
            switch error.code {
            case .notFound: throw ContainerRuntimeError(.notFound, error.message)
            case .unavailable, .deadlineExceeded: throw ContainerRuntimeError(.unavailable, error.message)
            default: throw ContainerRuntimeError(.failed, error.message)
            }
        } catch {
            throw ContainerRuntimeError(.failed, "\(error)")
        }
    }

    package func version() async throws(ContainerRuntimeError) -> Runtime_V1_VersionResponse {
        var request = Runtime_V1_VersionRequest()
        request.version = "v1"
        return try await call { [request] in try await runtime.version(request, options: options(.seconds(5))) }
    }

    package func status() async throws(ContainerRuntimeError) -> Runtime_V1_RuntimeStatus {
        try await call { try await runtime.status(Runtime_V1_StatusRequest(), options: options(.seconds(5))).status }
    }

    package func runPodSandbox(_ config: Runtime_V1_PodSandboxConfig) async throws(ContainerRuntimeError) -> String {
        var request = Runtime_V1_RunPodSandboxRequest()
        request.config = config
        return try await call { [request] in try await runtime.runPodSandbox(request, options: options()).podSandboxID }
    }

    package func stopPodSandbox(_ id: String) async throws(ContainerRuntimeError) {
        var request = Runtime_V1_StopPodSandboxRequest()
        request.podSandboxID = id
        _ = try await call { [request] in try await runtime.stopPodSandbox(request, options: options()) }
    }

    package func removePodSandbox(_ id: String) async throws(ContainerRuntimeError) {
        var request = Runtime_V1_RemovePodSandboxRequest()
        request.podSandboxID = id
        _ = try await call { [request] in try await runtime.removePodSandbox(request, options: options()) }
    }

    package func podSandboxStatus(_ id: String) async throws(ContainerRuntimeError) -> Runtime_V1_PodSandboxStatus {
        var request = Runtime_V1_PodSandboxStatusRequest()
        request.podSandboxID = id
        return try await call { [request] in try await runtime.podSandboxStatus(request, options: options()).status }
    }

    package func listPodSandboxes(_ filter: Runtime_V1_PodSandboxFilter) async throws(ContainerRuntimeError) -> [Runtime_V1_PodSandbox] {
        var request = Runtime_V1_ListPodSandboxRequest()
        request.filter = filter
        return try await call { [request] in try await runtime.listPodSandbox(request, options: options()).items }
    }

    package func createContainer(in sandbox: String, _ config: Runtime_V1_ContainerConfig,
                                 sandboxConfig: Runtime_V1_PodSandboxConfig) async throws(ContainerRuntimeError) -> String {
        var request = Runtime_V1_CreateContainerRequest()
        request.podSandboxID = sandbox
        request.config = config
        request.sandboxConfig = sandboxConfig
        return try await call { [request] in try await runtime.createContainer(request, options: options()).containerID }
    }

    package func startContainer(_ id: String) async throws(ContainerRuntimeError) {
        var request = Runtime_V1_StartContainerRequest()
        request.containerID = id
        _ = try await call { [request] in try await runtime.startContainer(request, options: options()) }
    }

    package func stopContainer(_ id: String, timeout seconds: Int64) async throws(ContainerRuntimeError) {
        var request = Runtime_V1_StopContainerRequest()
        request.containerID = id
        request.timeout = seconds
        // The runtime waits out the grace period before it answers.
        _ = try await call { [request] in try await runtime.stopContainer(request, options: options(timeout + .seconds(seconds))) }
    }

    package func removeContainer(_ id: String) async throws(ContainerRuntimeError) {
        var request = Runtime_V1_RemoveContainerRequest()
        request.containerID = id
        _ = try await call { [request] in try await runtime.removeContainer(request, options: options()) }
    }

    package func listContainers(_ filter: Runtime_V1_ContainerFilter) async throws(ContainerRuntimeError) -> [Runtime_V1_Container] {
        var request = Runtime_V1_ListContainersRequest()
        request.filter = filter
        return try await call { [request] in try await runtime.listContainers(request, options: options()).containers }
    }

    package func containerStatus(_ id: String) async throws(ContainerRuntimeError) -> Runtime_V1_ContainerStatus {
        var request = Runtime_V1_ContainerStatusRequest()
        request.containerID = id
        return try await call { [request] in try await runtime.containerStatus(request, options: options()).status }
    }

    package func reopenContainerLog(_ id: String) async throws(ContainerRuntimeError) {
        var request = Runtime_V1_ReopenContainerLogRequest()
        request.containerID = id
        _ = try await call { [request] in try await runtime.reopenContainerLog(request, options: options()) }
    }

    package func execSync(_ id: String, command: [String], timeout seconds: Int64) async throws(ContainerRuntimeError) -> Runtime_V1_ExecSyncResponse {
        var request = Runtime_V1_ExecSyncRequest()
        request.containerID = id
        request.cmd = command
        request.timeout = seconds
        let deadline: Duration? = seconds > 0 ? .seconds(seconds) + .seconds(5) : .seconds(24 * 3600)
        return try await call { [request] in try await runtime.execSync(request, options: options(deadline)) }
    }

    package func exec(_ request: Runtime_V1_ExecRequest) async throws(ContainerRuntimeError) -> String {
        try await call { [request] in try await runtime.exec(request, options: options()).url }
    }

    package func attach(_ request: Runtime_V1_AttachRequest) async throws(ContainerRuntimeError) -> String {
        try await call { [request] in try await runtime.attach(request, options: options()).url }
    }

    package func portForward(sandbox: String, ports: [Int32]) async throws(ContainerRuntimeError) -> String {
        var request = Runtime_V1_PortForwardRequest()
        request.podSandboxID = sandbox
        request.port = ports
        return try await call { [request] in try await runtime.portForward(request, options: options()).url }
    }

    package func containerStats(_ filter: Runtime_V1_ContainerStatsFilter) async throws(ContainerRuntimeError) -> [Runtime_V1_ContainerStats] {
        var request = Runtime_V1_ListContainerStatsRequest()
        request.filter = filter
        return try await call { [request] in try await runtime.listContainerStats(request, options: options()).stats }
    }

    package func imageStatus(_ image: String) async throws(ContainerRuntimeError) -> Runtime_V1_Image? {
        var request = Runtime_V1_ImageStatusRequest()
        request.image.image = image
        let response = try await call { [request] in try await images.imageStatus(request, options: options()) }
        return response.hasImage ? response.image : nil
    }

    package func pullImage(_ image: String, sandboxConfig: Runtime_V1_PodSandboxConfig) async throws(ContainerRuntimeError) -> String {
        var request = Runtime_V1_PullImageRequest()
        request.image.image = image
        request.sandboxConfig = sandboxConfig
        // A pull may take long; the kubelet's own default is two minutes without progress, this is the whole pull.
        return try await call { [request] in try await images.pullImage(request, options: options(.seconds(600))).imageRef }
    }

    package func listImages() async throws(ContainerRuntimeError) -> [Runtime_V1_Image] {
        try await call { try await images.listImages(Runtime_V1_ListImagesRequest(), options: options()).images }
    }

    package func removeImage(_ image: String) async throws(ContainerRuntimeError) {
        var request = Runtime_V1_RemoveImageRequest()
        request.image.image = image
        _ = try await call { [request] in try await images.removeImage(request, options: options()) }
    }
}
