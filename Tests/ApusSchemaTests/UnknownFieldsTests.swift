import ApusMachinery
import Testing
@testable import ApusSchema

@Suite("unknown fields")
struct UnknownFieldsTests {
    func root(_ group: String, _ version: String, _ kind: String) throws -> TypeRef {
        try #require(KindSchemas.root(group: group, version: version, kind: kind))
    }

    @Test("realistic objects of many kinds have no unknown fields")
    func realisticObjectsAreClean() throws {
        let cases: [(JSON, TypeRef)] = [
            (Fixtures.deployment, try root("apps", "v1", "Deployment")),
            (Fixtures.pod, try root("", "v1", "Pod")),
            (Fixtures.service, try root("", "v1", "Service")),
            (Fixtures.cronJob, try root("batch", "v1", "CronJob")),
            (Fixtures.ingress, try root("networking.k8s.io", "v1", "Ingress")),
            (Fixtures.horizontalPodAutoscalerV2, try root("autoscaling", "v2", "HorizontalPodAutoscaler")),
            (Fixtures.statefulSet, try root("apps", "v1", "StatefulSet")),
            (Fixtures.customResourceDefinition, try root("apiextensions.k8s.io", "v1", "CustomResourceDefinition")),
        ]
        for (object, type) in cases {
            #expect(object.object != nil, "fixture for \(type) did not parse")
            #expect(UnknownFields.find(in: object, root: type) == [], "\(type)")
        }
    }

