import Foundation
import Testing

/// Resources served at two versions show the same objects at both: Events (core/v1 and
/// events.k8s.io/v1) and HorizontalPodAutoscalers (autoscaling/v1 and v2).
@Suite struct APIVersionsTests {
    @Test func eventsAndAutoscalersReadAtEveryVersion() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let event = """
            apiVersion: v1
            kind: Event
            metadata: {name: web.1, namespace: default}
            involvedObject: {kind: Pod, name: web, namespace: default}
            reason: Started
            message: Started container web
            type: Normal
            """
        try await apus.ok("create", "-f", "-", stdin: event)
        #expect(try await apus.ok("get", "events.v1.events.k8s.io", "web.1", "-o", "jsonpath={.apiVersion} {.note} {.regarding.name}")
            == "events.k8s.io/v1 Started container web web")
        #expect(try await apus.ok("get", "events").contains("Started container web"))

        let deployment = KubectlObjectsTests.manifest(image: "nginx:1.14.2")
        try await apus.ok("apply", "-f", "-", stdin: deployment)
        try await apus.ok("autoscale", "deployment", "nginx-deployment", "--min=2", "--max=5", "--cpu-percent=70")
        #expect(try await apus.ok("get", "horizontalpodautoscalers.v1.autoscaling", "nginx-deployment", "-o",
                                  "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage} {.spec.maxReplicas}")
            == "autoscaling/v1 70 5")
        #expect(try await apus.ok("get", "horizontalpodautoscalers.v2.autoscaling", "nginx-deployment", "-o",
                                  "jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}")
            == "autoscaling/v2 70")
        try await apus.ok("patch", "horizontalpodautoscalers.v1.autoscaling", "nginx-deployment", "--type=merge", "-p", "{\"spec\":{\"maxReplicas\":7}}")
        #expect(try await apus.ok("get", "hpa", "nginx-deployment", "-o", "jsonpath={.spec.maxReplicas} {.spec.metrics[0].resource.name}")
            == "7 cpu")
    }
}
