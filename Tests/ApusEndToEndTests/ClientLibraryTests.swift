import ApusControllerKit
import ApusClient
import ApusMachinery
import Foundation
import Logging
import Testing

/// The client library against a real server: informers that follow changes (also across a server
/// crash), leader election on a Lease, and an event recorder that counts repeats.
@Suite struct ClientLibraryTests {
    static func client(_ apus: ApusProcess) throws -> APIClient {
        try APIClient(config: try ClientConfig.kubeconfig(path: apus.kubeconfig, userAgent: "apus-e2e"))
    }

    /// Polls until `condition` holds (or fails the test after `seconds`).
    static func eventually(_ seconds: Double = 10, _ what: String, _ condition: () async throws -> Bool,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
    }

    @Test func informerFollowsChangesAndSurvivesAServerCrash() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let api = try Self.client(apus)
        defer { Task { try? await api.shutdown() } }
        let configMaps = ResourceClient(api, .configMaps)
        _ = try await configMaps.create(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "before"], "data": ["k": "v"]],
                                        namespace: "default")
        let informer = Informer(client: configMaps, namespace: "default", indexers: ["data-k": { [$0["data"]["k"].string ?? ""] }],
                                logger: Logger(label: "test"))
        let running = Task { try await informer.run() }
        defer { running.cancel() }
        await informer.waitForSync()
        #expect(await informer.get("default/before")?["data"]["k"] == "v")

        let changes = await informer.changes()
        var iterator = changes.makeAsyncIterator()
        if case .added(let object)? = await iterator.next() { #expect(object["metadata"]["name"] == "before") } else { Issue.record("no replay") }

        try await apus.ok("create", "configmap", "after", "--from-literal=k=w")
        guard case .added(let added)? = await iterator.next() else { Issue.record("no ADDED"); return }
        #expect(added["metadata"]["name"] == "after")
        #expect(await informer.byIndex("data-k", "w").map { $0["metadata"]["name"] } == ["after"])
        try await apus.ok("label", "configmap", "after", "x=y")
        guard case .updated(let old, let new)? = await iterator.next() else { Issue.record("no MODIFIED"); return }
        #expect(old["metadata"]["labels"].isNull && new["metadata"]["labels"]["x"] == "y")
        try await apus.ok("delete", "configmap", "before")
        guard case .deleted(let deleted)? = await iterator.next() else { Issue.record("no DELETED"); return }
        #expect(deleted["metadata"]["name"] == "before")

        apus.kill9()
        try await apus.restart()
        try await apus.ok("create", "configmap", "after-crash")
        try await Self.eventually(20, "the informer to see a change made after the restart") {
            await informer.get("default/after-crash") != nil
        }
        #expect(await informer.get("default/before") == nil)
    }

    @Test func oneLeaderAtATimeAndTakeOverAfterExpiry() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let api = try Self.client(apus)
        defer { Task { try? await api.shutdown() } }
        let leading = Leaders()
        let first = Task { await Self.candidate(api, "a").run { await leading.add("a"); try? await Task.sleep(for: .seconds(3600)) } }
        try await Self.eventually(30, "a to lead") { await leading.names == ["a"] }
        let second = Task { await Self.candidate(api, "b").run { await leading.add("b"); try? await Task.sleep(for: .seconds(3600)) } }
        defer { second.cancel() }
        try await Task.sleep(for: .seconds(3))
        #expect(await leading.names == ["a"], "b waits while a renews")
        #expect(try await apus.ok("get", "lease", "e2e-lock", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}") == "a")

        first.cancel()  // a stops renewing; b takes over once the lease has expired
        try await Self.eventually(60, "b to take over") { await leading.names == ["a", "b"] }
        #expect(try await apus.ok("get", "lease", "e2e-lock", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity} {.spec.leaseTransitions}") == "b 1")
    }

    static func candidate(_ api: APIClient, _ identity: String) -> LeaderElection {
        var election = LeaderElection(api: api, name: "e2e-lock", identity: identity, logger: Logger(label: identity))
        // Generous against a loaded test machine (many servers with their controllers at once): a
        // renewal may be late by seconds, never by fifteen.
        election.leaseDuration = 15
        election.renewDeadline = 10
        election.retryPeriod = 0.5
        return election
    }

    actor Leaders {
        var names: [String] = []
        func add(_ name: String) { names.append(name) }
    }

    @Test func repeatedEventsAreCountedNotDuplicated() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let api = try Self.client(apus)
        defer { Task { try? await api.shutdown() } }
        let configMap = try await ResourceClient(api, .configMaps).create(
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "watched"]], namespace: "default")
        let recorder = EventRecorder(api: api, component: "e2e-controller", host: "node-1", logger: Logger(label: "events"))
        await recorder.record(configMap, type: "Normal", reason: "Synced", message: "synced once")
        await recorder.record(configMap, type: "Normal", reason: "Synced", message: "synced once")
        await recorder.record(configMap, type: "Warning", reason: "Failed", message: "it broke")
        let events = try await apus.ok("get", "events", "-o",
                                       "jsonpath={range .items[*]}{.reason}/{.count}/{.involvedObject.name}/{.source.component};{end}")
        #expect(events.split(separator: ";").sorted() == ["Failed/1/watched/e2e-controller", "Synced/2/watched/e2e-controller"])
    }
}
