import ApusMachinery
import ApusRegistry
import ApusStorage
import Testing

@Suite("Store: delete")
struct StoreDeleteTests {
    @Test("a configmap is deleted at once")
    func immediate() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        let created = try await h.create(configMaps, "default", Fixtures.configMap("a"))
        guard case .deleted(let last) = try await h.delete(configMaps, "default", "a") else {
            Issue.record("expected an immediate deletion")
            return
        }
        #expect(last["metadata"]["uid"] == created["metadata"]["uid"])
        #expect(try #require(resourceVersion(last)) > (try #require(resourceVersion(created))))
        #expect(await h.exists(configMaps, "default", "a") == false)
        let again = await apiError { _ = try await h.delete(configMaps, "default", "a") }
        #expect(again?.code == 404)
        #expect(again?.message == #"configmaps "a" not found"#)
    }

    @Test("a pod on a node is deleted gracefully")
    func gracefulPod() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pods = try await h.def("pods")
        try await h.create(pods, "default", Fixtures.pod("running", nodeName: "node-1"))
        guard case .pending(let pending) = try await h.delete(pods, "default", "running") else {
            Issue.record("expected a graceful deletion")
            return
        }
        #expect(pending["metadata"]["deletionTimestamp"] == .string(Timestamp.rfc3339(Harness.now + 30)))
        #expect(pending["metadata"]["deletionGracePeriodSeconds"] == 30)
        let stored = try await h.get(pods, "default", "running")
        #expect(stored["metadata"]["deletionTimestamp"] == pending["metadata"]["deletionTimestamp"])
        // Deleting again while terminating changes nothing.
        guard case .pending(let second) = try await h.delete(pods, "default", "running") else {
            Issue.record("expected the deletion to stay pending")
            return
        }
        #expect(second["metadata"]["resourceVersion"] == pending["metadata"]["resourceVersion"])
        // Grace period 0 (the kubelet's confirmation, or --force) removes it.
        guard case .deleted = try await h.delete(pods, "default", "running", { $0.gracePeriodSeconds = 0 }) else {
            Issue.record("expected the pod to be removed")
            return
        }
        #expect(await h.exists(pods, "default", "running") == false)
    }

    @Test("a requested grace period is used")
    func requestedGrace() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pods = try await h.def("pods")
        try await h.create(pods, "default", Fixtures.pod("p", nodeName: "node-1"))
        guard case .pending(let pending) = try await h.delete(pods, "default", "p", { $0.gracePeriodSeconds = 5 }) else {
            Issue.record("expected a graceful deletion")
            return
        }
        #expect(pending["metadata"]["deletionGracePeriodSeconds"] == 5)
        #expect(pending["metadata"]["deletionTimestamp"] == .string(Timestamp.rfc3339(Harness.now + 5)))
        // A shorter grace period while terminating brings the deadline closer; a longer one does not.
        guard case .pending(let shorter) = try await h.delete(pods, "default", "p", { $0.gracePeriodSeconds = 2 }) else {
            Issue.record("expected the deletion to stay pending")
            return
        }
        #expect(shorter["metadata"]["deletionGracePeriodSeconds"] == 2)
        #expect(shorter["metadata"]["deletionTimestamp"] == .string(Timestamp.rfc3339(Harness.now + 2)))
        guard case .pending(let longer) = try await h.delete(pods, "default", "p", { $0.gracePeriodSeconds = 20 }) else {
            Issue.record("expected the deletion to stay pending")
            return
        }
        #expect(longer["metadata"]["deletionGracePeriodSeconds"] == 2)
    }

    @Test("an unscheduled pod is deleted at once")
    func unscheduledPod() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pods = try await h.def("pods")
        try await h.create(pods, "default", Fixtures.pod("pending"))
        guard case .deleted = try await h.delete(pods, "default", "pending") else {
            Issue.record("expected an immediate deletion")
            return
        }
        #expect(await h.exists(pods, "default", "pending") == false)
    }

    @Test("finalizers keep an object until an update removes them")
    func finalizers() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        var body = Fixtures.configMap("held")
        body[path: ["metadata", "finalizers"]] = ["example.com/cleanup", "example.com/other"]
        try await h.create(configMaps, "default", body)
        guard case .pending(let pending) = try await h.delete(configMaps, "default", "held") else {
            Issue.record("expected the deletion to wait for finalizers")
            return
        }
        #expect(pending["metadata"]["deletionTimestamp"] == .string(Timestamp.rfc3339(Harness.now)))
        #expect(pending["metadata"]["deletionGracePeriodSeconds"] == 0)
        #expect(try await h.get(configMaps, "default", "held")["metadata"]["finalizers"] == ["example.com/cleanup", "example.com/other"])

        // Removing one finalizer leaves the object.
        try await h.update(configMaps, "default", "held", patch { $0[path: ["metadata", "finalizers"]] = ["example.com/other"] })
        #expect(await h.exists(configMaps, "default", "held"))
        // A deletion in progress cannot gain finalizers.
        let error = await apiError {
            try await h.update(configMaps, "default", "held", patch {
                $0[path: ["metadata", "finalizers"]] = ["example.com/other", "example.com/new"]
            })
        }
        #expect(error?.code == 422)
        // The deletion timestamp cannot be cleared by an update.
        let kept = try await h.update(configMaps, "default", "held", patch {
            $0[path: ["metadata", "deletionTimestamp"]] = .null
            $0["data"] = ["key": "other"]
        })
        #expect(kept["metadata"]["deletionTimestamp"] == pending["metadata"]["deletionTimestamp"])
        // Removing the last finalizer completes the deletion.
        try await h.update(configMaps, "default", "held", patch { $0[path: ["metadata", "finalizers"]] = .null })
        #expect(await h.exists(configMaps, "default", "held") == false)
    }

    @Test("Orphan and Foreground propagation add their finalizers", arguments: [
        ("Orphan", "orphan"), ("Foreground", "foregroundDeletion"),
    ])
    func propagation(policy: String, finalizer: String) async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let deployments = try await h.def("deployments", group: "apps")
        try await h.create(deployments, "default", Fixtures.deployment("web"))
        guard case .pending(let pending) = try await h.delete(deployments, "default", "web", { $0.propagationPolicy = policy }) else {
            Issue.record("expected a pending deletion")
            return
        }
        #expect(pending["metadata"]["finalizers"] == [.string(finalizer)])
        #expect(pending["metadata"]["deletionTimestamp"].string != nil)
        let stored = try await h.get(deployments, "default", "web")
        #expect(stored["metadata"]["finalizers"] == [.string(finalizer)])
    }

    @Test("Background propagation deletes at once")
    func background() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let deployments = try await h.def("deployments", group: "apps")
        try await h.create(deployments, "default", Fixtures.deployment("web"))
        guard case .deleted = try await h.delete(deployments, "default", "web", { $0.propagationPolicy = "Background" }) else {
            Issue.record("expected an immediate deletion")
            return
        }
    }

    @Test("deleting a namespace marks it Terminating")
    func namespace() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let namespaces = try await h.def("namespaces")
        try await h.createNamespace("going")
        guard case .pending(let pending) = try await h.delete(namespaces, nil, "going") else {
            Issue.record("expected a pending namespace deletion")
            return
        }
        #expect(pending["status"]["phase"] == "Terminating")
        #expect(pending["metadata"]["deletionTimestamp"].string != nil)
        let stored = try await h.get(namespaces, nil, "going")
        #expect(stored["status"]["phase"] == "Terminating")
        #expect(stored["spec"]["finalizers"] == ["kubernetes"])
    }

    @Test("preconditions that do not hold are 409")
    func preconditions() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        let created = try await h.create(configMaps, "default", Fixtures.configMap("a"))
        let uidError = await apiError { _ = try await h.delete(configMaps, "default", "a", { $0.preconditionUID = "other" }) }
        #expect(uidError?.code == 409)
        #expect(uidError?.message.contains("Precondition failed: UID in precondition: other") == true)
        let rvError = await apiError { _ = try await h.delete(configMaps, "default", "a", { $0.preconditionResourceVersion = "1" }) }
        #expect(rvError?.code == 409)
        #expect(await h.exists(configMaps, "default", "a"))
        let uid = created["metadata"]["uid"].string
        guard case .deleted = try await h.delete(configMaps, "default", "a", { $0.preconditionUID = uid }) else {
            Issue.record("expected the deletion to go through")
            return
        }
    }

    @Test("a dry-run delete removes nothing")
    func dryRun() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let configMaps = try await h.def("configmaps")
        try await h.create(configMaps, "default", Fixtures.configMap("a"))
        let before = await h.backend.currentRevision()
        guard case .deleted = try await h.delete(configMaps, "default", "a", { $0.dryRun = true }) else {
            Issue.record("a dry run reports what would happen")
            return
        }
        #expect(await h.exists(configMaps, "default", "a"))
        #expect(await h.backend.currentRevision() == before)
    }

    @Test("DeleteOptions are read from a body")
    func optionsFromBody() {
        let options = DeleteOptions.from([
            "gracePeriodSeconds": 7, "orphanDependents": true, "dryRun": ["All"],
            "preconditions": ["uid": "u", "resourceVersion": "9"],
        ])
        #expect(options.gracePeriodSeconds == 7)
        #expect(options.propagationPolicy == "Orphan")
        #expect(options.dryRun)
        #expect(options.preconditionUID == "u")
        #expect(options.preconditionResourceVersion == "9")
        #expect(DeleteOptions.from(["propagationPolicy": "Foreground", "orphanDependents": true]).propagationPolicy == "Foreground")
    }
}
