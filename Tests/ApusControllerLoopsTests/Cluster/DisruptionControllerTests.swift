import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

@Suite struct DisruptionControllerTests {
    let h = ClusterHarness()
    let web = ["app": "web"]

    func budget(minAvailable: JSON = .null, maxUnavailable: JSON = .null, generation: Int64 = 1) -> JSON {
        var pdb: JSON = ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                         "metadata": ["name": "web", "namespace": "default", "generation": .int(generation)],
                         "spec": ["selector": ["matchLabels": ["app": "web"]]]]
        if !minAvailable.isNull { pdb[path: ["spec", "minAvailable"]] = minAvailable }
        if !maxUnavailable.isNull { pdb[path: ["spec", "maxUnavailable"]] = maxUnavailable }
        return pdb
    }

    /// A Deployment of `replicas` with its ReplicaSet, and `ready` of `pods` pods ready.
    func seedDeployment(replicas: Int64, pods: Int, ready: Int) async {
        await h.cluster.seed(.deployments, [["apiVersion": "apps/v1", "kind": "Deployment",
                                             "metadata": ["name": "web", "namespace": "default", "uid": "uid-deploy"],
                                             "spec": ["replicas": .int(replicas)]]])
        await h.cluster.seed(.replicaSets, [["apiVersion": "apps/v1", "kind": "ReplicaSet",
                                             "metadata": ["name": "web-abc", "namespace": "default", "uid": "uid-rs",
                                                          "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                                                               "uid": "uid-deploy", "controller": true]]],
                                             "spec": ["replicas": .int(replicas)]]])
        let owner: JSON = ["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-abc", "uid": "uid-rs", "controller": true]
        await h.cluster.seed(.pods, (0..<pods).map { ClusterFixtures.pod("web-\($0)", labels: web, ready: $0 < ready, owner: owner) })
    }

    func status() async throws -> JSON { try #require(await h.cluster.object(.podDisruptionBudgets, "default/web"))["status"] }

    @Test func minAvailableCountsPods() async throws {
        await seedDeployment(replicas: 3, pods: 3, ready: 3)
        await h.cluster.seed(.podDisruptionBudgets, [budget(minAvailable: 2)])
        let controller = DisruptionController(context: h.context)
        #expect(await controller.sync("default/web") == .done)
        let status = try await status()
        #expect(status["currentHealthy"] == 3 && status["desiredHealthy"] == 2 && status["expectedPods"] == 3)
        #expect(status["disruptionsAllowed"] == 1)
        #expect(status["observedGeneration"] == 1)
        let condition = try #require(status["conditions"].array?.first)
        #expect(condition["type"] == "DisruptionAllowed" && condition["status"] == "True" && condition["reason"] == "SufficientPods")
        #expect(condition["message"] == "" && condition["lastTransitionTime"] == ClusterFixtures.time(h.now))

        await h.cluster.forgetCalls()
        _ = await controller.sync("default/web")
        #expect(await h.cluster.calls.isEmpty)
    }

    @Test func maxUnavailablePercentUsesTheDeploymentsScale() async throws {
        await seedDeployment(replicas: 4, pods: 4, ready: 3)
        await h.cluster.seed(.podDisruptionBudgets, [budget(maxUnavailable: "25%")])
        _ = await DisruptionController(context: h.context).sync("default/web")
        let status = try await status()
        #expect(status["expectedPods"] == 4 && status["desiredHealthy"] == 3 && status["currentHealthy"] == 3)
        #expect(status["disruptionsAllowed"] == 0)
        #expect(status["conditions"][0]["reason"] == "InsufficientPods" && status["conditions"][0]["status"] == "False")
    }

    @Test func minAvailablePercentRoundsUp() async throws {
        await seedDeployment(replicas: 5, pods: 5, ready: 5)
        await h.cluster.seed(.podDisruptionBudgets, [budget(minAvailable: "50%")])
        _ = await DisruptionController(context: h.context).sync("default/web")
        let status = try await status()
        #expect(status["desiredHealthy"] == 3 && status["disruptionsAllowed"] == 2)
    }

    @Test func podsWithoutAKnownControllerFailSafe() async throws {
        await h.cluster.seed(.pods, [ClusterFixtures.pod("job-1", labels: web,
                                                         owner: ["apiVersion": "batch/v1", "kind": "Job", "name": "j", "uid": "u", "controller": true])])
        await h.cluster.seed(.podDisruptionBudgets, [budget(maxUnavailable: 1)])
        #expect(await DisruptionController(context: h.context).sync("default/web") == .done)
        let status = try await status()
        #expect(status["disruptionsAllowed"] == 0)
        #expect(status["conditions"][0]["reason"] == "SyncFailed")
        #expect(status["conditions"][0]["message"] == "jobs.batch does not implement the scale subresource")
        #expect(await h.reasons() == ["CalculateExpectedPodCountFailed"])
    }

    @Test func disruptedPodsAreCountedOutUntilTheirDeletionIsOverdue() async throws {
        await seedDeployment(replicas: 3, pods: 3, ready: 3)
        var pdb = budget(minAvailable: 1)
        pdb["status"] = ["disruptedPods": ["web-0": ClusterFixtures.time(h.now - 30), "vanished": ClusterFixtures.time(h.now)]]
        await h.cluster.seed(.podDisruptionBudgets, [pdb])
        let controller = DisruptionController(context: h.context)
        #expect(await controller.sync("default/web") == .requeue(after: 90))
        var status = try await status()
        #expect(status["currentHealthy"] == 2)
        #expect(status["disruptedPods"] == ["web-0": ClusterFixtures.time(h.now - 30)])

        h.clock.advance(by: 91)
        _ = await controller.sync("default/web")
        status = try await self.status()
        #expect(status["currentHealthy"] == 3 && status["disruptedPods"].isNull)
        #expect(await h.events.events.contains { $0.reason == "NotDeleted" && $0.object == "default/web-0" })
    }

    @Test func noPodsIsReported() async throws {
        await h.cluster.seed(.podDisruptionBudgets, [budget(minAvailable: 1)])
        _ = await DisruptionController(context: h.context).sync("default/web")
        #expect(await h.events.events.first?.message == "No matching pods found")
        #expect(try await status()["disruptionsAllowed"] == 0)
    }

    @Test func podChangesWakeTheirBudgets() async throws {
        await h.cluster.seed(.podDisruptionBudgets, [budget(minAvailable: 1)])
        let watch = try #require(DisruptionController(context: h.context).watches.first { $0.resource == .pods })
        #expect(await watch.keys(nil, ClusterFixtures.pod("a", labels: web)) == ["default/web"])
        #expect(await watch.keys(nil, ClusterFixtures.pod("b", labels: ["app": "db"])).isEmpty)
    }
}
