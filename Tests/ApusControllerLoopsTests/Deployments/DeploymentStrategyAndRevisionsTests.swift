import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct DeploymentStrategyAndRevisionsTests {
    private func budgets(_ replicas: Int, _ surge: JSON, _ unavailable: JSON) -> (Int, Int) {
        let d = DeploymentsFixtures.deployment(replicas: replicas, strategy: DeploymentsFixtures.rolling(surge: surge, unavailable: unavailable))
        return (DeploymentStrategy.maxSurge(d), DeploymentStrategy.maxUnavailable(d))
    }

    @Test func resolvesBudgetsWithKubernetesRounding() {
        #expect(budgets(10, "25%", "25%") == (3, 2))
        #expect(budgets(1, "25%", "25%") == (1, 0))
        #expect(budgets(3, 2, 5) == (2, 3))  // unavailable never above spec.replicas
        #expect(budgets(3, "0%", "0%") == (0, 1))  // both zero: one may be unavailable
        #expect(budgets(0, "25%", "25%") == (0, 0))
        #expect(budgets(4, "1", 1) == (0, 0))  // "1" is no percentage: invalid, no budget
        // Missing values get the apps/v1 defaults.
        let defaulted = DeploymentsFixtures.deployment(replicas: 8, strategy: ["type": "RollingUpdate"])
        #expect(DeploymentStrategy.maxSurge(defaulted) == 2)
        #expect(DeploymentStrategy.maxUnavailable(defaulted) == 2)
    }

    @Test func absurdNumbersAreClampedNotTrappedOn() async {
        var d = DeploymentsFixtures.deployment(strategy: DeploymentsFixtures.rolling(surge: "99999999999999%", unavailable: .int(Int64.max)))
        d[path: ["spec", "replicas"]] = .int(Int64.max)
        #expect(DeploymentStrategy.maxSurge(d) == Int(Int32.max))
        #expect(DeploymentStrategy.maxUnavailable(d) == Int(Int32.max))

        let h = DeploymentsHarness()
        var rs = DeploymentsFixtures.replicaSet(name: "web-old", replicas: 0)
        rs[path: ["metadata", "labels"]] = ["app": "web"]
        rs[path: ["spec", "template", "spec", "containers"]] = [["name": "web", "image": "nginx:1.0"]]
        rs[path: ["metadata", "annotations"]] = [DeploymentRevisions.revisionAnnotation: .string(String(Int64.max))]
        await h.cluster.seed(.replicaSets, [rs])
        await h.cluster.seed(.deployments, [DeploymentsFixtures.deployment(replicas: 1)])
        await h.syncDeployment()
        #expect(await h.cluster.all(.replicaSets).count == 2)
        // The next revision wraps around as Go's int64 does, rather than trapping.
        #expect(DeploymentsFields.annotation(await h.deployment(), DeploymentRevisions.revisionAnnotation) == String(Int64.min))
    }

    @Test func appendsRevisionHistoryWithinItsLimit() {
        #expect(DeploymentRevisions.appendHistory("", "1") == "1")
        #expect(DeploymentRevisions.appendHistory("1,3", "4") == "1,3,4")
        let long = (1...800).map(String.init).joined(separator: ",")
        #expect(long.count > DeploymentRevisions.historyLimitInChars)
        let appended = DeploymentRevisions.appendHistory(long, "801")!
        #expect(appended.count <= DeploymentRevisions.historyLimitInChars)
        #expect(appended.count > DeploymentRevisions.historyLimitInChars - 5)
        #expect(appended.hasSuffix(",800,801"))
        #expect(!appended.hasPrefix("1,"))
    }

    @Test func bumpsARevisionOnlyUpwardsAndCopiesAnnotations() {
        var d = DeploymentsFixtures.deployment(replicas: 4)
        d[path: ["metadata", "annotations"]] = ["kubernetes.io/change-cause": "v2", DeploymentRevisions.lastAppliedAnnotation: "{}",
                                                DeploymentRevisions.revisionAnnotation: "9"]
        var rs = DeploymentsFixtures.replicaSet()
        rs[path: ["metadata", "annotations"]] = [DeploymentRevisions.revisionAnnotation: "2"]
        #expect(DeploymentRevisions.setNewReplicaSetAnnotations(d, &rs, newRevision: "5", exists: true))
        #expect(DeploymentsFields.annotations(rs) == [
            "kubernetes.io/change-cause": "v2",
            DeploymentRevisions.revisionAnnotation: "5",
            DeploymentRevisions.revisionHistoryAnnotation: "2",
        ])
        #expect(!DeploymentRevisions.setNewReplicaSetAnnotations(d, &rs, newRevision: "4", exists: true))

        var fresh = DeploymentsFixtures.replicaSet()
        _ = DeploymentRevisions.setNewReplicaSetAnnotations(d, &fresh, newRevision: "1", exists: false)
        #expect(DeploymentsFields.annotation(fresh, DeploymentRevisions.desiredReplicasAnnotation) == "4")
        #expect(DeploymentsFields.annotation(fresh, DeploymentRevisions.maxReplicasAnnotation) == "5")
        #expect(DeploymentsFields.annotation(fresh, DeploymentRevisions.revisionHistoryAnnotation) == nil)
    }
}

