import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct EndpointSliceControllerTests {
    let h = ClusterHarness()
    let web = ["app": "web"]

    func seedNodes() async {
        await h.cluster.seed(.nodes, [ClusterFixtures.node("n1", heartbeat: h.now, labels: ["topology.kubernetes.io/zone": "zone-a"]),
                                      ClusterFixtures.node("n2", heartbeat: h.now)])
    }

    func slices() async -> [JSON] { await h.cluster.all(.endpointSlices) }

    @Test func aSliceListsEveryPodWithItsConditions() async throws {
        await seedNodes()
        var terminating = ClusterFixtures.pod("c", node: "n2", labels: web, ip: "10.0.0.3")
        terminating[path: ["metadata", "deletionTimestamp"]] = ClusterFixtures.time(h.now)
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web, labels: ["team": "a"])])
        await h.cluster.seed(.pods, [ClusterFixtures.pod("a", node: "n1", labels: web, ip: "10.0.0.1"),
                                     ClusterFixtures.pod("b", node: "n1", labels: web, ready: false, ip: "10.0.0.2"),
                                     terminating, ClusterFixtures.pod("gone", node: "n1", labels: web, ip: "10.0.0.5", phase: "Succeeded")])
        let controller = EndpointSliceController(context: h.context)
        #expect(await controller.sync("default/web") == .done)

        let slice = try #require(await slices().first)
        #expect(await slices().count == 1)
        #expect(slice["metadata"]["generateName"] == "web-")
        #expect(slice["metadata"]["labels"] == ["kubernetes.io/service-name": "web", "team": "a",
                                                 "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"])
        let owner = try #require(slice["metadata"]["ownerReferences"].array?.first)
        #expect(owner["kind"] == "Service" && owner["name"] == "web" && owner["uid"] == "uid-svc-web" && owner["controller"] == true)
        #expect(slice["addressType"] == "IPv4")
        #expect(slice["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
        let endpoints = try #require(slice["endpoints"].array)
        #expect(endpoints.count == 3)
        #expect(endpoints[0] == ["addresses": ["10.0.0.1"], "conditions": ["ready": true, "serving": true, "terminating": false],
                                 "nodeName": "n1", "zone": "zone-a",
                                 "targetRef": ["kind": "Pod", "namespace": "default", "name": "a", "uid": "uid-a"]])
        #expect(endpoints[1]["conditions"] == ["ready": false, "serving": false, "terminating": false])
        #expect(endpoints[2]["conditions"] == ["ready": false, "serving": true, "terminating": true])
        #expect(endpoints[2]["zone"].isNull)
        #expect(slice["metadata"]["annotations"]["endpoints.kubernetes.io/last-change-trigger-time"] == ClusterFixtures.time(1_767_225_000))

        await h.cluster.forgetCalls()
        #expect(await controller.sync("default/web") == .done)
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func atMostOneHundredEndpointsPerSlice() async throws {
        await seedNodes()
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web)])
        await h.cluster.seed(.pods, (0..<150).map { ClusterFixtures.pod("p\($0)", node: "n1", labels: web, ip: "10.1.\($0 / 200).\($0 % 200)") })
        _ = await EndpointSliceController(context: h.context).sync("default/web")
        let counts = await slices().map { $0["endpoints"].array?.count ?? 0 }.sorted()
        #expect(counts == [50, 100])
    }

    @Test func aServiceWithoutPodsGetsOnePlaceholder() async throws {
        await seedNodes()
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web)])
        let controller = EndpointSliceController(context: h.context)
        _ = await controller.sync("default/web")
        let slice = try #require(await slices().first)
        #expect(slice["endpoints"] == [] && slice["ports"] == [])
        await h.cluster.forgetCalls()
        _ = await controller.sync("default/web")
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func removedPodsLeaveTheSliceAndTheLastOneTurnsItIntoThePlaceholder() async throws {
        await seedNodes()
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web)])
        await h.cluster.seed(.pods, [ClusterFixtures.pod("a", node: "n1", labels: web, ip: "10.0.0.1"),
                                     ClusterFixtures.pod("b", node: "n1", labels: web, ip: "10.0.0.2")])
        let controller = EndpointSliceController(context: h.context)
        _ = await controller.sync("default/web")
        let name = try #require(await slices().first?["metadata"]["name"].string)

        _ = try await h.cluster.delete(.pods, namespace: "default", name: "a")
        _ = await controller.sync("default/web")
        #expect(await slices().first?["endpoints"].array?.map { $0["targetRef"]["name"] } == ["b"])

        _ = try await h.cluster.delete(.pods, namespace: "default", name: "b")
        await h.cluster.forgetCalls()
        _ = await controller.sync("default/web")
        // The slice is reused as the placeholder rather than deleted and created again.
        #expect(await h.cluster.calls.map(\.verb) == ["update"])
        let placeholder = try #require(await slices().first)
        #expect(placeholder["metadata"]["name"].string == name)
        #expect(placeholder["endpoints"] == [] && placeholder["ports"] == [])
    }

    @Test func podsOnUnknownNodesAreSkippedAndTheSyncRetried() async throws {
        await seedNodes()
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web)])
        await h.cluster.seed(.pods, [ClusterFixtures.pod("a", node: "n1", labels: web, ip: "10.0.0.1"),
                                     ClusterFixtures.pod("lost", node: "n9", labels: web, ip: "10.0.0.9")])
        #expect(await EndpointSliceController(context: h.context).sync("default/web") == .retry)
        #expect(await slices().first?["endpoints"].array?.count == 1)
        let event = try #require(await h.events.events.first)
        #expect(event.reason == "FailedToUpdateEndpointSlices")
        #expect(event.message == "Error updating Endpoint Slices for Service default/web: skipping Pod lost for Service default/web: Node n9 Not Found")
    }

    @Test func onlyOthersSliceChangesWakeTheService() async throws {
        await seedNodes()
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web)])
        let controller = EndpointSliceController(context: h.context)
        _ = await controller.sync("default/web")
        let watch = try #require(controller.watches.first { $0.resource == .endpointSlices })
        let slice = try #require(await slices().first)
        #expect(await watch.keys(nil, slice).isEmpty)
        var edited = slice
        edited[path: ["metadata", "generation"]] = 5
        #expect(await watch.keys(slice, edited) == ["default/web"])
        // Deleted by someone else: rebuilt.
        #expect(await watch.keys(slice, nil) == ["default/web"])
    }
}