    @Test("unknown fields are found at depth, with Kubernetes' paths, in document order")
    func foundAtDepth() throws {
        var pod = Fixtures.pod
        pod[path: ["metadata", "labelz"]] = ["a": "b"]
        pod[path: ["spec", "foo"]] = 1
        var containers = pod["spec"]["containers"].array ?? []
        containers[0]["imagee"] = "nginx"
        containers[1]["resources"] = ["limits": ["cpu": "1"], "requests": ["cpu": "1"], "limitz": [:]]
        var ports = containers[0]["ports"].array ?? []
        ports[1]["containerPortt"] = 80
        containers[0]["ports"] = .array(ports)
        pod[path: ["spec", "containers"]] = .array(containers)
        var volumes = pod["spec"]["volumes"].array ?? []
        volumes[0]["configMap"]["itemz"] = []
        volumes[2]["terminationGracePeriodSeconds"] = 30
        pod[path: ["spec", "volumes"]] = .array(volumes)
        pod[path: ["status", "containerStatuses"]] = [["name": "x", "state": ["waiting": ["reasonn": "x"]]]]

        let found = UnknownFields.find(in: pod, root: try root("", "v1", "Pod"))
        #expect(found == [
            "metadata.labelz",
            "spec.containers[0].imagee",
            "spec.containers[0].ports[1].containerPortt",
            "spec.containers[1].resources.limitz",
            "spec.foo",
            "spec.volumes[0].configMap.itemz",
            "spec.volumes[2].terminationGracePeriodSeconds",
            "status.containerStatuses[0].state.waiting.reasonn",
        ])
        #expect(UnknownFields.strictDecodingMessage(Array(found.prefix(2)))
            == #"strict decoding error: unknown field "metadata.labelz", unknown field "spec.containers[0].imagee""#)
    }

    @Test("type metadata belongs to kinds only, including kinds nested in other kinds")
    func typeMetaOnlyOnKinds() throws {
        var deployment = Fixtures.deployment
        deployment[path: ["spec", "template", "apiVersion"]] = "v1"
        #expect(UnknownFields.find(in: deployment, root: try root("apps", "v1", "Deployment")) == ["spec.template.apiVersion"])
        // StatefulSet claim templates are PersistentVolumeClaims, which carry apiVersion and kind.
        let claims = Fixtures.statefulSet["spec"]["volumeClaimTemplates"][0]
        #expect(claims["kind"] == "PersistentVolumeClaim")
        #expect(UnknownFields.find(in: Fixtures.statefulSet, root: try root("apps", "v1", "StatefulSet")) == [])
    }

    @Test("embedded structs are flattened: volume sources, probe handlers, local object references, ingress rule values")
    func inlineMembers() throws {
        let pod = Fixtures.pod
        #expect(pod["spec"]["volumes"][0]["configMap"]["name"] == "cfg")
        #expect(pod["spec"]["containers"][0]["livenessProbe"]["httpGet"]["port"] == 8080)
        #expect(UnknownFields.find(in: pod, root: try root("", "v1", "Pod")) == [])
        var wrong = pod
        wrong[path: ["spec", "volumes"]] = [["name": "v", "volumeSource": ["emptyDir": [:]]]]
        wrong[path: ["spec", "containers"]] = [["name": "c", "livenessProbe": ["handler": ["exec": [:]]]]]
        #expect(UnknownFields.find(in: wrong, root: try root("", "v1", "Pod"))
            == ["spec.containers[0].livenessProbe.handler", "spec.volumes[0].volumeSource"])
        var ingress = Fixtures.ingress
        ingress[path: ["spec", "rules"]] = [["host": "a", "ingressRuleValue": [:]]]
        #expect(UnknownFields.find(in: ingress, root: try root("networking.k8s.io", "v1", "Ingress"))
            == ["spec.rules[0].ingressRuleValue"])
    }

    @Test("int-or-string and quantity fields take both forms; maps are keyed by their entries")
    func scalarUnions() throws {
        let type = try root("apps", "v1", "Deployment")
        for surge: JSON in [1, "25%"] {
            var d = Fixtures.deployment
            d[path: ["spec", "strategy", "rollingUpdate", "maxSurge"]] = surge
            d[path: ["spec", "template", "spec", "containers"]] = [
                ["name": "a", "resources": ["limits": ["cpu": surge, "memory": 1.5]]],
            ]
            #expect(UnknownFields.find(in: d, root: type) == [])
            #expect(UnknownFields.pruned(d, root: type) == d)
        }
        // Values inside free-form members (labels, fieldsV1, RawExtension) are never checked.
        var revision: JSON = ["apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": ["name": "r"], "revision": 2]
        revision["data"] = ["spec": ["anything": ["goes": true]]]
        #expect(UnknownFields.find(in: revision, root: try root("apps", "v1", "ControllerRevision")) == [])
    }

    @Test("map values of object type are checked under their key")
    func mapOfObjects() throws {
        var crd = Fixtures.customResourceDefinition
        crd[path: ["spec", "versions"]] = [[
            "name": "v1", "served": true, "storage": true,
            "schema": ["openAPIV3Schema": ["type": "object", "properties": ["spec": ["type": "object", "typo": true]]]],
        ]]
        #expect(UnknownFields.find(in: crd, root: try root("apiextensions.k8s.io", "v1", "CustomResourceDefinition"))
            == ["spec.versions[0].schema.openAPIV3Schema.properties.spec.typo"])
    }

    @Test("schema forms decoded leniently by Kubernetes drop unknown members without reporting them")
    func lenientSchemaForms() throws {
        let type = try root("apiextensions.k8s.io", "v1", "CustomResourceDefinition")
        var crd = Fixtures.customResourceDefinition
        crd[path: ["spec", "versions"]] = [[
            "name": "v1", "served": true, "storage": true,
            "schema": ["openAPIV3Schema": ["type": "array", "items": ["type": "string", "typo": 1],
                                           "additionalProperties": ["type": "string", "typo": 2]]],
        ]]
        #expect(UnknownFields.find(in: crd, root: type) == [])
        let pruned = UnknownFields.pruned(crd, root: type)
        let schema = pruned["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
        #expect(schema["items"] == ["type": "string"])
        #expect(schema["additionalProperties"] == ["type": "string"])
    }

    @Test("at most 100 unknown fields are reported")
    func limit() throws {
        var cm: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"]]
        for i in 0..<150 { cm["extra\(1000 + i)"] = 1 }
        let found = UnknownFields.find(in: cm, root: try root("", "v1", "ConfigMap"))
        #expect(found.count == 100)
        #expect(found.first == "extra1000")
    }
}
