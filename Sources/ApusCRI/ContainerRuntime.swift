/// What the kubelet asks of a container runtime: CRI's RuntimeService and ImageService, in the
/// messages of CRI itself. `RemoteContainerRuntime` speaks it over gRPC to containerd; unit tests
/// use a fake.
package protocol ContainerRuntime: Sendable {
    func version() async throws(ContainerRuntimeError) -> Runtime_V1_VersionResponse
    /// The runtime's conditions (RuntimeReady, NetworkReady).
    func status() async throws(ContainerRuntimeError) -> Runtime_V1_RuntimeStatus

    func runPodSandbox(_ config: Runtime_V1_PodSandboxConfig) async throws(ContainerRuntimeError) -> String
    func stopPodSandbox(_ id: String) async throws(ContainerRuntimeError)
    func removePodSandbox(_ id: String) async throws(ContainerRuntimeError)
    func podSandboxStatus(_ id: String) async throws(ContainerRuntimeError) -> Runtime_V1_PodSandboxStatus
    func listPodSandboxes(_ filter: Runtime_V1_PodSandboxFilter) async throws(ContainerRuntimeError) -> [Runtime_V1_PodSandbox]

    func createContainer(in sandbox: String, _ config: Runtime_V1_ContainerConfig,
                         sandboxConfig: Runtime_V1_PodSandboxConfig) async throws(ContainerRuntimeError) -> String
    func startContainer(_ id: String) async throws(ContainerRuntimeError)
    /// Stops with SIGTERM, then SIGKILL after `timeout` seconds.
    func stopContainer(_ id: String, timeout: Int64) async throws(ContainerRuntimeError)
    func removeContainer(_ id: String) async throws(ContainerRuntimeError)
    func listContainers(_ filter: Runtime_V1_ContainerFilter) async throws(ContainerRuntimeError) -> [Runtime_V1_Container]
    func containerStatus(_ id: String) async throws(ContainerRuntimeError) -> Runtime_V1_ContainerStatus
    func reopenContainerLog(_ id: String) async throws(ContainerRuntimeError)

    /// Runs a command in the container and waits for it (probes, hooks); `timeout` 0 waits forever.
    func execSync(_ id: String, command: [String], timeout: Int64) async throws(ContainerRuntimeError) -> Runtime_V1_ExecSyncResponse
    /// The URL of the runtime's streaming server for an interactive session.
    func exec(_ request: Runtime_V1_ExecRequest) async throws(ContainerRuntimeError) -> String
    func attach(_ request: Runtime_V1_AttachRequest) async throws(ContainerRuntimeError) -> String
    func portForward(sandbox: String, ports: [Int32]) async throws(ContainerRuntimeError) -> String

    func containerStats(_ filter: Runtime_V1_ContainerStatsFilter) async throws(ContainerRuntimeError) -> [Runtime_V1_ContainerStats]

    /// The image as the runtime has it, or nil when it does not have it.
    func imageStatus(_ image: String) async throws(ContainerRuntimeError) -> Runtime_V1_Image?
    /// Pulls and returns the image's reference (its ID).
    func pullImage(_ image: String, sandboxConfig: Runtime_V1_PodSandboxConfig) async throws(ContainerRuntimeError) -> String
    func listImages() async throws(ContainerRuntimeError) -> [Runtime_V1_Image]
    func removeImage(_ image: String) async throws(ContainerRuntimeError)
}

/// A failed runtime call, by what the kubelet does about it.
package struct ContainerRuntimeError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// The sandbox, container or image does not exist (gRPC NOT_FOUND).
        case notFound
        /// The runtime cannot be reached or is not ready (UNAVAILABLE, or no answer in time).
        case unavailable
        /// Anything else: the runtime refused or failed the request.
        case failed
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
    package var isNotFound: Bool { kind == .notFound }
}
