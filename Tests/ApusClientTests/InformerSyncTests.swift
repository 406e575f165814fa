import ApusControllerKit
import ApusMachinery
import Logging
import Testing
@testable import ApusClient

@Suite struct InformerSyncTests {
    /// An informer whose server never answers: nothing may wait on it forever.
    static func unreachableInformer() throws -> (Informer, APIClient) {
        // Port 1 on loopback: connections are refused at once.
        let api = try APIClient(config: ClientConfig(server: "https://127.0.0.1:1"))
        return (Informer(client: ResourceClient(api, .pods), logger: Logger(label: "test")), api)
    }

    @Test func waitingForSyncEndsWhenTheWaiterIsCancelled() async throws {
        let (informer, api) = try Self.unreachableInformer()
        defer { Task { try? await api.shutdown() } }
        let waiter = Task { await informer.waitForSync() }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await waiter.value
        #expect(await informer.hasSynced == false)
    }

    @Test func waitingForSyncEndsWhenTheInformerStops() async throws {
        let (informer, api) = try Self.unreachableInformer()
        defer { Task { try? await api.shutdown() } }
        let run = Task { try? await informer.run() }
        let waiter = Task { await informer.waitForSync() }
        try await Task.sleep(for: .milliseconds(50))
        run.cancel()
        await waiter.value
        #expect(await informer.hasSynced == false)
    }
}
