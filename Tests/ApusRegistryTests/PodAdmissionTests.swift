import ApusMachinery
import ApusRegistry
import Testing

@Suite("Pod admission")
struct PodAdmissionTests {
    @Test("a new pod gets the default service account, 300 s unready/unreachable tolerations and priority 0")
    func defaults() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pod = try await h.create(try await h.def("pods"), "default", Fixtures.pod("p"))
        #expect(pod["spec"]["serviceAccountName"] == "default")
        #expect(pod["spec"]["serviceAccount"] == "default")
        #expect(pod["spec"]["priority"] == 0)
        #expect(pod["spec"]["preemptionPolicy"] == "PreemptLowerPriority")
        let tolerations = try #require(pod["spec"]["tolerations"].array)
        #expect(tolerations == [
            ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
            ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
        ])
    }

    @Test("the default toleration seconds follow the server's settings")
    func configuredTolerationSeconds() async throws {
        let h = try await Harness.start(admission: AdmissionSettings(notReadyTolerationSeconds: 30, unreachableTolerationSeconds: 12))
        defer { h.stop() }
        let pod = try await h.create(try await h.def("pods"), "default", Fixtures.pod("p"))
        let seconds = (pod["spec"]["tolerations"].array ?? []).map { [$0["key"], $0["tolerationSeconds"]] }
        #expect(seconds == [["node.kubernetes.io/not-ready", 30], ["node.kubernetes.io/unreachable", 12]])
    }

    @Test("a pod's own NoExecute toleration is kept instead of the default")
    func ownToleration() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        var body = Fixtures.pod("p")
        body[path: ["spec", "tolerations"]] = [["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                                                "tolerationSeconds": 5]]
        let pod = try await h.create(try await h.def("pods"), "default", body)
        let tolerations = try #require(pod["spec"]["tolerations"].array)
        #expect(tolerations.count == 2)
        #expect(tolerations[0]["tolerationSeconds"] == 5)
        #expect(tolerations[1]["key"] == "node.kubernetes.io/not-ready")
    }

    @Test("priority comes from the named class, the global default, or is refused for an unknown class")
    func priority() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let pods = try await h.def("pods")
        let classes = try await h.def("priorityclasses", group: "scheduling.k8s.io")
        _ = try await h.create(classes, nil, ["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": "high"],
                                              "value": 1000, "preemptionPolicy": "Never"])
        var named = Fixtures.pod("named")
        named[path: ["spec", "priorityClassName"]] = "high"
        let high = try await h.create(pods, "default", named)
        #expect(high["spec"]["priority"] == 1000)
        #expect(high["spec"]["preemptionPolicy"] == "Never")

        var critical = Fixtures.pod("critical")
        critical[path: ["spec", "priorityClassName"]] = "system-node-critical"
        #expect(try await h.create(pods, "default", critical)["spec"]["priority"] == 2_000_001_000)

        _ = try await h.create(classes, nil, ["apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": ["name": "usual"],
                                              "value": 10, "globalDefault": true])
        let plain = try await h.create(pods, "default", Fixtures.pod("plain"))
        #expect(plain["spec"]["priority"] == 10)
        #expect(plain["spec"]["priorityClassName"] == "usual")

        var unknown = Fixtures.pod("unknown")
        unknown[path: ["spec", "priorityClassName"]] = "nope"
        let refused = await apiError { _ = try await h.create(pods, "default", unknown) }
        #expect(refused?.code == 403)
        #expect(refused?.message == #"pods "unknown" is forbidden: no PriorityClass with name nope was found"#)
    }
}
