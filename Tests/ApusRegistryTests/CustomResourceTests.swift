import ApusMachinery
import ApusRegistry
import ApusStorage
import Testing

@Suite("CustomResourceDefinitions")
struct CustomResourceTests {
    /// Creates the Widget CRD and waits until the catalog serves it.
    static func served(_ h: Harness) async throws -> ResourceDefinition {
        try await h.create(h.def("customresourcedefinitions", group: "apiextensions.k8s.io"), nil, Fixtures.widgetCRD)
        let catalog = h.registry.catalog
        let appeared = await eventually { await catalog.lookup(group: "example.com", version: "v1", resource: "widgets") != nil }
        #expect(appeared)
        return try await h.def("widgets", group: "example.com")
    }

    @Test("a stored CRD is established and its resource becomes served")
    func served() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let crds = try await h.def("customresourcedefinitions", group: "apiextensions.k8s.io")
        let widgets = try await Self.served(h)
        #expect(widgets.kind == "Widget")
        #expect(widgets.namespaced)
        #expect(widgets.shortNames == ["wd"])
        #expect(widgets.isCustom)
        #expect(widgets.subresources.contains(.status))
        let crd = try await h.get(crds, nil, "widgets.example.com")
        let conditions = crd["status"]["conditions"].array ?? []
        #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
        #expect(crd["status"]["acceptedNames"]["kind"] == "Widget")
        #expect(crd["status"]["storedVersions"] == ["v1"])
        #expect(crd["spec"]["names"]["listKind"] == "WidgetList")
    }

    @Test("custom objects are stored, listed and fetched")
    func customObjects() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let widgets = try await Self.served(h)
        let created = try await h.create(widgets, "default", Fixtures.widget("w1", spec: ["size": 3, "color": "red"]))
        #expect(created["apiVersion"] == "example.com/v1")
        #expect(created["kind"] == "Widget")
        #expect(created["metadata"]["generation"] == 1)
        #expect(try await h.get(widgets, "default", "w1")["spec"] == ["size": 3, "color": "red"])
        #expect(names(try await h.list(widgets, "default")) == ["w1"])
        let updated = try await h.update(widgets, "default", "w1", patch { $0[path: ["spec", "size"]] = 4 })
        #expect(updated["metadata"]["generation"] == 2)
    }

    @Test("a value of the wrong type is 422")
    func wrongType() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let widgets = try await Self.served(h)
        let error = await apiError { try await h.create(widgets, "default", Fixtures.widget("bad", spec: ["size": "big"])) }
        #expect(error?.code == 422)
        #expect(error?.reason == "Invalid")
        #expect(error?.details?.causes.first?.field == "spec.size")
        #expect(error?.message.contains("spec.size") == true)
        #expect(await h.exists(widgets, "default", "bad") == false)
        try await h.create(widgets, "default", Fixtures.widget("good", spec: ["size": 1]))
        let updateError = await apiError {
            try await h.update(widgets, "default", "good", patch { $0[path: ["spec", "color"]] = 7 })
        }
        #expect(updateError?.code == 422)
    }

    @Test("unknown fields are pruned")
    func pruning() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let widgets = try await Self.served(h)
        var body = Fixtures.widget("w", spec: ["size": 2, "unknown": "dropped", "color": "blue"])
        body["extra"] = ["anything": true]
        let created = try await h.create(widgets, "default", body)
        #expect(created["spec"] == ["size": 2, "color": "blue"])
        #expect(created["extra"].isNull)
        #expect(created["metadata"]["name"] == "w")
        #expect(try await h.get(widgets, "default", "w")["spec"]["unknown"].isNull)
    }

    @Test("status is written only through the status subresource")
    func statusSubresource() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let widgets = try await Self.served(h)
        var body = Fixtures.widget("w", spec: ["size": 1])
        body["status"] = ["ready": true]
        let created = try await h.create(widgets, "default", body)
        #expect(created["status"].isNull)
        let withStatus = try await h.update(widgets, "default", "w", patch { $0["status"] = ["ready": true, "note": "free-form"] },
                                            strategy: StatusStrategy(main: widgets.strategy))
        #expect(withStatus["status"] == ["ready": true, "note": "free-form"])
        let main = try await h.update(widgets, "default", "w", patch { $0["status"] = ["ready": false] })
        #expect(main["status"] == ["ready": true, "note": "free-form"])
    }

    @Test("an invalid CRD is 422")
    func invalidCRD() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var crd = Fixtures.widgetCRD
        crd[path: ["metadata", "name"]] = "gadgets.example.com"
        let error = await apiError { try await h.create(h.def("customresourcedefinitions", group: "apiextensions.k8s.io"), nil, crd) }
        #expect(error?.code == 422)
        #expect(error?.details?.causes.contains { $0.field == "metadata.name" } == true)
    }

    @Test("deleting the CRD stops serving its resource")
    func deleteCRD() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        _ = try await Self.served(h)
        _ = try await h.delete(h.def("customresourcedefinitions", group: "apiextensions.k8s.io"), nil, "widgets.example.com")
        let catalog = h.registry.catalog
        #expect(await eventually { await catalog.lookup(group: "example.com", version: "v1", resource: "widgets") == nil })
    }

    @Test("CRDs stored before a start are served after load")
    func servedAfterRestart() async throws {
        let backend = MemoryBackend()
        let first = try await Harness.start(backend: backend)
        _ = try await Self.served(first)
        first.stop()
        let second = try await Harness.start(backend: backend)
        defer { second.stop() }
        #expect(await second.registry.catalog.lookup(group: "example.com", version: "v1", resource: "widgets") != nil)
    }
}

