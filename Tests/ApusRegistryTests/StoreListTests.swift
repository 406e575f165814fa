import ApusMachinery
import ApusRegistry
import ApusStorage
import Testing

@Suite("Store: list")
struct StoreListTests {
    @Test("items come in name order with the list's resourceVersion")
    func order() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.createNamespace("listing")
        for name in ["c", "a", "b"] { try await h.create(configMaps, "listing", Fixtures.configMap(name)) }
        let page = try await h.list(configMaps, "listing")
        #expect(names(page) == ["a", "b", "c"])
        #expect(page.resourceVersion == String(await h.backend.currentRevision()))
        #expect(page.continueToken == nil)
        #expect(page.items.allSatisfy { $0.namespace == "listing" })
        #expect(page.items.allSatisfy { resourceVersion($0.object) == $0.revision })
    }

    @Test("a namespace's list does not see other namespaces; all namespaces do")
    func namespaces() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.createNamespace("one")
        try await h.createNamespace("two")
        try await h.create(configMaps, "one", Fixtures.configMap("x"))
        try await h.create(configMaps, "two", Fixtures.configMap("y"))
        #expect(names(try await h.list(configMaps, "one")) == ["x"])
        let all = try await h.list(configMaps, nil)
        #expect(Set(names(all)).isSuperset(of: ["x", "y"]))
        let viaField = try await h.list(configMaps, nil) { $0.fieldSelector = try! FieldSelector.parse("metadata.namespace=two") }
        #expect(names(viaField) == ["y"])
    }

    @Test("label selectors")
    func labelSelectors() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pods = try await h.def("pods")
        try await h.create(pods, "default", Fixtures.pod("web-1", labels: ["app": "web", "tier": "front"]))
        try await h.create(pods, "default", Fixtures.pod("web-2", labels: ["app": "web"]))
        try await h.create(pods, "default", Fixtures.pod("db-1", labels: ["app": "db"]))
        try await h.create(pods, "default", Fixtures.pod("bare"))
        func select(_ text: String) async throws -> [String] {
            names(try await h.list(pods, "default") { $0.labelSelector = try! LabelSelector.parse(text) })
        }
        #expect(try await select("app=web") == ["web-1", "web-2"])
        #expect(try await select("app!=web") == ["bare", "db-1"])
        #expect(try await select("app in (web,db),!tier") == ["db-1", "web-2"])
        #expect(try await select("tier") == ["web-1"])
        #expect(try await select("app notin (web)") == ["bare", "db-1"])
        #expect(try await select("nothing=here") == [])
    }

    @Test("field selectors on metadata and on a kind's own fields")
    func fieldSelectors() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pods = try await h.def("pods")
        try await h.create(pods, "default", Fixtures.pod("a", nodeName: "node-1"))
        try await h.create(pods, "default", Fixtures.pod("b", nodeName: "node-2"))
        try await h.create(pods, "default", Fixtures.pod("c"))
        func select(_ text: String) async throws -> [String] {
            names(try await h.list(pods, "default") { $0.fieldSelector = try! FieldSelector.parse(text) })
        }
        #expect(try await select("metadata.name=b") == ["b"])
        #expect(try await select("metadata.name!=b") == ["a", "c"])
        #expect(try await select("spec.nodeName=node-1") == ["a"])
        #expect(try await select("spec.nodeName=") == ["c"])
        #expect(try await select("spec.nodeName!=node-1,status.phase=Pending") == ["b", "c"])
        #expect(try await select("spec.restartPolicy=Always,metadata.namespace=default") == ["a", "b", "c"])
    }

    @Test("an unsupported field is 400 for list and watch")
    func unsupportedField() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pods = try await h.def("pods")
        var options = ListOptions()
        options.fieldSelector = try FieldSelector.parse("spec.unknown=x")
        let listError = await apiError { _ = try await h.store.list(pods, namespace: "default", options: options) }
        #expect(listError?.code == 400)
        #expect(listError?.message == "field label not supported: spec.unknown")
        let watchError = await apiError { _ = try await h.store.watch(pods, namespace: "default", options: options) }
        #expect(watchError?.code == 400)
        // configmaps support only metadata fields.
        var cmOptions = ListOptions()
        cmOptions.fieldSelector = try FieldSelector.parse("spec.nodeName=x")
        let cmError = await apiError { _ = try await h.store.list(h.def("configmaps"), namespace: "default", options: cmOptions) }
        #expect(cmError?.code == 400)
    }

    @Test("pages with limit and continue are one snapshot, even across later writes")
    func pagination() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.createNamespace("paging")
        for i in 1...7 { try await h.create(configMaps, "paging", Fixtures.configMap("cm-\(i)", data: ["v": "old"])) }

        let first = try await h.list(configMaps, "paging") { $0.limit = 3 }
        #expect(names(first) == ["cm-1", "cm-2", "cm-3"])
        #expect(first.remainingItemCount == 4)
        let token1 = try #require(first.continueToken)

        // Writes after the first page must not show in later pages.
        _ = try await h.delete(configMaps, "paging", "cm-5")
        try await h.update(configMaps, "paging", "cm-6", patch { $0["data"] = ["v": "new"] })
        try await h.create(configMaps, "paging", Fixtures.configMap("cm-8"))
        try await h.create(configMaps, "paging", Fixtures.configMap("cm-0"))

        let second = try await h.list(configMaps, "paging") {
            $0.limit = 3
            $0.continueToken = token1
        }
        #expect(names(second) == ["cm-4", "cm-5", "cm-6"])
        #expect(second.resourceVersion == first.resourceVersion)
        #expect(second.items.last?.object["data"]["v"] == "old")
        let token2 = try #require(second.continueToken)

        let third = try await h.list(configMaps, "paging") {
            $0.limit = 3
            $0.continueToken = token2
        }
        #expect(names(third) == ["cm-7"])
        #expect(third.continueToken == nil)
        #expect(third.resourceVersion == first.resourceVersion)

        // A fresh list sees the new state.
        #expect(names(try await h.list(configMaps, "paging")) == ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-6", "cm-7", "cm-8"])
    }

    @Test("pagination with a label selector fills pages with matches only")
    func paginationWithSelector() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.createNamespace("paging")
        for i in 1...9 {
            try await h.create(configMaps, "paging", Fixtures.configMap("cm-\(i)", labels: ["even": i % 2 == 0 ? "yes" : "no"]))
        }
        let selector = try LabelSelector.parse("even=yes")
        var collected: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await h.list(configMaps, "paging") {
                $0.limit = 2
                $0.labelSelector = selector
                $0.continueToken = token
            }
            collected += names(page)
            token = page.continueToken
            pages += 1
        } while token != nil && pages < 10
        #expect(collected == ["cm-2", "cm-4", "cm-6", "cm-8"])
    }

    @Test("a malformed continue token is 400")
    func badContinue() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        var options = ListOptions()
        options.continueToken = "not-a-token"
        let error = await apiError { _ = try await h.store.list(configMaps, namespace: "default", options: options) }
        #expect(error?.code == 400)
    }

    @Test("a list at a resourceVersion newer than any write times out with 504")
    func futureResourceVersion() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        let future = await h.backend.currentRevision() + 1_000
        let outcome = ListOutcome()
        // Not a child task: if the list never returns, the test must still end.
        let task = Task {
            var options = ListOptions()
            options.resourceVersion = String(future)
            let error = await apiError { _ = try await h.store.list(configMaps, namespace: "default", options: options) }
            await outcome.finish(error)
        }
        defer { task.cancel() }
        var finished = false
        for _ in 0..<500 {
            if await outcome.done { finished = true; break }
            try await Task.sleep(for: .milliseconds(10))
        }
        // Kubernetes waits about 3 s, then answers "Too large resource version" with 504.
        #expect(finished, "the list did not return within 5 s")
        #expect(await outcome.error?.code == 504)
    }
}

private actor ListOutcome {
    var done = false
    var error: APIError?
    func finish(_ error: APIError?) {
        self.error = error
        done = true
    }
}
