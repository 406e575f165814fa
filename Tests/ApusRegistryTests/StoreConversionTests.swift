import ApusMachinery
import ApusRegistry
import Testing

@Suite("Store: versions stored as another version")
struct StoreConversionTests {
    static let coreEvent: JSON = [
        "apiVersion": "v1", "kind": "Event",
        "metadata": ["name": "web.1", "namespace": "default"],
        "involvedObject": ["kind": "Pod", "name": "web", "namespace": "default"],
        "reason": "Started", "message": "Started container web", "type": "Normal", "count": 2,
        "source": ["component": "kubelet"], "firstTimestamp": "2026-11-22T10:00:00Z", "lastTimestamp": "2026-11-22T10:01:00Z",
    ]

    @Test("a core/v1 Event reads as an events.k8s.io/v1 Event and back")
    func events() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let core = try await h.def("events")
        let new = try await h.def("events", group: "events.k8s.io")
        try await h.create(core, "default", Self.coreEvent)

        let asNew = try await h.get(new, "default", "web.1")
        #expect(asNew["apiVersion"] == "events.k8s.io/v1")
        #expect(asNew["note"] == "Started container web")
        #expect(asNew["regarding"]["name"] == "web")
        #expect(asNew["deprecatedCount"] == 2)
        #expect(asNew["deprecatedSource"]["component"] == "kubelet")
        #expect(asNew["involvedObject"].isNull && asNew["message"].isNull)
        let listed = try await h.store.list(new, namespace: "default", options: ListOptions())
        #expect(listed.items.map { $0.object["note"] } == ["Started container web"])

        let event: JSON = [
            "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": ["name": "sched.1", "namespace": "default"],
            "eventTime": "2026-11-22T10:00:00.000000Z", "reportingController": "default-scheduler", "reportingInstance": "apus",
            "action": "Binding", "reason": "Scheduled", "note": "Successfully assigned default/web to node-1", "type": "Normal",
            "regarding": ["kind": "Pod", "name": "web", "namespace": "default"],
        ]
        let created = try await h.create(new, "default", event)
        #expect(created["apiVersion"] == "events.k8s.io/v1" && created["note"] == event["note"])
        let asCore = try await h.get(core, "default", "sched.1")
        #expect(asCore["apiVersion"] == "v1")
        #expect(asCore["message"] == event["note"])
        #expect(asCore["reportingComponent"] == "default-scheduler")
        #expect(asCore["involvedObject"]["name"] == "web")

        var withoutTime = event
        withoutTime["eventTime"] = .null
        withoutTime[path: ["metadata", "name"]] = "x"
        await #expect(throws: APIError.self) { try await h.create(new, "default", withoutTime) }
    }

    static let hpaV1: JSON = [
        "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web", "namespace": "default"],
        "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "minReplicas": 1, "maxReplicas": 5,
                 "targetCPUUtilizationPercentage": 60],
    ]

    @Test("an autoscaling/v1 HPA is stored as v2, and v2-only fields survive a v1 round trip")
    func hpa() async throws {
        let h = try await Harness.start()
        defer { h.stop() }
        let v1 = try await h.def("horizontalpodautoscalers", group: "autoscaling", version: "v1")
        let v2 = try await h.def("horizontalpodautoscalers", group: "autoscaling", version: "v2")
        let created = try await h.create(v1, "default", Self.hpaV1)
        #expect(created["apiVersion"] == "autoscaling/v1" && created["spec"]["targetCPUUtilizationPercentage"] == 60)
        let asV2 = try await h.get(v2, "default", "web")
        #expect(asV2["apiVersion"] == "autoscaling/v2")
        #expect(asV2["spec"]["metrics"] == [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 60]]]])
        #expect(asV2["spec"]["targetCPUUtilizationPercentage"].isNull)

        // A v2 client adds a memory metric and behavior; a v1 client then changes maxReplicas.
        var edited = asV2
        edited[path: ["spec", "metrics"]] = .array((asV2["spec"]["metrics"].array ?? []) + [
            ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "500Mi"]]],
        ])
        edited[path: ["spec", "behavior"]] = ["scaleDown": ["stabilizationWindowSeconds": 60]]
        try await h.update(v2, "default", "web", .replace(edited))
        var readV1 = try await h.get(v1, "default", "web")
        #expect(readV1["spec"]["targetCPUUtilizationPercentage"] == 60)
        #expect(readV1["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/metrics"].string?.contains("\"targetAverageValue\":\"500Mi\"") == true)
        readV1[path: ["spec", "maxReplicas"]] = 8
        try await h.update(v1, "default", "web", .replace(readV1))

        let final = try await h.get(v2, "default", "web")
        #expect(final["spec"]["maxReplicas"] == 8)
        #expect(final["spec"]["metrics"] == edited["spec"]["metrics"])
        #expect(final["spec"]["behavior"] == edited["spec"]["behavior"])
        #expect(final["metadata"]["annotations"].isNull, "conversion annotations are not stored")
    }
}
