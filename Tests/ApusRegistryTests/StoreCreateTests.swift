import ApusMachinery
import ApusRegistry
import ApusStorage
import Testing

@Suite("Store: create")
struct StoreCreateTests {
    @Test("create sets uid, creationTimestamp, resourceVersion, kind and apiVersion")
    func systemFields() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        var body = Fixtures.configMap("a")
        body["kind"] = .null
        body["apiVersion"] = .null
        let created = try await h.create(configMaps, "default", body)
        let metadata = created["metadata"]
        let uid = try #require(metadata["uid"].string)
        #expect(uid.count == 36)
        #expect(uid == uid.lowercased())
        #expect(metadata["creationTimestamp"] == "2023-11-14T22:13:20Z")
        #expect(metadata["namespace"] == "default")
        #expect(resourceVersion(created) == (await h.backend.currentRevision()))
        #expect(metadata["generation"].isNull)
        #expect(created["kind"] == "ConfigMap")
        #expect(created["apiVersion"] == "v1")
        #expect(try await h.get(configMaps, "default", "a") == created)

        let other = try await h.create(configMaps, "default", Fixtures.configMap("b"))
        #expect(other["metadata"]["uid"] != metadata["uid"])
        #expect(try #require(resourceVersion(other)) > (try #require(resourceVersion(created))))
    }

    @Test("kinds that track generation start at 1")
    func generationStarts() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let created = try await h.create(h.def("deployments", group: "apps"), "default", Fixtures.deployment("web"))
        #expect(created["metadata"]["generation"] == 1)
    }

    @Test("server-owned metadata in the body is replaced")
    func clientMetadataIgnored() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var body = Fixtures.configMap("a")
        body[path: ["metadata", "uid"]] = "not-a-real-uid"
        body[path: ["metadata", "resourceVersion"]] = "12345"
        body[path: ["metadata", "creationTimestamp"]] = "2001-01-01T00:00:00Z"
        body[path: ["metadata", "deletionTimestamp"]] = "2001-01-01T00:00:00Z"
        let created = try await h.create(h.def("configmaps"), "default", body)
        #expect(created["metadata"]["uid"] != "not-a-real-uid")
        #expect(created["metadata"]["resourceVersion"] != "12345")
        #expect(created["metadata"]["creationTimestamp"] == "2023-11-14T22:13:20Z")
        #expect(created["metadata"]["deletionTimestamp"].isNull)
    }

    @Test("generateName gets a random five-character suffix")
    func generateName() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        var body = Fixtures.configMap("")
        body[path: ["metadata", "name"]] = .null
        body[path: ["metadata", "generateName"]] = "web-"
        let first = try await h.create(configMaps, "default", body)
        let second = try await h.create(configMaps, "default", body)
        let name = try #require(first["metadata"]["name"].string)
        #expect(name.hasPrefix("web-"))
        #expect(name.count == 9)
        #expect(name.dropFirst(4).allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(first["metadata"]["name"] != second["metadata"]["name"])
        #expect(first["metadata"]["generateName"] == "web-")
        #expect(try await h.get(configMaps, "default", name)["metadata"]["uid"] == first["metadata"]["uid"])
    }

    @Test("the namespace must exist")
    func missingNamespace() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        let error = await apiError { try await h.create(configMaps, "nowhere", Fixtures.configMap("a")) }
        #expect(error?.code == 404)
        #expect(error?.reason == "NotFound")
        #expect(error?.message == #"namespaces "nowhere" not found"#)
    }

    @Test("a terminating namespace refuses new objects with 403")
    func terminatingNamespace() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.createNamespace("doomed")
        try await h.create(configMaps, "doomed", Fixtures.configMap("before"))
        guard case .pending = try await h.delete(h.def("namespaces"), nil, "doomed") else {
            Issue.record("namespace deletion should be pending")
            return
        }
        _ = try await h.get(h.def("namespaces"), nil, "doomed")
        let error = await apiError { try await h.create(configMaps, "doomed", Fixtures.configMap("after")) }
        #expect(error?.code == 403)
        #expect(error?.reason == "Forbidden")
        #expect(error?.message.contains("because it is being terminated") == true)
        #expect(error?.details?.causes.first?.reason == "NamespaceTerminating")
    }

    @Test("a namespace in the body that differs from the request's is 400")
    func namespaceMismatch() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        try await h.createNamespace("other")
        var body = Fixtures.configMap("a")
        body[path: ["metadata", "namespace"]] = "other"
        let error = await apiError { try await h.create(h.def("configmaps"), "default", body) }
        #expect(error?.code == 400)
        #expect(error?.message == "the namespace of the provided object does not match the namespace sent on the request")
        #expect(await h.exists(try await h.def("configmaps"), "other", "a") == false)
    }

    @Test("the same namespace in the body is accepted")
    func namespaceMatch() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var body = Fixtures.configMap("a")
        body[path: ["metadata", "namespace"]] = "default"
        let created = try await h.create(h.def("configmaps"), "default", body)
        #expect(created["metadata"]["namespace"] == "default")
    }

    @Test("a cluster-scoped object drops a namespace")
    func clusterScoped() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var body = Fixtures.namespace("plain")
        body[path: ["metadata", "namespace"]] = "default"
        let created = try await h.create(h.def("namespaces"), nil, body)
        #expect(created["metadata"]["namespace"].isNull)
    }

    @Test("a second create of the same name is 409 AlreadyExists")
    func alreadyExists() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.create(configMaps, "default", Fixtures.configMap("a"))
        let error = await apiError { try await h.create(configMaps, "default", Fixtures.configMap("a")) }
        #expect(error?.code == 409)
        #expect(error?.reason == "AlreadyExists")
        #expect(error?.message == #"configmaps "a" already exists"#)
        let deployments = try await h.def("deployments", group: "apps")
        try await h.create(deployments, "default", Fixtures.deployment("web"))
        let again = await apiError { try await h.create(deployments, "default", Fixtures.deployment("web")) }
        #expect(again?.message == #"deployments.apps "web" already exists"#)
    }

    @Test("a body of another kind or group is 400")
    func wrongKind() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        var secret = Fixtures.configMap("a")
        secret["kind"] = "Secret"
        let kindError = await apiError { try await h.create(configMaps, "default", secret) }
        #expect(kindError?.code == 400)
        var wrongGroup = Fixtures.configMap("b")
        wrongGroup["apiVersion"] = "apps/v1"
        let groupError = await apiError { try await h.create(configMaps, "default", wrongGroup) }
        #expect(groupError?.code == 400)
        #expect(groupError?.message.contains("does not match the expected API version") == true)
    }

    @Test("an invalid object is 422 and is not stored")
    func invalid() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pods = try await h.def("pods")
        var pod = Fixtures.pod("bad")
        pod[path: ["spec", "containers"]] = []
        let error = await apiError { try await h.create(pods, "default", pod) }
        #expect(error?.code == 422)
        #expect(error?.reason == "Invalid")
        #expect(error?.message.hasPrefix(#"Pod "bad" is invalid: "#) == true)
        #expect(error?.details?.causes.isEmpty == false)
        #expect(await h.exists(pods, "default", "bad") == false)
    }

    @Test("an object without name or generateName is 422")
    func nameRequired() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var body = Fixtures.configMap("")
        body[path: ["metadata", "name"]] = .null
        let error = await apiError { try await h.create(h.def("configmaps"), "default", body) }
        #expect(error?.code == 422)
        #expect(error?.message == #"ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required"#)
    }

    @Test("dryRun returns the object and stores nothing")
    func dryRun() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        let before = await h.backend.currentRevision()
        let object = try await h.create(configMaps, "default", Fixtures.configMap("dry"), dryRun: true)
        #expect(object["metadata"]["name"] == "dry")
        #expect(object["metadata"]["uid"].string != nil)
        #expect(object["metadata"]["resourceVersion"].isNull)
        #expect(await h.backend.currentRevision() == before)
        #expect(await h.exists(configMaps, "default", "dry") == false)
        // A dry run still reports what a real create would.
        let error = await apiError { try await h.create(configMaps, "nowhere", Fixtures.configMap("dry"), dryRun: true) }
        #expect(error?.code == 404)
    }

    @Test("get of a missing object is 404 with Kubernetes' message")
    func getMissing() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let error = await apiError { _ = try await h.get(h.def("deployments", group: "apps"), "default", "ghost") }
        #expect(error?.code == 404)
        #expect(error?.message == #"deployments.apps "ghost" not found"#)
    }

    @Test("an object can be created right after its namespace")
    func createRightAfterNamespace() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let namespaces = try await h.def("namespaces")
        let configMaps = try await h.def("configmaps")
        for i in 0..<10 {
            // As `kubectl apply -f` does with a file holding a Namespace and then objects in it.
            try await h.create(namespaces, nil, Fixtures.namespace("fresh-\(i)"))
            let error = await apiError { try await h.create(configMaps, "fresh-\(i)", Fixtures.configMap("first")) }
            #expect(error == nil, "round \(i): \(String(describing: error))")
        }
    }

    @Test("an object cannot be created right after its namespace began terminating")
    func createRightAfterNamespaceDeletion() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let namespaces = try await h.def("namespaces")
        let configMaps = try await h.def("configmaps")
        for i in 0..<10 {
            try await h.createNamespace("ending-\(i)")
            _ = try await h.delete(namespaces, nil, "ending-\(i)")
            let error = await apiError { try await h.create(configMaps, "ending-\(i)", Fixtures.configMap("late")) }
            #expect(error?.code == 403, "round \(i): \(String(describing: error))")
        }
    }
}
