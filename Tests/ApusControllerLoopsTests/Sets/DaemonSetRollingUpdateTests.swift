import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import ApusPatch
import Testing

@Suite struct DaemonSetRollingUpdateTests {
    let h = SetsHarness()
    let loop: DaemonSetController

    init() { loop = DaemonSetController(context: h.context) }

    /// Four nodes with ready pods of `daemonSet`; returns the first revision's hash.
    private func rollOut(_ daemonSet: JSON) async -> String {
        await h.seed(.nodes, (1...4).map { SetsFixtures.node("n\($0)") })
        await h.seed(.daemonSets, [daemonSet])
        _ = await h.sync(loop, "default/agent")
        await h.makeReady(await h.podNames())
        return await h.revisions().first?["metadata"]["labels"]["controller-revision-hash"].string ?? ""
    }

    private func changeImage(_ image: String) async {
        await h.change(.daemonSets, "default/agent") { ds in
            ds[path: ["spec", "template", "spec", "containers"]] = [["name": "main", "image": .string(image)]]
            ds[path: ["metadata", "generation"]] = .int((ds["metadata"]["generation"].int ?? 1) + 1)
        }
    }

    private func hashes() async -> [String] {
        await h.pods().compactMap { $0["metadata"]["labels"]["controller-revision-hash"].string }
    }

    @Test func replacesAtMostMaxUnavailablePodsAtATime() async throws {
        let oldHash = await rollOut(SetsFixtures.daemonSet())
        await changeImage("agent:2")
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        // A second revision, and one old pod deleted.
        let revisions = await h.revisions()
        #expect(revisions.count == 2)
        let newHash = try #require(revisions.first { $0["revision"] == 2 }?["metadata"]["labels"]["controller-revision-hash"].string)
        #expect(newHash != oldHash)
        #expect(await h.calls("delete", .pods).count == 1)
        #expect(await h.pods().count == 3)

        // Its replacement comes at the new revision; nothing else goes while it is not ready.
        _ = await h.sync(loop, "default/agent")
        #expect(await hashes().filter { $0 == newHash }.count == 1)
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        #expect(await h.calls("delete", .pods).isEmpty)
        var status = try #require(await h.cluster.object(.daemonSets, "default/agent"))["status"]
        #expect(status["updatedNumberScheduled"] == 1)
        #expect(status["numberAvailable"] == 3)
        #expect(status["numberUnavailable"] == 1)

        // Each time the new pod is ready, the next old one goes.
        for round in 2...4 {
            let fresh = await h.pods().filter { $0["status"]["phase"] == "Pending" }.compactMap { $0["metadata"]["name"].string }
            await h.makeReady(fresh)
            await h.cluster.forgetCalls()
            _ = await h.sync(loop, "default/agent")
            #expect(await h.calls("delete", .pods).count == 1)
            _ = await h.sync(loop, "default/agent")
            #expect(await hashes().filter { $0 == newHash }.count == round)
        }
        await h.makeReady(await h.podNames())
        _ = await h.sync(loop, "default/agent")
        status = try #require(await h.cluster.object(.daemonSets, "default/agent"))["status"]
        #expect(status["updatedNumberScheduled"] == 4)
        #expect(status["numberAvailable"] == 4)
        #expect(status["numberUnavailable"].isNull)
        #expect(status["observedGeneration"] == 2)
    }

    @Test func percentMaxUnavailableRoundsUp() async {
        _ = await rollOut(SetsFixtures.daemonSet(maxUnavailable: "30%"))
        await changeImage("agent:2")
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        // 30% of 4 nodes is 1.2, rounded up to 2.
        #expect(await h.calls("delete", .pods).count == 2)
    }

    @Test func surgeStartsNewPodsBesideOldOnes() async throws {
        _ = await rollOut(SetsFixtures.daemonSet(maxUnavailable: 0, maxSurge: 1))
        await changeImage("agent:2")
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        #expect(await h.calls("delete", .pods).isEmpty)
        #expect(await h.calls("create", .pods).count == 1)
        #expect(await h.pods().count == 5)

        // Once the new pod is available, the old pod on its node goes, and the next node surges.
        let fresh = await h.pods().filter { $0["status"]["phase"] == "Pending" }.compactMap { $0["metadata"]["name"].string }
        await h.makeReady(fresh)
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        _ = await h.sync(loop, "default/agent")
        #expect(await h.calls("delete", .pods).count == 1)
        #expect(await h.calls("create", .pods).count == 1)
        #expect(await h.pods().count == 5)
    }

    @Test func onDeleteReplacesOnlyDeletedPods() async throws {
        _ = await rollOut(SetsFixtures.daemonSet(strategy: "OnDelete"))
        await changeImage("agent:2")
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        #expect(await h.calls("delete", .pods).isEmpty)
        let newHash = try #require(await h.revisions().first { $0["revision"] == 2 }?["metadata"]["labels"]["controller-revision-hash"].string)

        let victim = try #require(await h.podNames().first)
        try await h.cluster.delete(.pods, namespace: "default", name: victim)
        _ = await h.sync(loop, "default/agent")
        #expect(await hashes().filter { $0 == newHash }.count == 1)
        #expect(await h.pods().count == 4)
    }

    @Test func rollbackReusesTheEarlierRevision() async throws {
        let oldHash = await rollOut(SetsFixtures.daemonSet())
        await changeImage("agent:2")
        await h.settle(loop, "default/agent")
        let first = try #require(await h.revisions().first { $0["revision"] == 1 })
        #expect(SetControllerRevisions.rollbackTarget(of: try #require(await h.cluster.object(.daemonSets, "default/agent")),
                                                      in: await h.revisions())?["metadata"]["name"] == first["metadata"]["name"])

        // kubectl rollout undo: a strategic merge patch with the old revision's data.
        _ = try await h.cluster.patch(.daemonSets, namespace: "default", name: "agent", type: .strategic, first["data"])
        await h.change(.daemonSets, "default/agent") { $0[path: ["metadata", "generation"]] = 3 }
        await h.cluster.forgetCalls()
        _ = await h.sync(loop, "default/agent")
        #expect(await h.calls("create", .controllerRevisions).isEmpty)
        let revisions = await h.revisions()
        #expect(revisions.count == 2)
        let renumbered = try #require(revisions.first { $0["metadata"]["name"] == first["metadata"]["name"] })
        #expect(renumbered["revision"] == 3)
        #expect(await h.calls("delete", .pods).count == 1)
        await h.makeReady(await h.podNames())
        for _ in 0..<8 {
            _ = await h.sync(loop, "default/agent")
            await h.makeReady(await h.podNames())
        }
        #expect(await hashes() == Array(repeating: oldHash, count: 4))
    }

    @Test func prunesRevisionsBeyondTheHistoryLimit() async throws {
        _ = await rollOut(SetsFixtures.daemonSet(strategy: "OnDelete", historyLimit: 1))
        for image in ["agent:2", "agent:3", "agent:4"] {
            await changeImage(image)
            _ = await h.sync(loop, "default/agent")
        }
        // One old revision may stay beyond the current one; revision 1 is spared while its pods run,
        // so 2 and then 3 are deleted.
        let numbers = Set(await h.revisions().compactMap { $0["revision"].int })
        #expect(numbers == [1, 4])
    }
}
