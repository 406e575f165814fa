import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import ApusPatch
import Testing

@Suite struct StatefulSetUpdateTests {
    let h = SetsHarness()

    private func status() async -> JSON { await h.cluster.object(.statefulSets, "default/web")?["status"] ?? .null }

    /// Three ready pods at the first revision; returns its name.
    private func rollOut(_ loop: StatefulSetController, partition: Int64 = 0, strategy: String = "RollingUpdate") async -> String {
        await h.seed(.statefulSets, [SetsFixtures.statefulSet(partition: partition, strategy: strategy)])
        for name in ["web-0", "web-1", "web-2"] {
            _ = await h.sync(loop, "default/web")
            await h.makeReady([name])
        }
        _ = await h.sync(loop, "default/web")
        return await status()["currentRevision"].string ?? ""
    }

    private func changeImage(_ image: String) async {
        await h.change(.statefulSets, "default/web") { set in
            set[path: ["spec", "template", "spec", "containers"]] = [["name": "main", "image": .string(image)]]
            set[path: ["metadata", "generation"]] = .int((set["metadata"]["generation"].int ?? 1) + 1)
        }
    }

    private func revisionOf(_ pod: String) async -> String? {
        await h.cluster.object(.pods, "default/\(pod)")?["metadata"]["labels"]["controller-revision-hash"].string
    }

    /// Syncs until the pod exists again, marks it ready, syncs once more.
    private func replace(_ loop: StatefulSetController) async -> [String] {
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/web")
        let deleted = await h.calls("delete", .pods).map(\.name)
        _ = await h.sync(loop, "default/web")
        await h.makeReady(deleted)
        return deleted
    }

    @Test func rollsFromTheHighestOrdinalDownToThePartition() async throws {
        let loop = StatefulSetController(context: h.context)
        let first = await rollOut(loop, partition: 1)
        await changeImage("nginx:2")

        #expect(await replace(loop) == ["web-2"])
        let second = try #require(await status()["updateRevision"].string)
        #expect(second != first)
        #expect(await revisionOf("web-2") == second)
        #expect(await h.cluster.object(.pods, "default/web-2")?["spec"]["containers"][0]["image"] == "nginx:2")
        #expect(await replace(loop) == ["web-1"])
        #expect(await revisionOf("web-1") == second)
        // The partition keeps web-0 at the current revision.
        #expect(await replace(loop) == [])
        #expect(await revisionOf("web-0") == first)
        var summary = await status()
        #expect(summary["currentRevision"].string == first)
        #expect(summary["updateRevision"].string == second)
        #expect(summary["currentReplicas"] == 1)
        #expect(summary["updatedReplicas"] == 2)
        #expect(summary["observedGeneration"] == 2)

        // Lowering the partition finishes the update; the update revision becomes current.
        await h.change(.statefulSets, "default/web") { $0[path: ["spec", "updateStrategy", "rollingUpdate", "partition"]] = 0 }
        #expect(await replace(loop) == ["web-0"])
        _ = await h.sync(loop, "default/web")
        summary = await status()
        #expect(summary["currentRevision"].string == second)
        #expect(summary["currentReplicas"] == 3)
        #expect(summary["updatedReplicas"] == 3)
    }

    @Test func waitsForEachReplacementToBeReady() async {
        let loop = StatefulSetController(context: h.context)
        _ = await rollOut(loop)
        await changeImage("nginx:2")
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/web")
        _ = await h.sync(loop, "default/web")
        #expect(await h.calls("delete", .pods).map(\.name) == ["web-2"])
        // web-2 is back but Pending: web-1 is left alone.
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/web")
        #expect(await h.calls("delete", .pods).isEmpty)
    }

    @Test func onDeleteLeavesPodsUntilDeleted() async throws {
        let loop = StatefulSetController(context: h.context)
        let first = await rollOut(loop, strategy: "OnDelete")
        await changeImage("nginx:2")
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/web")
        #expect(await h.calls("delete", .pods).isEmpty)
        let second = try #require(await status()["updateRevision"].string)
        #expect(second != first)
        try await h.cluster.delete(.pods, namespace: "default", name: "web-1")
        _ = await h.sync(loop, "default/web")
        #expect(await revisionOf("web-1") == second)
        #expect(await revisionOf("web-0") == first)
    }

    @Test func maxUnavailableReplacesSeveralAtOnceWhenEnabled() async {
        let loop = StatefulSetController(context: h.context, maxUnavailableStatefulSet: true)
        _ = await rollOut(loop)
        await h.change(.statefulSets, "default/web") { $0[path: ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"]] = 2 }
        await changeImage("nginx:2")
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/web")
        #expect(await h.calls("delete", .pods).map(\.name) == ["web-2", "web-1"])
    }

    @Test func rollbackRenumbersTheEarlierRevision() async throws {
        let loop = StatefulSetController(context: h.context)
        let first = await rollOut(loop)
        await changeImage("nginx:2")
        for _ in 0..<3 { _ = await replace(loop) }
        _ = await h.sync(loop, "default/web")
        let second = try #require(await status()["currentRevision"].string)
        #expect(second != first)

        // kubectl rollout history lists both; undo targets the one before the latest.
        let set = try #require(await h.cluster.object(.statefulSets, "default/web"))
        let history = SetControllerRevisions.history(of: set, in: await h.revisions())
        #expect(history.map { $0["metadata"]["name"].string ?? "" } == [first, second])
        let target = try #require(SetControllerRevisions.rollbackTarget(of: set, in: await h.revisions()))
        #expect(target["metadata"]["name"].string == first)
        #expect(target["metadata"]["labels"]["controller.kubernetes.io/hash"].string.map { first.hasSuffix($0) } == true)

        _ = try await h.cluster.patch(.statefulSets, namespace: "default", name: "web", type: .strategic, target["data"])
        await h.cluster.forgetCalls()
        #expect(await replace(loop) == ["web-2"])
        #expect(await h.calls("create", .controllerRevisions).isEmpty)
        #expect(await status()["updateRevision"].string == first)
        #expect(await h.revisions().first { $0["metadata"]["name"].string == first }?["revision"] == 3)
        #expect(await revisionOf("web-2") == first)
        #expect(await h.cluster.object(.pods, "default/web-2")?["spec"]["containers"][0]["image"] == "nginx:1")
    }

    @Test func newPodsBelowThePartitionUseTheCurrentRevision() async throws {
        let loop = StatefulSetController(context: h.context)
        let first = await rollOut(loop, partition: 2)
        await changeImage("nginx:2")
        _ = await h.sync(loop, "default/web")
        // web-0 is lost while the update is partitioned: it comes back at the current revision.
        try await h.cluster.delete(.pods, namespace: "default", name: "web-0")
        _ = await h.sync(loop, "default/web")
        #expect(await revisionOf("web-0") == first)
        #expect(await h.cluster.object(.pods, "default/web-0")?["spec"]["containers"][0]["image"] == "nginx:1")
    }
}
