import ApusControllerKit
import ApusControllerLoops
import ApusControllerTesting
import ApusMachinery
import Testing

/// Metrics as a metrics server would report them: cpu usage per pod.
private struct FixedCPUMetrics: HPAMetricsSource {
    let usage: [String: Int64]
    let at: Double

    func resourceMetrics(_ resource: String, namespace: String, selector: LabelSelector,
                         container: String?) async throws(HPAMetricsError) -> [String: HPAPodSample] {
        usage.mapValues { HPAPodSample(milliValue: $0, timestamp: at) }
    }
    func podsMetric(_ metric: String, namespace: String, selector: LabelSelector,
                    metricSelector: LabelSelector) async throws(HPAMetricsError) -> [String: HPAPodSample] { throw HPAMetricsError("none") }
    func objectMetric(_ metric: String, namespace: String, describedObject: JSON,
                      metricSelector: LabelSelector) async throws(HPAMetricsError) -> Int64 { throw HPAMetricsError("none") }
    func externalMetric(_ metric: String, namespace: String, metricSelector: LabelSelector) async throws(HPAMetricsError) -> [Int64] {
        throw HPAMetricsError("none")
    }
}

@Suite struct HorizontalPodAutoscalerControllerTests {
    let h = ClusterHarness()
    let noMetricsError = "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API"

