import ApusMachinery
import Testing
@testable import ApusSchema

@Suite("pruning")
struct PruningTests {
    @Test("pruning keeps every known field of large objects")
    func roundTrip() throws {
        let cases: [(JSON, GroupVersionKind)] = [
            (Fixtures.deployment, GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")),
            (Fixtures.pod, GroupVersionKind(group: "", version: "v1", kind: "Pod")),
            (Fixtures.service, GroupVersionKind(group: "", version: "v1", kind: "Service")),
            (Fixtures.cronJob, GroupVersionKind(group: "batch", version: "v1", kind: "CronJob")),
            (Fixtures.ingress, GroupVersionKind(group: "networking.k8s.io", version: "v1", kind: "Ingress")),
            (Fixtures.horizontalPodAutoscalerV2, GroupVersionKind(group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler")),
            (Fixtures.statefulSet, GroupVersionKind(group: "apps", version: "v1", kind: "StatefulSet")),
            (Fixtures.customResourceDefinition,
             GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")),
        ]
        for (object, gvk) in cases {
            let type = try #require(KindSchemas.root(group: gvk.group, version: gvk.version, kind: gvk.kind))
            #expect(UnknownFields.pruned(object, root: type) == object, "\(gvk)")
        }
    }

    @Test("pruning removes exactly the unknown fields, at every depth")
    func removesUnknown() throws {
        let type = try #require(KindSchemas.root(group: "apps", version: "v1", kind: "Deployment"))
        var dirty = Fixtures.deployment
        dirty["extra"] = "x"
        dirty[path: ["metadata", "labelz"]] = ["a": "b"]
        dirty[path: ["spec", "template", "spec", "containers"]] = [
            ["name": "a", "image": "i", "imagee": "typo", "ports": [["containerPort": 80, "port": 80]]],
        ]
        dirty[path: ["status", "conditions"]] = [["type": "Available", "status": "True", "since": "now"]]
        let pruned = UnknownFields.pruned(dirty, root: type)
        #expect(UnknownFields.find(in: pruned, root: type) == [])
        var expected = Fixtures.deployment
        expected[path: ["spec", "template", "spec", "containers"]] = [["name": "a", "image": "i", "ports": [["containerPort": 80]]]]
        expected[path: ["status", "conditions"]] = [["type": "Available", "status": "True"]]
        #expect(pruned == expected)
        // Free-form members are kept whole.
        #expect(pruned["metadata"]["managedFields"] == Fixtures.deployment["metadata"]["managedFields"])
    }
}