@Suite("Discovery and OpenAPI documents")
struct DiscoveryTests {
    static func resource(_ document: JSON, group: String, version: String, name: String) -> JSON {
        let groupEntry = (document["items"].array ?? []).first { $0["metadata"]["name"].string == group } ?? .null
        let versionEntry = (groupEntry["versions"].array ?? []).first { $0["version"].string == version } ?? .null
        return (versionEntry["resources"].array ?? []).first { $0["resource"].string == name } ?? .null
    }

    @Test("aggregated core discovery lists pods with short names and categories")
    func corePods() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let document = DiscoveryDocuments.aggregated(await h.registry.catalog.all(), core: true)
        #expect(document["kind"] == "APIGroupDiscoveryList")
        #expect(document["apiVersion"] == "apidiscovery.k8s.io/v2")
        let pods = Self.resource(document, group: "", version: "v1", name: "pods")
        #expect(pods["shortNames"] == ["po"])
        #expect(pods["categories"] == ["all"])
        #expect(pods["scope"] == "Namespaced")
        #expect(pods["singularResource"] == "pod")
        #expect(pods["responseKind"] == ["group": "", "version": "v1", "kind": "Pod"])
        #expect((pods["verbs"].array ?? []).contains("watch"))
        let namespaces = Self.resource(document, group: "", version: "v1", name: "namespaces")
        #expect(namespaces["scope"] == "Cluster")
        // Only the core group is in the core document.
        #expect((document["items"].array ?? []).allSatisfy { $0["metadata"]["name"] == "" })
    }

    @Test("aggregated group discovery lists deployments with the scale subresource")
    func appsDeployments() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let document = DiscoveryDocuments.aggregated(await h.registry.catalog.all(), core: false)
        let deployments = Self.resource(document, group: "apps", version: "v1", name: "deployments")
        #expect(deployments["shortNames"] == ["deploy"])
        let subresources = deployments["subresources"].array ?? []
        let scale = subresources.first { $0["subresource"] == "scale" }
        #expect(scale?["responseKind"] == ["group": "autoscaling", "version": "v1", "kind": "Scale"])
        #expect(scale?["verbs"] == ["get", "patch", "update"])
        #expect(subresources.contains { $0["subresource"] == "status" })
        #expect(!(document["items"].array ?? []).contains { $0["metadata"]["name"] == "" })
    }

    @Test("autoscaling prefers v2 over v1")
    func versionOrder() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let document = DiscoveryDocuments.aggregated(await h.registry.catalog.all(), core: false)
        let autoscaling = (document["items"].array ?? []).first { $0["metadata"]["name"] == "autoscaling" }
        #expect(autoscaling?["versions"].array?.compactMap { $0["version"].string } == ["v2", "v1"])
    }

    @Test("a served CRD appears in discovery")
    func customInDiscovery() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        _ = try await CustomResourceTests.served(h)
        let document = DiscoveryDocuments.aggregated(await h.registry.catalog.all(), core: false)
        let widgets = Self.resource(document, group: "example.com", version: "v1", name: "widgets")
        #expect(widgets["shortNames"] == ["wd"])
        #expect(widgets["responseKind"]["kind"] == "Widget")
    }

    @Test("legacy resource lists name subresources")
    func legacyList() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let list = try #require(DiscoveryDocuments.apiResourceList(await h.registry.catalog.all(), group: "apps", version: "v1"))
        let names = (list["resources"].array ?? []).compactMap { $0["name"].string }
        #expect(names.contains("deployments"))
        #expect(names.contains("deployments/scale"))
        #expect(list["groupVersion"] == "apps/v1")
    }

    @Test("the OpenAPI document declares patch with its group-version-kind and fieldValidation")
    func openAPI() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let defs = await h.registry.catalog.all()
        let apps = try #require(OpenAPIDocuments.groupVersion(defs, group: "apps", version: "v1"))
        let patch = apps["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
        #expect(patch["x-kubernetes-group-version-kind"] == ["group": "apps", "version": "v1", "kind": "Deployment"])
        #expect(patch["x-kubernetes-action"] == "patch")
        #expect((patch["parameters"].array ?? []).contains { $0["name"] == "fieldValidation" && $0["in"] == "query" })

        let core = try #require(OpenAPIDocuments.groupVersion(defs, group: "", version: "v1"))
        let namespacePatch = core["paths"]["/api/v1/namespaces/{name}"]["patch"]
        #expect(namespacePatch["x-kubernetes-group-version-kind"] == ["group": "", "version": "v1", "kind": "Namespace"])
        #expect(OpenAPIDocuments.groupVersion(defs, group: "nope.example.com", version: "v1") == nil)
        let root = OpenAPIDocuments.root(defs, hash: "abc")
        #expect(root["paths"]["apis/apps/v1"]["serverRelativeURL"] == "/openapi/v3/apis/apps/v1?hash=abc")
    }
}
