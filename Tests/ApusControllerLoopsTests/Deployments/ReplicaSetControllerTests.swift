import ApusControllerKit
import ApusControllerTesting
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct ReplicaSetControllerTests {
    /// Seeds a ReplicaSet and returns it as stored (with its uid).
    private func seed(_ h: DeploymentsHarness, replicas: Int, minReadySeconds: Int = 0) async -> JSON {
        await h.cluster.seed(.replicaSets, [DeploymentsFixtures.replicaSet(replicas: replicas, minReadySeconds: minReadySeconds)])
        return await h.replicaSet("web")!
    }

    @Test func scalesUpWithPodsFromTheTemplate() async {
        let h = DeploymentsHarness()
        let rs = await seed(h, replicas: 3)
        // Until the watch reports the new pods, the ReplicaSet waits for them (at most five minutes).
        #expect(await h.syncReplicaSet("default/web") == .requeue(after: 300))

        let pods = await h.cluster.all(.pods)
        #expect(pods.count == 3)
        for pod in pods {
            #expect(pod["metadata"]["generateName"] == "web-")
            #expect(pod["metadata"]["labels"]["app"] == "web")
            #expect(OwnerReferences.isControlled(pod, by: rs))
            #expect(pod["spec"]["containers"][0]["image"] == "nginx:1.25")
        }
        let created = await h.messages("SuccessfulCreate")
        #expect(Set(created) == Set(pods.map { "Created pod: \(DeploymentsFields.name($0))" }))

        // The status counts the pods once a sync sees them.
        #expect(await h.syncReplicaSet("default/web") == .done)
        let status = await h.replicaSet("web")!["status"]
        #expect(status["replicas"] == 3)
        #expect(status["fullyLabeledReplicas"] == 3)
        #expect(status["readyReplicas"].isNull)
        #expect(status["observedGeneration"] == 1)
    }

    @Test func scalesDownDeletingTheLeastUsefulPods() async {
        let h = DeploymentsHarness()
        let rs = await seed(h, replicas: 2)
        let now = h.clock.now()
        await h.cluster.seed(.pods, [
            DeploymentsFixtures.pod("ready-old", owner: rs, created: now - 500, node: "n1", phase: "Running", readySince: now - 400),
            DeploymentsFixtures.pod("unscheduled", owner: rs, created: now - 600),
            DeploymentsFixtures.pod("ready-new", owner: rs, created: now - 100, node: "n2", phase: "Running", readySince: now - 50),
            DeploymentsFixtures.pod("pending-on-node", owner: rs, created: now - 700, node: "n3"),
        ])
        #expect(await h.syncReplicaSet("default/web") == .requeue(after: 300))
        let remaining = await h.cluster.all(.pods).map(DeploymentsFields.name).sorted()
        #expect(remaining == ["ready-new", "ready-old"])
        #expect(Set(await h.messages("SuccessfulDelete")) == ["Deleted pod: unscheduled", "Deleted pod: pending-on-node"])
        #expect(await h.cluster.calls.filter { $0.verb == "delete" }.count == 2)
    }

    @Test func createsInSlowStartBatches() async {
        actor Attempts {
            var count = 0
            func next() -> Int { count += 1; return count }
        }
        let attempts = Attempts()
        // The 4th attempt fails: batches 1 and 2 succeed, the batch of 4 stops the run.
        let (successes, failure) = await ReplicaSetController.slowStartBatch(10) {
            await attempts.next() == 4 ? DeploymentsFailure("quota") : nil
        }
        #expect(await attempts.count == 7)
        #expect(successes == 6)
        #expect((failure as? DeploymentsFailure)?.description == "quota")

        let (all, none) = await ReplicaSetController.slowStartBatch(5) { nil }
        #expect(all == 5)
        #expect(none == nil)
    }

    @Test func reportsCreateFailuresAsEventsAndCondition() async {
        let h = DeploymentsHarness()
        _ = await seed(h, replicas: 3)
        let quota = "pods \"web-x\" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1"
        await h.cluster.failNext("create", .pods, with: .api(APIError(code: 403, reason: "Forbidden", message: quota)))

        #expect(await h.syncReplicaSet("default/web") == .retry)
        // The first batch (one pod) failed, so nothing more was tried.
        #expect(await h.cluster.calls.filter { $0.verb == "create" }.count == 1)
        #expect(await h.messages("FailedCreate") == ["Error creating: \(quota)"])
        let condition = await h.replicaSet("web")!["status"]["conditions"][0]
        #expect(condition["type"] == "ReplicaFailure")
        #expect(condition["status"] == "True")
        #expect(condition["reason"] == "FailedCreate")
        #expect(condition["message"] == .string(quota))

        // The skipped creations are not expected, so the next sync creates at once and clears the condition.
        #expect(await h.syncReplicaSet("default/web") == .requeue(after: 300))
        #expect(await h.cluster.all(.pods).count == 3)
        #expect(await h.syncReplicaSet("default/web") == .done)
        #expect(await h.replicaSet("web")!["status"]["conditions"].isNull)
    }

    @Test func waitsForExpectationsBeforeActingAgain() async {
        let h = DeploymentsHarness()
        _ = await seed(h, replicas: 2)
        // Sync without feeding the created pods back through the watch.
        #expect(await h.replicaSets.sync("default/web") == .requeue(after: 300))
        let pods = await h.cluster.all(.pods)
        #expect(pods.count == 2)

        // A pod disappears, but the creations were never observed: no new pod yet.
        _ = try? await h.cluster.delete(.pods, namespace: "default", name: DeploymentsFields.name(pods[0]))
        await h.cluster.forgetCalls()
        _ = await h.replicaSets.sync("default/web")
        #expect(await h.cluster.calls.filter { $0.verb == "create" }.isEmpty)

        // Once the watch reports both creations, the controller replaces the missing pod.
        let watch = h.replicaSets.watches.first { $0.resource == .pods }!
        #expect(await watch.keys(nil, pods[0]) == ["default/web"])
        #expect(await watch.keys(nil, pods[1]) == ["default/web"])
        _ = await h.replicaSets.sync("default/web")
        #expect(await h.cluster.calls.filter { $0.verb == "create" }.count == 1)
    }

    @Test func expectationsExpireAfterFiveMinutes() async {
        let h = DeploymentsHarness()
        _ = await seed(h, replicas: 1)
        _ = await h.replicaSets.sync("default/web")
        let pod = await h.cluster.all(.pods)[0]
        _ = try? await h.cluster.delete(.pods, namespace: "default", name: DeploymentsFields.name(pod))
        h.clock.advance(by: 301)
        _ = await h.replicaSets.sync("default/web")
        #expect(await h.cluster.all(.pods).count == 1)
    }

    @Test func adoptsOrphansAndReleasesPodsThatStopMatching() async {
        let h = DeploymentsHarness()
        let rs = await seed(h, replicas: 2)
        let now = h.clock.now()
        await h.cluster.seed(.pods, [
            DeploymentsFixtures.pod("orphan", created: now),
            DeploymentsFixtures.pod("relabelled", labels: ["app": "other"], owner: rs, created: now),
            DeploymentsFixtures.pod("foreign", owner: ["metadata": ["name": "other", "uid": "someone-else"]], created: now),
        ])
        await h.syncReplicaSet("default/web")

        let orphan = await h.cluster.object(.pods, "default/orphan")!
        #expect(OwnerReferences.isControlled(orphan, by: rs))
        let relabelled = await h.cluster.object(.pods, "default/relabelled")!
        #expect(relabelled["metadata"]["ownerReferences"].array?.isEmpty ?? true)
        let foreign = await h.cluster.object(.pods, "default/foreign")!
        #expect(OwnerReferences.controller(of: foreign)?["uid"] == "someone-else")

        let patches = await h.cluster.calls.filter { $0.verb == "patch" }
        #expect(patches.map(\.name).sorted() == ["orphan", "relabelled"])
        let adopt = patches.first { $0.name == "orphan" }!.body
        #expect(adopt["metadata"]["uid"] == orphan["metadata"]["uid"])
        #expect(adopt["metadata"]["ownerReferences"][0]["controller"] == true)
        let release = patches.first { $0.name == "relabelled" }!.body
        #expect(release["metadata"]["ownerReferences"][0]["$patch"] == "delete")
        #expect(release["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"])

        // One adopted pod counts; the released one is replaced.
        #expect(await h.messages("SuccessfulCreate").count == 1)
    }

    @Test func countsAvailabilityAfterMinReadySecondsAndLooksAgainThen() async {
        let h = DeploymentsHarness()
        let rs = await seed(h, replicas: 2, minReadySeconds: 10)
        let now = h.clock.now()
        await h.cluster.seed(.pods, [
            DeploymentsFixtures.pod("a", owner: rs, created: now - 20, node: "n1", phase: "Running", readySince: now - 4),
            DeploymentsFixtures.pod("b", owner: rs, created: now - 20, node: "n1", phase: "Running", readySince: now - 2),
        ])
        // Pod a becomes available in 6 s; one more second against skew.
        #expect(await h.replicaSets.sync("default/web") == .requeue(after: 7))
        var status = await h.replicaSet("web")!["status"]
        #expect(status["readyReplicas"] == 2)
        #expect(status["availableReplicas"].isNull)

        h.clock.advance(by: 8)
        #expect(await h.replicaSets.sync("default/web") == .done)
        status = await h.replicaSet("web")!["status"]
        #expect(status["availableReplicas"] == 2)
    }

    @Test func podEventsMapToTheOwningReplicaSet() async {
        let h = DeploymentsHarness()
        let rs = await seed(h, replicas: 1)
        let watch = h.replicaSets.watches.first { $0.resource == .pods }!
        let owned = DeploymentsFixtures.pod("p", owner: rs, created: 0)
        #expect(await watch.keys(nil, owned) == ["default/web"])
        #expect(await watch.keys(owned, nil) == ["default/web"])
        // An orphan wakes every ReplicaSet selecting it; a pod of an unknown owner wakes none.
        #expect(await watch.keys(nil, DeploymentsFixtures.pod("o", created: 0)) == ["default/web"])
        #expect(await watch.keys(nil, DeploymentsFixtures.pod("x", owner: ["metadata": ["name": "gone", "uid": "u"]], created: 0)) == [])
    }
}
