import ApusMachinery
import ApusRegistry
import ApusStorage
import Testing

@Suite("Store: watch")
struct StoreWatchTests {
    @Test("a watch from a revision replays the later events, then follows live ones")
    func replayFromRevision() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.createNamespace("watching")
        let a = try await h.create(configMaps, "watching", Fixtures.configMap("a"))
        try await h.create(configMaps, "watching", Fixtures.configMap("b"))
        try await h.update(configMaps, "watching", "a", patch { $0["data"] = ["key": "changed"] })
        _ = try await h.delete(configMaps, "watching", "b")
        try await h.create(configMaps, "default", Fixtures.configMap("elsewhere"))

        var options = ListOptions()
        options.resourceVersion = a["metadata"]["resourceVersion"].string
        let (initial, stream) = try await h.store.watch(configMaps, namespace: "watching", options: options)
        #expect(initial.isEmpty)
        let recorder = WatchRecorder(stream)
        defer { recorder.stop() }
        let replayed = await recorder.events(atLeast: 3)
        #expect(replayed.map(\.type) == [.added, .modified, .deleted])
        #expect(replayed.map { $0.object["metadata"]["name"].string ?? "" } == ["b", "a", "b"])
        #expect(replayed[1].object["data"]["key"] == "changed")

        let c = try await h.create(configMaps, "watching", Fixtures.configMap("c"))
        let live = await recorder.events(atLeast: 4)
        #expect(live.count == 4)
        #expect(live.last?.type == .added)
        #expect(live.last?.object == c)
        // Revisions only go up.
        let revisions = live.compactMap { resourceVersion($0.object) }
        #expect(revisions == revisions.sorted())
    }

    @Test("a watch without a resourceVersion starts with the current objects as ADDED")
    func initialState() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.createNamespace("watching")
        try await h.create(configMaps, "watching", Fixtures.configMap("x"))
        try await h.create(configMaps, "watching", Fixtures.configMap("y"))
        let (initial, stream) = try await h.store.watch(configMaps, namespace: "watching", options: ListOptions())
        #expect(initial.map(\.kind) == [.added, .added])
        #expect(initial.compactMap { try? JSON.parse($0.objectBytes)["metadata"]["name"].string } == ["x", "y"])
        let recorder = WatchRecorder(stream)
        defer { recorder.stop() }
        try await h.update(configMaps, "watching", "x", patch { $0["data"] = ["key": "2"] })
        let events = await recorder.events(atLeast: 1)
        #expect(events.map(\.type) == [.modified])
    }

    @Test("selector transitions are ADDED and DELETED for the watcher")
    func selectorTransitions() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.createNamespace("watching")
        var options = ListOptions()
        options.labelSelector = try LabelSelector.parse("app=web")
        options.resourceVersion = String(await h.settledRevision())
        let (_, stream) = try await h.store.watch(configMaps, namespace: "watching", options: options)
        let recorder = WatchRecorder(stream)
        defer { recorder.stop() }

        try await h.create(configMaps, "watching", Fixtures.configMap("cm", labels: ["app": "other"]))  // not seen
        try await h.update(configMaps, "watching", "cm", patch { $0[path: ["metadata", "labels", "app"]] = "web" })  // ADDED
        try await h.update(configMaps, "watching", "cm", patch { $0["data"] = ["key": "2"] })  // MODIFIED
        try await h.update(configMaps, "watching", "cm", patch { $0[path: ["metadata", "labels", "app"]] = "api" })  // DELETED
        try await h.update(configMaps, "watching", "cm", patch { $0["data"] = ["key": "3"] })  // not seen
        _ = try await h.delete(configMaps, "watching", "cm")  // not seen
        try await h.create(configMaps, "watching", Fixtures.configMap("direct", labels: ["app": "web"]))  // ADDED
        _ = try await h.delete(configMaps, "watching", "direct")  // DELETED

        let events = await recorder.events(atLeast: 5)
        #expect(events.map(\.type) == [.added, .modified, .deleted, .added, .deleted])
        #expect(events.map { $0.object["metadata"]["name"].string ?? "" } == ["cm", "cm", "cm", "direct", "direct"])
        #expect(events[0].object["metadata"]["labels"]["app"] == "web")
        try await Task.sleep(for: .milliseconds(50))
        #expect(await recorder.events(atLeast: 0).count == 5)
    }

    @Test("a field-selector watch follows spec.nodeName")
    func fieldSelectorWatch() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pods = try await h.def("pods")
        var options = ListOptions()
        options.fieldSelector = try FieldSelector.parse("spec.nodeName=node-1")
        options.resourceVersion = String(await h.settledRevision())
        let (_, stream) = try await h.store.watch(pods, namespace: nil, options: options)
        let recorder = WatchRecorder(stream)
        defer { recorder.stop() }
        try await h.create(pods, "default", Fixtures.pod("elsewhere", nodeName: "node-2"))
        try await h.create(pods, "default", Fixtures.pod("here", nodeName: "node-1"))
        let events = await recorder.events(atLeast: 1)
        #expect(events.map(\.type) == [.added])
        #expect(events.first?.object["metadata"]["name"] == "here")
    }

    @Test("a revision older than the kept history is 410 Expired")
    func tooOld() async throws {
        let backend = MemoryBackend()
        for i in 1...3 {
            var body = Fixtures.configMap("old-\(i)")
            body[path: ["metadata", "namespace"]] = "default"
            _ = try await backend.create("/registry/core/configmaps/default/old-\(i)", value: body.serialized())
        }
        await backend.compact(upTo: 3)
        let h = try await Harness.start(backend: backend)
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        // What was stored before the start is served.
        #expect(names(try await h.list(configMaps, "default")).filter { $0.hasPrefix("old-") } == ["old-1", "old-2", "old-3"])
        var options = ListOptions()
        options.resourceVersion = "1"
        let error = await apiError { _ = try await h.store.watch(configMaps, namespace: "default", options: options) }
        #expect(error?.code == 410)
        #expect(error?.reason == "Expired")
        #expect(error?.message.hasPrefix("too old resource version: 1") == true)
        // The current revision is still watchable.
        options.resourceVersion = "3"
        let (_, stream) = try await h.store.watch(configMaps, namespace: "default", options: options)
        let recorder = WatchRecorder(stream)
        defer { recorder.stop() }
        try await h.create(configMaps, "default", Fixtures.configMap("new"))
        let events = await recorder.events(atLeast: 1)
        #expect(events.map(\.type) == [.added])
        #expect(events.first?.object["metadata"]["name"] == "new")
    }

    @Test("a resourceVersion that is not a number is 400")
    func badResourceVersion() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var options = ListOptions()
        options.resourceVersion = "abc"
        let error = await apiError { _ = try await h.store.watch(h.def("configmaps"), namespace: "default", options: options) }
        #expect(error?.code == 400)
    }

    @Test("a watch from the revision of a write just made does not return that write")
    func watchFromOwnWrite() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        for i in 0..<10 {
            let created = try await h.create(configMaps, "default", Fixtures.configMap("own-\(i)"))
            var options = ListOptions()
            options.resourceVersion = created["metadata"]["resourceVersion"].string
            options.fieldSelector = try FieldSelector.parse("metadata.name=own-\(i)")
            let (_, stream) = try await h.store.watch(configMaps, namespace: "default", options: options)
            let recorder = WatchRecorder(stream)
            defer { recorder.stop() }
            try await h.update(configMaps, "default", "own-\(i)", patch { $0["data"] = ["key": "next"] })
            let events = await recorder.events(atLeast: 1)
            try await Task.sleep(for: .milliseconds(20))
            // Only events after the requested revision: the MODIFIED, never the ADDED at that revision.
            #expect(await recorder.events(atLeast: 0).map(\.type) == [.modified], "round \(i): \(events.map(\.type))")
        }
    }

    @Test("a DELETED event for an object that stopped matching carries it as it last matched")
    func transitionDeleteCarriesPreviousObject() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.create(configMaps, "default", Fixtures.configMap("cm", labels: ["app": "web"]))
        var options = ListOptions()
        options.labelSelector = try LabelSelector.parse("app=web")
        options.resourceVersion = String(await h.settledRevision())
        let (_, stream) = try await h.store.watch(configMaps, namespace: "default", options: options)
        let recorder = WatchRecorder(stream)
        defer { recorder.stop() }
        let moved = try await h.update(configMaps, "default", "cm", patch { $0[path: ["metadata", "labels", "app"]] = "api" })
        let events = await recorder.events(atLeast: 1)
        #expect(events.map(\.type) == [.deleted])
        // Kubernetes' cacher sends the previous object (which matched) with the event's resourceVersion.
        #expect(events.first?.object["metadata"]["labels"]["app"] == "web")
        #expect(events.first?.object["metadata"]["resourceVersion"] == moved["metadata"]["resourceVersion"])
    }
}
