import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct EndpointsControllerTests {
    let h = ClusterHarness()
    let web = ["app": "web"]

    func endpoints(_ key: String = "default/web") async throws -> JSON { try #require(await h.cluster.object(.endpoints, key)) }

    @Test func readyAndNotReadyPodsAreListedApart() async throws {
        var terminating = ClusterFixtures.pod("d", node: "n1", labels: web, ip: "10.0.0.4")
        terminating[path: ["metadata", "deletionTimestamp"]] = ClusterFixtures.time(h.now)
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web, labels: ["team": "a"])])
        await h.cluster.seed(.pods, [
            ClusterFixtures.pod("a", node: "n1", labels: web, ip: "10.0.0.1"),
            ClusterFixtures.pod("b", node: "n2", labels: web, ready: false, ip: "10.0.0.2"),
            ClusterFixtures.pod("c", node: "n1", labels: web, ip: nil),
            terminating,
            ClusterFixtures.pod("other", node: "n1", labels: ["app": "db"], ip: "10.0.0.9"),
        ])
        let controller = EndpointsController(context: h.context)
        #expect(await controller.sync("default/web") == .done)
        let endpoints = try await endpoints()
        let subsets = try #require(endpoints["subsets"].array)
        #expect(subsets.count == 1)
        #expect(subsets[0]["addresses"] == [["ip": "10.0.0.1", "nodeName": "n1",
                                             "targetRef": ["kind": "Pod", "namespace": "default", "name": "a", "uid": "uid-a"]]])
        #expect(subsets[0]["notReadyAddresses"][0]["ip"] == "10.0.0.2")
        #expect(subsets[0]["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
        #expect(endpoints["metadata"]["labels"] == ["team": "a"])
        // A service seen for the first time reports its creation as the trigger.
        #expect(endpoints["metadata"]["annotations"]["endpoints.kubernetes.io/last-change-trigger-time"] == ClusterFixtures.time(1_767_225_000))

        // Nothing changed: no write.
        await h.cluster.forgetCalls()
        #expect(await controller.sync("default/web") == .done)
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func publishNotReadyAddressesListsEveryPodAsReady() async throws {
        var service = ClusterFixtures.service("web", selector: web)
        service[path: ["spec", "publishNotReadyAddresses"]] = true
        var terminating = ClusterFixtures.pod("d", node: "n1", labels: web, ip: "10.0.0.4")
        terminating[path: ["metadata", "deletionTimestamp"]] = ClusterFixtures.time(h.now)
        await h.cluster.seed(.services, [service])
        await h.cluster.seed(.pods, [ClusterFixtures.pod("b", node: "n2", labels: web, ready: false, ip: "10.0.0.2"), terminating])
        _ = await EndpointsController(context: h.context).sync("default/web")
        let subsets = try #require(try await endpoints()["subsets"].array)
        #expect(subsets[0]["addresses"].array?.compactMap { $0["ip"].string } == ["10.0.0.2", "10.0.0.4"])
        #expect(subsets[0]["notReadyAddresses"].isNull)
    }

    @Test func namedTargetPortsResolvePerPod() async throws {
        let ports: [JSON] = [["name": "http", "port": 80, "targetPort": "web", "protocol": "TCP"]]
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web, ports: ports)])
        var a = ClusterFixtures.pod("a", node: "n1", labels: web, ip: "10.0.0.1")
        a[path: ["spec", "containers"]] = [["name": "app", "ports": [["name": "web", "containerPort": 8080]]]]
        var b = ClusterFixtures.pod("b", node: "n1", labels: web, ip: "10.0.0.2")
        b[path: ["spec", "containers"]] = [["name": "app", "ports": [["name": "web", "containerPort": 9090]]]]
        let unnamed = ClusterFixtures.pod("c", node: "n1", labels: web, ip: "10.0.0.3")
        await h.cluster.seed(.pods, [a, b, unnamed])
        _ = await EndpointsController(context: h.context).sync("default/web")
        let subsets = try #require(try await endpoints()["subsets"].array)
        let byPort = Dictionary(uniqueKeysWithValues: subsets.map { ($0["ports"][0]["port"].int ?? 0, $0["addresses"][0]["ip"].string ?? "") })
        #expect(byPort == [8080: "10.0.0.1", 9090: "10.0.0.2"])
    }

    @Test func headlessServicesGetHostnamesAndTheHeadlessLabel() async throws {
        await h.cluster.seed(.services, [ClusterFixtures.service("db", selector: ["app": "db"], ports: [], clusterIP: "None")])
        var pod = ClusterFixtures.pod("db-0", node: "n1", labels: ["app": "db"], ip: "10.0.0.7")
        pod[path: ["spec", "hostname"]] = "db-0"
        pod[path: ["spec", "subdomain"]] = "db"
        await h.cluster.seed(.pods, [pod])
        _ = await EndpointsController(context: h.context).sync("default/db")
        let endpoints = try await endpoints("default/db")
        #expect(endpoints["metadata"]["labels"] == ["service.kubernetes.io/headless": ""])
        let subset = try #require(endpoints["subsets"].array?.first)
        #expect(subset["addresses"][0]["hostname"] == "db-0")
        #expect(subset["ports"].isNull)
    }

    @Test func endpointsOfDeletedServicesAreDeleted() async {
        await h.cluster.seed(.endpoints, [["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "gone", "namespace": "default"]]])
        #expect(await EndpointsController(context: h.context).sync("default/gone") == .done)
        #expect(await h.cluster.object(.endpoints, "default/gone") == nil)
    }

    @Test func servicesWithoutSelectorAreLeftAlone() async {
        await h.cluster.seed(.services, [ClusterFixtures.service("manual", selector: nil)])
        #expect(await EndpointsController(context: h.context).sync("default/manual") == .done)
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func aPodBecomingReadyMovesItAndSetsTheTriggerTime() async throws {
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web)])
        await h.cluster.seed(.pods, [ClusterFixtures.pod("a", node: "n1", labels: web, ready: false, ip: "10.0.0.1")])
        let controller = EndpointsController(context: h.context)
        _ = await controller.sync("default/web")
        #expect(try await endpoints()["subsets"][0]["addresses"].isNull)

        let readyAt = h.now + 20
        let ready = ClusterFixtures.pod("a", node: "n1", labels: web, ready: true, ip: "10.0.0.1", at: readyAt)
        let old = try #require(await h.cluster.object(.pods, "default/a"))
        await h.cluster.seed(.pods, [ready])
        let watch = try #require(controller.watches.first { $0.resource == .pods })
        let new = try #require(await h.cluster.object(.pods, "default/a"))
        #expect(await watch.keys(old, new) == ["default/web"])
        _ = await controller.sync("default/web")
        let endpoints = try await endpoints()
        #expect(endpoints["subsets"][0]["addresses"][0]["ip"] == "10.0.0.1")
        #expect(endpoints["metadata"]["annotations"]["endpoints.kubernetes.io/last-change-trigger-time"] == ClusterFixtures.time(readyAt))
    }

    @Test func aFailedWriteIsReportedAndRetried() async {
        await h.cluster.seed(.services, [ClusterFixtures.service("web", selector: web)])
        await h.cluster.failNext("create", .endpoints, with: .transport("connection refused"))
        #expect(await EndpointsController(context: h.context).sync("default/web") == .retry)
        #expect(await h.events.events.first?.reason == "FailedToCreateEndpoint")
        #expect(await h.events.events.first?.message == "Failed to create endpoint for service default/web: transport: connection refused")
    }
}