    func hpa(min: Int64 = 1, max: Int64 = 10, kind: String = "Deployment") -> JSON {
        ["apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
         "metadata": ["name": "web", "namespace": "default"],
         "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": .string(kind), "name": "web"],
                  "minReplicas": .int(min), "maxReplicas": .int(max),
                  "metrics": [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 50]]]]]]
    }

    func seedDeployment(replicas: Int64) async {
        await h.cluster.seed(.deployments, [["apiVersion": "apps/v1", "kind": "Deployment",
                                             "metadata": ["name": "web", "namespace": "default"],
                                             "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": "web"]]],
                                             "status": ["replicas": .int(replicas)]]])
    }

    func status() async throws -> JSON { try #require(await h.cluster.object(.horizontalPodAutoscalers, "default/web"))["status"] }
    func replicas() async -> Int64? { await h.cluster.object(.deployments, "default/web")?["spec"]["replicas"].int }

    @Test func withoutMetricsTheHPAReportsWhyAndLeavesTheScale() async throws {
        await seedDeployment(replicas: 3)
        await h.cluster.seed(.horizontalPodAutoscalers, [hpa()])
        let controller = HorizontalPodAutoscalerController(context: h.context)
        #expect(await controller.sync("default/web") == .requeue(after: 15))

        let status = try await status()
        #expect(status["currentReplicas"] == 3)
        #expect(status["desiredReplicas"] == 0)
        #expect(status["currentMetrics"] == [["type": ""]])
        let able = try #require(ClusterFixtures.condition(["status": status], "AbleToScale"))
        #expect(able["status"] == "True" && able["reason"] == "SucceededGetScale")
        #expect(able["message"] == "the HPA controller was able to get the target's current scale")
        let active = try #require(ClusterFixtures.condition(["status": status], "ScalingActive"))
        #expect(active["status"] == "False" && active["reason"] == "FailedGetResourceMetric")
        #expect(active["message"].string == "the HPA was unable to compute the replica count: \(noMetricsError)")
        #expect(active["lastTransitionTime"] == ClusterFixtures.time(h.now))

        let events = await h.events.events
        #expect(events.map(\.reason) == ["FailedGetResourceMetric", "FailedComputeMetricsReplicas"])
        #expect(events.allSatisfy { $0.type == "Warning" })
        #expect(events[0].message == noMetricsError)
        #expect(events[1].message == "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: \(noMetricsError)")
        #expect(await h.calls("patch", .deployments).isEmpty)

        // The same state again: no status write.
        await h.cluster.forgetCalls()
        h.clock.advance(by: 15)
        _ = await controller.sync("default/web")
        #expect(await h.calls("update", .horizontalPodAutoscalers).isEmpty)
    }

    @Test func aTargetAboveMaxReplicasIsScaledDown() async throws {
        await seedDeployment(replicas: 12)
        await h.cluster.seed(.horizontalPodAutoscalers, [hpa()])
        _ = await HorizontalPodAutoscalerController(context: h.context).sync("default/web")
        let patch = try #require(await h.calls("patch", .deployments).first)
        #expect(patch.subresource == "scale")
        #expect(patch.body == ["spec": ["replicas": 10]])
        #expect(await replicas() == 10)
        let status = try await status()
        #expect(status["currentReplicas"] == 12 && status["desiredReplicas"] == 10)
        #expect(status["lastScaleTime"] == ClusterFixtures.time(h.now))
        let able = try #require(ClusterFixtures.condition(["status": status], "AbleToScale"))
        #expect(able["reason"] == "SucceededRescale" && able["message"] == "the HPA controller was able to update the target scale to 10")
        #expect(await h.events.events.map(\.message) == ["New size: 10; reason: Current number of replicas above Spec.MaxReplicas"])
    }

    @Test func aTargetBelowMinReplicasIsScaledUp() async throws {
        await seedDeployment(replicas: 1)
        await h.cluster.seed(.horizontalPodAutoscalers, [hpa(min: 2)])
        _ = await HorizontalPodAutoscalerController(context: h.context).sync("default/web")
        #expect(await replicas() == 2)
        #expect(await h.events.events.first?.reason == "SuccessfulRescale")
        #expect(await h.events.events.first?.message == "New size: 2; reason: Current number of replicas below Spec.MinReplicas")
    }

    @Test func aTargetScaledToZeroDisablesScaling() async throws {
        await seedDeployment(replicas: 0)
        await h.cluster.seed(.horizontalPodAutoscalers, [hpa()])
        _ = await HorizontalPodAutoscalerController(context: h.context).sync("default/web")
        let active = try #require(ClusterFixtures.condition(["status": try await status()], "ScalingActive"))
        #expect(active["reason"] == "ScalingDisabled" && active["message"] == "scaling is disabled since the replica count of the target is zero")
        #expect(await replicas() == 0)
    }

    @Test func aMissingTargetIsReported() async throws {
        await h.cluster.seed(.horizontalPodAutoscalers, [hpa()])
        _ = await HorizontalPodAutoscalerController(context: h.context).sync("default/web")
        #expect(await h.events.events.first?.reason == "FailedGetScale")
        #expect(await h.events.events.first?.message == "deployments.apps \"web\" not found")
        let able = try #require(ClusterFixtures.condition(["status": try await status()], "AbleToScale"))
        #expect(able["status"] == "False")
        #expect(able["message"] == "the HPA controller was unable to get the target's current scale: deployments.apps \"web\" not found")
    }

    @Test func anUnknownKindIsReported() async throws {
        await h.cluster.seed(.horizontalPodAutoscalers, [hpa(kind: "Widget")])
        _ = await HorizontalPodAutoscalerController(context: h.context).sync("default/web")
        #expect(await h.events.events.first?.message == "no matches for kind \"Widget\" in group \"apps\"")
    }

    @Test func metricsFromAPluggedInSourceScaleTheTarget() async throws {
        await seedDeployment(replicas: 2)
        await h.cluster.seed(.horizontalPodAutoscalers, [hpa()])
        var pods: [JSON] = []
        for name in ["web-a", "web-b"] {
            var pod = ClusterFixtures.pod(name, node: "n1", labels: ["app": "web"], at: h.now - 600)
            pod[path: ["spec", "containers"]] = [["name": "app", "resources": ["requests": ["cpu": "100m"]]]]
            pod[path: ["status", "startTime"]] = ClusterFixtures.time(h.now - 900)
            pods.append(pod)
        }
        await h.cluster.seed(.pods, pods)
        let metrics = FixedCPUMetrics(usage: ["web-a": 100, "web-b": 100], at: h.now)
        let controller = HorizontalPodAutoscalerController(context: h.context, metrics: metrics)
        _ = await controller.sync("default/web")
        #expect(await replicas() == 4)
        #expect(await h.events.events.map(\.message) == ["New size: 4; reason: cpu resource utilization (percentage of request) above target"])
        let status = try await status()
        #expect(status["desiredReplicas"] == 4)
        #expect(status["currentMetrics"] == [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 100, "averageValue": "100m"]]]])
        let active = try #require(ClusterFixtures.condition(["status": status], "ScalingActive"))
        #expect(active["reason"] == "ValidMetricFound")
        #expect(active["message"] == "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)")
        #expect(ClusterFixtures.condition(["status": status], "ScalingLimited")?["reason"] == "DesiredWithinRange")
    }

    @Test func theMetricsSourceDefaultIsTheUnavailableOne() async throws {
        await #expect(throws: HPAMetricsError("no metrics returned from resource metrics API")) {
            try await HPAUnavailableMetrics().resourceMetrics("cpu", namespace: "default", selector: .everything, container: nil)
        }
    }
}
