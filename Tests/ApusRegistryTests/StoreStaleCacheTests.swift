import ApusMachinery
import ApusRegistry
import ApusStorage
import Logging
import Testing

/// Updates start from the watch cache's copy; these run against a cache that never follows the
/// backend, so every copy it has is stale, and check that no verdict is taken from it.
@Suite("Store: updates from a stale cache")
struct StoreStaleCacheTests {
    static let key = "/registry/core/configmaps/default/a"

    /// A registry whose cache holds version 1 of configmap `a` while the backend holds version 2
    /// (data key "backend"). Returns the registry and the backend's revision of version 2.
    static func staleRegistry() async throws -> (Registry, MemoryBackend, Int64) {
        let backend = MemoryBackend()
        let first: JSON = ["apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": ["name": "a", "namespace": "default", "uid": "u-1", "creationTimestamp": "2023-11-14T22:13:20Z"],
                           "data": ["key": "cache"]]
        let created = try await backend.create(key, value: first.serialized())
        let registry = try Registry(backend: backend, clock: TestClock(time: Harness.now), serviceCIDR: "10.43.0.0/16",
                                    logger: Logger(label: "test"))
        try await registry.load()  // not run: the cache stays at this revision
        var second = first
        second["data"] = ["key": "backend"]
        let latest = try await backend.update(key, value: second.serialized(), expectedRevision: created)
        #expect(await registry.store.cache.get(key)?.revision == created)
        return (registry, backend, latest)
    }

    static func configMaps(_ registry: Registry) async throws -> ResourceDefinition {
        try #require(await registry.catalog.lookup(group: "", version: "v1", resource: "configmaps"))
    }

    @Test func aPatchAppliesToTheStoredVersionNotTheCachedOne() async throws {
        let (registry, backend, latest) = try await Self.staleRegistry()
        let def = try await Self.configMaps(registry)
        let (updated, _) = try await registry.store.update(def, namespace: "default", name: "a", mode: .transform { object in
            var changed = object
            changed[path: ["data", "added"]] = "yes"
            return changed
        }, options: WriteOptions())
        #expect(updated["data"] == ["key": "backend", "added": "yes"])
        let stored = try #require(try await backend.get(Self.key))
        #expect(stored.modRevision > latest)
        #expect(try JSON.parse(stored.value)["data"] == ["key": "backend", "added": "yes"])
    }

    @Test func theStoredResourceVersionIsNotAConflict() async throws {
        let (registry, backend, latest) = try await Self.staleRegistry()
        let def = try await Self.configMaps(registry)
        var body = try JSON.parse(try #require(try await backend.get(Self.key)).value)
        body[path: ["metadata", "resourceVersion"]] = .string(String(latest))
        body["data"] = ["key": "replaced"]
        let (updated, _) = try await registry.store.update(def, namespace: "default", name: "a", mode: .replace(body), options: WriteOptions())
        #expect(updated["data"]["key"] == "replaced")
        #expect(try JSON.parse(try #require(try await backend.get(Self.key)).value)["data"]["key"] == "replaced")
    }

    @Test func theCachedResourceVersionIsStillAConflict() async throws {
        let (registry, _, latest) = try await Self.staleRegistry()
        let def = try await Self.configMaps(registry)
        let body: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a", "resourceVersion": .string(String(latest - 1))],
                          "data": ["key": "replaced"]]
        let error = await apiError {
            _ = try await registry.store.update(def, namespace: "default", name: "a", mode: .replace(body), options: WriteOptions())
        }
        #expect(error?.code == 409)
    }

    @Test func aChangeThatMatchesOnlyTheCachedCopyIsWritten() async throws {
        let (registry, backend, latest) = try await Self.staleRegistry()
        let def = try await Self.configMaps(registry)
        let (updated, _) = try await registry.store.update(def, namespace: "default", name: "a", mode: .transform { object in
            var changed = object
            changed[path: ["data", "key"]] = "cache"  // what the stale copy already says
            return changed
        }, options: WriteOptions())
        #expect(updated["data"]["key"] == "cache")
        let stored = try #require(try await backend.get(Self.key))
        #expect(stored.modRevision > latest)
        #expect(try JSON.parse(stored.value)["data"]["key"] == "cache")
    }
}
