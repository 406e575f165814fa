import ApusMachinery
import Testing
@testable import ApusSchema

@Suite("OpenAPI v3 schemas")
struct OpenAPIV3Tests {
    static let groupVersions = ["v1", "apps/v1", "batch/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1",
                                "events.k8s.io/v1", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "autoscaling/v1",
                                "autoscaling/v2", "policy/v1", "scheduling.k8s.io/v1", "storage.k8s.io/v1",
                                "apiextensions.k8s.io/v1", "authentication.k8s.io/v1"]

    static func refs(in value: JSON, into out: inout Set<String>) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if key == "$ref", let ref = member.string { out.insert(ref) } else { refs(in: member, into: &out) }
            }
        case .array(let items):
            for item in items { refs(in: item, into: &out) }
        default:
            break
        }
    }

    @Test("each group-version's schemas reference only schemas they contain", arguments: groupVersions)
    func closure(groupVersion: String) {
        let schemas = OpenAPIV3.schemas(groupVersion: groupVersion)
        let names = Set(schemas.object?.keys ?? [])
        #expect(!names.isEmpty)
        var refs: Set<String> = []
        Self.refs(in: schemas, into: &refs)
        let prefix = "#/components/schemas/"
        #expect(refs.allSatisfy { $0.hasPrefix(prefix) })
        let dangling = refs.map { String($0.dropFirst(prefix.count)) }.filter { !names.contains($0) }
        #expect(dangling == [])
        #expect(names.contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
    }

    @Test("kinds carry their group-version-kind")
    func groupVersionKinds() {
        let apps = OpenAPIV3.schemas(groupVersion: "apps/v1")
        #expect(apps["io.k8s.api.apps.v1.Deployment"]["x-kubernetes-group-version-kind"]
            == [["group": "apps", "version": "v1", "kind": "Deployment"]])
        #expect(apps["io.k8s.api.apps.v1.DeploymentList"]["x-kubernetes-group-version-kind"]
            == [["group": "apps", "version": "v1", "kind": "DeploymentList"]])
        #expect(apps["io.k8s.api.apps.v1.DeploymentSpec"]["x-kubernetes-group-version-kind"] == .null)
        let core = OpenAPIV3.schemas(groupVersion: "v1")
        #expect(core["io.k8s.api.core.v1.Pod"]["x-kubernetes-group-version-kind"] == [["group": "", "version": "v1", "kind": "Pod"]])
        #expect(core["io.k8s.api.core.v1.Pod"]["description"].string != nil)
        let hpa = OpenAPIV3.schemas(groupVersion: "autoscaling/v2")
        #expect(hpa["io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"]["x-kubernetes-group-version-kind"]
            == [["group": "autoscaling", "version": "v2", "kind": "HorizontalPodAutoscaler"]])
        #expect(hpa["io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler"] == .null)
    }

    @Test("properties use Kubernetes' types, formats and allOf references")
    func shapes() {
        let core = OpenAPIV3.schemas(groupVersion: "v1")
        let pod = core["io.k8s.api.core.v1.Pod"]
        #expect(pod["type"] == "object")
        #expect(pod["properties"]["spec"] == ["allOf": [["$ref": "#/components/schemas/io.k8s.api.core.v1.PodSpec"]]])
        #expect(pod["properties"]["apiVersion"] == ["type": "string"])
        let containers = core["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"]
        #expect(containers == ["type": "array", "items": ["allOf": [["$ref": "#/components/schemas/io.k8s.api.core.v1.Container"]]]])
        let container = core["io.k8s.api.core.v1.Container"]["properties"]
        #expect(container["image"] == ["type": "string"])
        #expect(container["tty"] == ["type": "boolean"])
        #expect(core["io.k8s.api.core.v1.ContainerPort"]["properties"]["containerPort"] == ["type": "integer", "format": "int32"])
        #expect(core["io.k8s.api.core.v1.PodSpec"]["properties"]["activeDeadlineSeconds"] == ["type": "integer", "format": "int64"])
        #expect(core["io.k8s.api.core.v1.PodSpec"]["properties"]["nodeSelector"]
            == ["type": "object", "additionalProperties": ["type": "string"]])
        #expect(core["io.k8s.api.core.v1.Secret"]["properties"]["data"]
            == ["type": "object", "additionalProperties": ["type": "string", "format": "byte"]])
        #expect(core["io.k8s.apimachinery.pkg.apis.meta.v1.Time"] == ["type": "string", "format": "date-time"])
        #expect(core["io.k8s.apimachinery.pkg.api.resource.Quantity"] == ["oneOf": [["type": "string"], ["type": "number"]]])
        #expect(core["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
            == ["format": "int-or-string", "oneOf": [["type": "integer"], ["type": "string"]]])
        #expect(core["io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"] == ["type": "object"])
        // Volume sources are members of Volume itself, as in Kubernetes' JSON.
        #expect(core["io.k8s.api.core.v1.Volume"]["properties"]["configMap"] != .null)
        #expect(core["io.k8s.api.core.v1.Volume"]["properties"]["volumeSource"] == .null)
    }

    @Test("CustomResourceDefinition's recursive schema type is published once")
    func recursiveSchema() {
        let schemas = OpenAPIV3.schemas(groupVersion: "apiextensions.k8s.io/v1")
        let props = schemas["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"]["properties"]
        #expect(props["properties"] == ["type": "object", "additionalProperties": [
            "allOf": [["$ref": "#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"]]]])
        #expect(props["$ref"] == ["type": "string"])
        #expect(props["x-kubernetes-validations"]["type"] == "array")
    }

    @Test("schemas for an explicit kind list include only what those kinds reach")
    func explicitKinds() {
        let lease = OpenAPIV3.schemas(for: [GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")])
        let names = Set(lease.object?.keys ?? [])
        #expect(names.contains("io.k8s.api.coordination.v1.Lease"))
        #expect(names.contains("io.k8s.api.coordination.v1.LeaseSpec"))
        #expect(names.contains("io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"))
        #expect(!names.contains("io.k8s.api.coordination.v1.LeaseList"))
        #expect(!names.contains("io.k8s.api.core.v1.Pod"))
        #expect(OpenAPIV3.schemas(for: [GroupVersionKind(group: "example.com", version: "v1", kind: "Widget")]) == .emptyObject)
    }
}
