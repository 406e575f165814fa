import ApusMachinery
import ApusRegistry
import ApusStorage
import Testing

@Suite("Store: update")
struct StoreUpdateTests {
    @Test("replace with the current resourceVersion writes a new version")
    func replace() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        let created = try await h.create(configMaps, "default", Fixtures.configMap("a"))
        var body = created
        body["data"] = ["key": "changed"]
        let updated = try await h.update(configMaps, "default", "a", .replace(body))
        #expect(updated["data"]["key"] == "changed")
        #expect(try #require(resourceVersion(updated)) > (try #require(resourceVersion(created))))
        #expect(updated["metadata"]["uid"] == created["metadata"]["uid"])
        #expect(updated["metadata"]["creationTimestamp"] == created["metadata"]["creationTimestamp"])
        #expect(try await h.get(configMaps, "default", "a") == updated)
    }

    @Test("a stale resourceVersion is 409 Conflict")
    func staleResourceVersion() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        let created = try await h.create(configMaps, "default", Fixtures.configMap("a"))
        var first = created
        first["data"] = ["key": "one"]
        try await h.update(configMaps, "default", "a", .replace(first))
        var second = created
        second["data"] = ["key": "two"]
        let error = await apiError { try await h.update(configMaps, "default", "a", .replace(second)) }
        #expect(error?.code == 409)
        #expect(error?.reason == "Conflict")
        #expect(error?.message == #"Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again"#)
        #expect(try await h.get(configMaps, "default", "a")["data"]["key"] == "one")
    }

    @Test("a transform that names a stale resourceVersion is 409 too")
    func staleTransform() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.create(configMaps, "default", Fixtures.configMap("a"))
        let error = await apiError {
            try await h.update(configMaps, "default", "a", patch { $0[path: ["metadata", "resourceVersion"]] = "1" })
        }
        #expect(error?.code == 409)
    }

    @Test("unconditional updates are retried until each applies")
    func unconditionalRetries() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.create(configMaps, "default", Fixtures.configMap("counter", data: [:]))
        let writers = 8
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<writers {
                group.addTask {
                    try await h.update(configMaps, "default", "counter", patch { $0[path: ["data", "writer-\(i)"]] = "done" })
                }
            }
            try await group.waitForAll()
        }
        let data = try await h.get(configMaps, "default", "counter")["data"].object ?? [:]
        #expect(data.count == writers)
    }

    @Test("a replace without resourceVersion is unconditional")
    func unconditionalReplace() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.create(configMaps, "default", Fixtures.configMap("a"))
        try await h.update(configMaps, "default", "a", patch { $0["data"] = ["key": "v2"] })
        let updated = try await h.update(configMaps, "default", "a", .replace(Fixtures.configMap("a", data: ["key": "v3"])))
        #expect(updated["data"]["key"] == "v3")
    }

    @Test("an update that changes nothing keeps the resourceVersion and writes nothing")
    func noOp() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        let created = try await h.create(configMaps, "default", Fixtures.configMap("a"))
        let before = await h.backend.currentRevision()
        let replaced = try await h.update(configMaps, "default", "a", .replace(created))
        #expect(replaced["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"])
        let patched = try await h.update(configMaps, "default", "a", patch { $0["data"] = ["key": "value"] })
        #expect(patched["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"])
        #expect(await h.backend.currentRevision() == before)
    }

    @Test("generation is bumped only when the spec changes")
    func generation() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let deployments = try await h.def("deployments", group: "apps")
        try await h.create(deployments, "default", Fixtures.deployment("web"))
        let labelled = try await h.update(deployments, "default", "web", patch { $0[path: ["metadata", "labels", "team"]] = "a" })
        #expect(labelled["metadata"]["generation"] == 1)
        let scaled = try await h.update(deployments, "default", "web", patch { $0[path: ["spec", "replicas"]] = 5 })
        #expect(scaled["metadata"]["generation"] == 2)
        // A client cannot set the generation itself.
        let forged = try await h.update(deployments, "default", "web", patch { $0[path: ["metadata", "generation"]] = 42 })
        #expect(forged["metadata"]["generation"] == 2)
        let annotated = try await h.update(deployments, "default", "web", patch { $0[path: ["metadata", "annotations", "x"]] = "y" })
        #expect(annotated["metadata"]["generation"] == 2)
        let image = try await h.update(deployments, "default", "web", patch {
            $0[path: ["spec", "template", "spec", "containers"]] = [["name": "app", "image": "nginx:1.27"]]
        })
        #expect(image["metadata"]["generation"] == 3)
    }

    @Test("the status strategy changes only status")
    func statusStrategy() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let deployments = try await h.def("deployments", group: "apps")
        try await h.create(deployments, "default", Fixtures.deployment("web", replicas: 2))
        let status = StatusStrategy(main: deployments.strategy)
        let updated = try await h.update(deployments, "default", "web", patch {
            $0["status"] = ["replicas": 2, "readyReplicas": 1]
            $0[path: ["spec", "replicas"]] = 9
            $0[path: ["metadata", "labels", "sneaky"]] = "yes"
        }, strategy: status)
        #expect(updated["status"] == ["replicas": 2, "readyReplicas": 1])
        #expect(updated["spec"]["replicas"] == 2)
        #expect(updated["metadata"]["labels"]["sneaky"].isNull)
        #expect(updated["metadata"]["generation"] == 1)
        #expect(try await h.get(deployments, "default", "web")["status"]["readyReplicas"] == 1)
    }

    @Test("a main-resource update keeps the stored status")
    func mainUpdateKeepsStatus() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let deployments = try await h.def("deployments", group: "apps")
        try await h.create(deployments, "default", Fixtures.deployment("web"))
        try await h.update(deployments, "default", "web", patch { $0["status"] = ["replicas": 2] },
                           strategy: StatusStrategy(main: deployments.strategy))
        let updated = try await h.update(deployments, "default", "web", patch {
            $0["status"] = ["replicas": 100]
            $0[path: ["spec", "replicas"]] = 3
        })
        #expect(updated["status"] == ["replicas": 2])
        #expect(updated["spec"]["replicas"] == 3)
        var replaced = Fixtures.deployment("web", replicas: 4)
        replaced["status"] = .null
        let afterReplace = try await h.update(deployments, "default", "web", .replace(replaced))
        #expect(afterReplace["status"] == ["replicas": 2])
    }

    @Test("status given on create is cleared for kinds with a status subresource")
    func statusClearedOnCreate() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var body = Fixtures.deployment("web")
        body["status"] = ["replicas": 7]
        let created = try await h.create(h.def("deployments", group: "apps"), "default", body)
        #expect(created["status"]["replicas"].isNull)
    }

    @Test("updating a missing object is 404, unless the kind creates on update")
    func missing() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let error = await apiError {
            try await h.update(h.def("configmaps"), "default", "ghost", .replace(Fixtures.configMap("ghost")))
        }
        #expect(error?.code == 404)
        #expect(error?.message == #"configmaps "ghost" not found"#)
        let endpoints = try await h.def("endpoints")
        let body: JSON = ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "fresh"], "subsets": []]
        let (object, created) = try await h.store.update(endpoints, namespace: "default", name: "fresh", mode: .replace(body),
                                                         options: WriteOptions())
        #expect(created)
        #expect(object["metadata"]["uid"].string != nil)
    }

    @Test("a different name in the body is 400")
    func nameMismatch() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.create(configMaps, "default", Fixtures.configMap("a"))
        let error = await apiError { try await h.update(configMaps, "default", "a", .replace(Fixtures.configMap("b"))) }
        #expect(error?.code == 400)
        #expect(error?.message == "the name of the object (b) does not match the name on the URL (a)")
        var elsewhere = Fixtures.configMap("a")
        elsewhere[path: ["metadata", "namespace"]] = "kube-system"
        let nsError = await apiError { try await h.update(configMaps, "default", "a", .replace(elsewhere)) }
        #expect(nsError?.code == 400)
    }

    @Test("uid and creationTimestamp survive a replace that omits them")
    func systemFieldsCarried() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        let created = try await h.create(configMaps, "default", Fixtures.configMap("a"))
        let updated = try await h.update(configMaps, "default", "a", .replace(Fixtures.configMap("a", data: ["x": "y"])))
        #expect(updated["metadata"]["uid"] == created["metadata"]["uid"])
        #expect(updated["metadata"]["creationTimestamp"] == created["metadata"]["creationTimestamp"])
    }
}
