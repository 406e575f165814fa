import ApusControllerKit
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct ReplicaSetPodRankingTests {
    let now = 1_800_000_000.0

    private func order(_ pods: [JSON], related: [JSON]? = nil) -> [String] {
        ReplicaSetPodRanking.podsToDelete(pods, related: related ?? pods, count: pods.count - 1, now: now).map(DeploymentsFields.name)
    }

    private func pod(_ name: String, node: String? = "n1", phase: String = "Running", readySince: Double? = nil,
                     created: Double? = nil, uid: String? = nil, cost: String? = nil, restarts: Int? = nil) -> JSON {
        var pod = DeploymentsFixtures.pod(name, created: created ?? now - 1000, node: node, phase: phase, readySince: readySince)
        pod[path: ["metadata", "uid"]] = .string(uid ?? name)
        if let cost { pod[path: ["metadata", "annotations", ReplicaSetPodRanking.deletionCostAnnotation]] = .string(cost) }
        if let restarts { pod[path: ["status", "containerStatuses"]] = [["name": "web", "restartCount": .int(Int64(restarts))]] }
        return pod
    }

    @Test func followsKubernetesOrder() {
        let pods = [
            pod("ready", readySince: now - 500),
            pod("not-ready"),
            pod("unknown", phase: "Unknown"),
            pod("pending", phase: "Pending"),
            pod("unassigned", node: nil, phase: "Pending"),
        ]
        #expect(order(pods) == ["unassigned", "pending", "unknown", "not-ready"])
    }

    @Test func deletionCostComesBeforeCrowdedNodes() {
        let cheap = pod("cheap", node: "a", readySince: now - 500, cost: "-5")
        let crowded1 = pod("crowded-1", node: "b", readySince: now - 500)
        let crowded2 = pod("crowded-2", node: "b", readySince: now - 500)
        let alone = pod("alone", node: "c", readySince: now - 500)
        #expect(ReplicaSetPodRanking.podsToDelete([alone, crowded1, cheap, crowded2], related: [alone, crowded1, cheap, crowded2],
                                                  count: 1, now: now).map(DeploymentsFields.name) == ["cheap"])
        let first = ReplicaSetPodRanking.podsToDelete([alone, crowded1, crowded2], related: [alone, crowded1, crowded2], count: 1, now: now)
        #expect(first.map(DeploymentsFields.name) != ["alone"])
        // Invalid costs count as 0.
        #expect(ReplicaSetPodRanking.deletionCost(pod("x", cost: "+3")) == 0)
        #expect(ReplicaSetPodRanking.deletionCost(pod("x", cost: "007")) == 0)
        #expect(ReplicaSetPodRanking.deletionCost(pod("x", cost: "-12")) == -12)
    }

    @Test func newerReadinessThenRestartsThenNewerCreation() {
        // Ready for 10 s versus 10000 s: different log2 buckets, the more recent goes first.
        #expect(order([pod("long", readySince: now - 10_000), pod("short", readySince: now - 10)]) == ["short"])
        // Same readiness: more restarts first.
        #expect(order([pod("calm", readySince: now - 10, restarts: 0), pod("flaky", readySince: now - 10, restarts: 4)]) == ["flaky"])
        // Otherwise the newer pod first.
        #expect(order([pod("old", created: now - 100_000), pod("new", created: now - 5)]) == ["new"])
        // In the same log2 bucket, the uid decides.
        #expect(order([pod("b", created: now - 1000, uid: "uid-b"), pod("a", created: now - 1001, uid: "uid-a")]) == ["a"])
    }

    @Test func deletesAllWithoutSortingWhenAllMustGo() {
        let pods = [pod("x"), pod("y")]
        #expect(ReplicaSetPodRanking.podsToDelete(pods, related: pods, count: 2, now: now).count == 2)
    }
}
