import ApusMachinery
import Testing
@testable import ApusSchema

@Suite("type model")
struct KindSchemasTests {
    /// The kinds BuiltinResources serves, plus the subresource kinds.
    static let served: [(String, String, String)] = [
        ("", "v1", "Namespace"), ("", "v1", "Pod"), ("", "v1", "Node"), ("", "v1", "Service"), ("", "v1", "Endpoints"),
        ("", "v1", "ConfigMap"), ("", "v1", "Secret"), ("", "v1", "Event"), ("", "v1", "ServiceAccount"),
        ("", "v1", "ComponentStatus"), ("", "v1", "PersistentVolume"), ("", "v1", "PersistentVolumeClaim"),
        ("", "v1", "LimitRange"), ("", "v1", "ResourceQuota"), ("", "v1", "ReplicationController"), ("", "v1", "PodTemplate"),
        ("", "v1", "Binding"), ("apps", "v1", "Deployment"), ("apps", "v1", "ReplicaSet"), ("apps", "v1", "StatefulSet"),
        ("apps", "v1", "DaemonSet"), ("apps", "v1", "ControllerRevision"), ("batch", "v1", "Job"), ("batch", "v1", "CronJob"),
        ("coordination.k8s.io", "v1", "Lease"), ("discovery.k8s.io", "v1", "EndpointSlice"), ("events.k8s.io", "v1", "Event"),
        ("networking.k8s.io", "v1", "Ingress"), ("networking.k8s.io", "v1", "IngressClass"),
        ("networking.k8s.io", "v1", "NetworkPolicy"), ("rbac.authorization.k8s.io", "v1", "Role"),
        ("rbac.authorization.k8s.io", "v1", "RoleBinding"), ("rbac.authorization.k8s.io", "v1", "ClusterRole"),
        ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"), ("autoscaling", "v2", "HorizontalPodAutoscaler"),
        ("autoscaling", "v1", "HorizontalPodAutoscaler"), ("autoscaling", "v1", "Scale"), ("policy", "v1", "PodDisruptionBudget"),
        ("policy", "v1", "Eviction"), ("scheduling.k8s.io", "v1", "PriorityClass"), ("storage.k8s.io", "v1", "StorageClass"),
        ("apiextensions.k8s.io", "v1", "CustomResourceDefinition"), ("authentication.k8s.io", "v1", "TokenRequest"),
    ]

    @Test("every served kind has a type with apiVersion, kind and metadata")
    func servedKinds() throws {
        for (group, version, kind) in Self.served {
            let ref = try #require(KindSchemas.root(group: group, version: version, kind: kind), "\(group)/\(version) \(kind)")
            let descriptor = try #require(KindSchemas.descriptor(ref))
            #expect(descriptor.fieldsByName["apiVersion"] == .string)
            #expect(descriptor.fieldsByName["kind"] == .string)
            #expect(descriptor.fieldsByName["metadata"] != nil, "\(kind)")
        }
        #expect(KindSchemas.root(group: "example.com", version: "v1", kind: "Widget") == nil)
        #expect(KindSchemas.root(group: "apps", version: "v1", kind: "DeploymentList") == "apps.v1.DeploymentList")
    }

    @Test("every reference in the tables names a type of the tables")
    func tablesAreClosed() {
        var missing: [String] = []
        for descriptor in KindSchemas.descriptorsByName.values {
            for ref in OpenAPIV3.references(descriptor) where KindSchemas.descriptor(ref) == nil {
                missing.append("\(descriptor.ref) -> \(ref)")
            }
        }
        #expect(missing == [])
    }

    @Test("JSON names follow the Go tags, not the proto names")
    func jsonNames() throws {
        let parameters = try #require(KindSchemas.descriptor("networking.v1.IngressClassParametersReference"))
        #expect(parameters.fieldsByName["apiGroup"] == .string)
        #expect(parameters.fieldsByName["aPIGroup"] == nil)
        let bound = try #require(KindSchemas.descriptor("authentication.v1.BoundObjectReference"))
        #expect(bound.fieldsByName["uid"] == .string)
        let schema = try #require(KindSchemas.descriptor("apiextensions.v1.JSONSchemaProps"))
        #expect(schema.fieldsByName["$ref"] == .string)
        #expect(schema.fieldsByName["x-kubernetes-preserve-unknown-fields"] == .bool)
        #expect(schema.fieldsByName["properties"] == .map(.ref("apiextensions.v1.JSONSchemaProps")))
        let container = try #require(KindSchemas.descriptor("core.v1.Container"))
        #expect(container.fieldsByName["ports"] == .array(.ref("core.v1.ContainerPort")))
        #expect(container.fieldsByName["command"] == .array(.string))
        let secret = try #require(KindSchemas.descriptor("core.v1.Secret"))
        #expect(secret.fieldsByName["data"] == .map(.bytes))
    }

    @Test("OpenAPI names follow Kubernetes")
    func openAPINames() {
        #expect(TypeRef("core.v1.Pod").openAPIName == "io.k8s.api.core.v1.Pod")
        #expect(TypeRef("meta.v1.ObjectMeta").openAPIName == "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
        #expect(TypeRef("api.resource.Quantity").openAPIName == "io.k8s.apimachinery.pkg.api.resource.Quantity")
        #expect(TypeRef("util.intstr.IntOrString").openAPIName == "io.k8s.apimachinery.pkg.util.intstr.IntOrString")
        #expect(TypeRef("runtime.RawExtension").openAPIName == "io.k8s.apimachinery.pkg.runtime.RawExtension")
        #expect(TypeRef("apiextensions.v1.JSONSchemaProps").openAPIName
            == "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps")
    }
}
