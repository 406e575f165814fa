import ApusMachinery
import ApusRegistry
import ApusStorage
import Logging
import Testing

@Suite("Bootstrap")
struct BootstrapTests {
    @Test("system namespaces, the kubernetes service and its endpoints exist")
    func bootstrapped() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let namespaces = try await h.def("namespaces")
        for name in Bootstrap.systemNamespaces {
            let ns = try await h.get(namespaces, nil, name)
            #expect(ns["status"]["phase"] == "Active")
        }
        let service = try await h.get(h.def("services"), "default", "kubernetes")
        #expect(service["spec"]["clusterIP"] == "10.43.0.1")
        #expect(service["spec"]["ports"][0]["targetPort"] == 6443)
        let endpoints = try await h.get(h.def("endpoints"), "default", "kubernetes")
        #expect(endpoints["subsets"][0]["addresses"][0]["ip"] == .string(Harness.advertiseAddress))
    }

    @Test("ensure is idempotent")
    func idempotent() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let before = await h.backend.currentRevision()
        try await Bootstrap.ensure(registry: h.registry, advertiseAddress: Harness.advertiseAddress, port: 6443)
        #expect(await h.backend.currentRevision() == before)
    }

    @Test("a new advertise address updates the endpoints")
    func newAddress() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        try await Bootstrap.ensure(registry: h.registry, advertiseAddress: "192.0.2.20", port: 6443)
        let endpoints = try await h.get(h.def("endpoints"), "default", "kubernetes")
        #expect(endpoints["subsets"][0]["addresses"][0]["ip"] == "192.0.2.20")
    }

    @Test("without an advertise address the endpoints are not written")
    func noAdvertiseAddress() async throws {
        let registry = try Registry(backend: MemoryBackend(), clock: TestClock(time: Harness.now), serviceCIDR: "10.43.0.0/16",
                                    logger: Logger(label: "test"))
        try await registry.load()
        let runner = Task { try await registry.run() }
        defer { runner.cancel() }
        try await Bootstrap.ensure(registry: registry, advertiseAddress: nil, port: 6443)
        let services = try #require(await registry.catalog.lookup(group: "", version: "v1", resource: "services"))
        let endpoints = try #require(await registry.catalog.lookup(group: "", version: "v1", resource: "endpoints"))
        #expect((try? await registry.store.get(services, namespace: "default", name: "kubernetes")) != nil)
        #expect((try? await registry.store.get(endpoints, namespace: "default", name: "kubernetes")) == nil)
    }

    @Test("a loopback advertise address does not stop bootstrap")
    func loopbackAdvertiseAddress() async throws {
        let registry = try Registry(backend: MemoryBackend(), clock: TestClock(time: Harness.now), serviceCIDR: "10.43.0.0/16",
                                    logger: Logger(label: "test"))
        try await registry.load()
        let runner = Task { try await registry.run() }
        defer { runner.cancel() }
        // kube-apiserver keeps serving when its endpoint reconciler cannot write a loopback address.
        await #expect(throws: Never.self) {
            try await Bootstrap.ensure(registry: registry, advertiseAddress: "127.0.0.1", port: 6443)
        }
        let namespaces = try #require(await registry.catalog.lookup(group: "", version: "v1", resource: "namespaces"))
        #expect((try? await registry.store.get(namespaces, namespace: nil, name: "default")) != nil)
    }
}
