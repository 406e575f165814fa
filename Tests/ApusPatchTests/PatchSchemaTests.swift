import Testing
@testable import ApusPatch

@Suite struct PatchSchemaTests {
    let podTemplatePaths: [(group: String, kind: String, spec: [String])] = [
        ("apps", "Deployment", ["spec", "template", "spec"]),
        ("apps", "ReplicaSet", ["spec", "template", "spec"]),
        ("apps", "StatefulSet", ["spec", "template", "spec"]),
        ("apps", "DaemonSet", ["spec", "template", "spec"]),
        ("batch", "Job", ["spec", "template", "spec"]),
        ("batch", "CronJob", ["spec", "jobTemplate", "spec", "template", "spec"]),
        ("", "ReplicationController", ["spec", "template", "spec"]),
        ("", "PodTemplate", ["template", "spec"]),
        ("", "Pod", ["spec"]),
    ]

    @Test func everyPodSpecMergesItsTaggedLists() {
        for entry in podTemplatePaths {
            let schema = PatchSchema.forKind(group: entry.group, kind: entry.kind)
            let spec = entry.spec
            for containers in ["containers", "initContainers", "ephemeralContainers"] {
                #expect(schema.listStrategy(at: spec + [containers]) == .merge(key: "name"), "\(entry.kind) \(containers)")
                #expect(schema.mergeKey(at: spec + [containers, "ports"]) == "containerPort", "\(entry.kind)")
                #expect(schema.mergeKey(at: spec + [containers, "env"]) == "name")
                #expect(schema.mergeKey(at: spec + [containers, "volumeMounts"]) == "mountPath")
                #expect(schema.mergeKey(at: spec + [containers, "volumeDevices"]) == "devicePath")
                #expect(schema.listStrategy(at: spec + [containers, "args"]) == .replace)
                #expect(schema.listStrategy(at: spec + [containers, "envFrom"]) == .replace)
            }
            #expect(schema.mergeKey(at: spec + ["volumes"]) == "name")
            #expect(schema.retainsKeys(at: spec + ["volumes"]))
            #expect(schema.mergeKey(at: spec + ["imagePullSecrets"]) == "name")
            #expect(schema.mergeKey(at: spec + ["hostAliases"]) == "ip")
            #expect(schema.mergeKey(at: spec + ["topologySpreadConstraints"]) == "topologyKey")
            #expect(schema.mergeKey(at: spec + ["resourceClaims"]) == "name")
            #expect(schema.mergeKey(at: spec + ["schedulingGates"]) == "name")
            #expect(schema.listStrategy(at: spec + ["tolerations"]) == .replace)
            #expect(schema.listStrategy(at: spec + ["readinessGates"]) == .replace)
        }
    }

    @Test func templateMetadataIsObjectMeta() {
        let deployment = PatchSchema.forKind(group: "apps", kind: "Deployment")
        #expect(deployment.mergeKey(at: ["spec", "template", "metadata", "ownerReferences"]) == "uid")
        let cronJob = PatchSchema.forKind(group: "batch", kind: "CronJob")
        #expect(cronJob.listStrategy(at: ["spec", "jobTemplate", "metadata", "finalizers"]) == .merge(key: nil))
    }

    @Test func everyKindHasObjectMeta() {
        for (group, kind) in [("", "ConfigMap"), ("", "Secret"), ("", "Endpoints"), ("example.com", "Widget"), ("apps", "Deployment")] {
            let schema = PatchSchema.forKind(group: group, kind: kind)
            #expect(schema.listStrategy(at: ["metadata", "ownerReferences"]) == .merge(key: "uid"), "\(kind)")
            #expect(schema.listStrategy(at: ["metadata", "finalizers"]) == .merge(key: nil), "\(kind)")
            #expect(schema.listStrategy(at: ["metadata", "managedFields"]) == .replace)
        }
    }

    @Test func kindSpecificLists() {
        #expect(PatchSchema.forKind(group: "", kind: "Service").mergeKey(at: ["spec", "ports"]) == "port")
        #expect(PatchSchema.forKind(group: "", kind: "Service").mergeKey(at: ["status", "conditions"]) == "type")
        let node = PatchSchema.forKind(group: "", kind: "Node")
        #expect(node.listStrategy(at: ["spec", "taints"]) == .replace)  // untagged in k8s.io/api
        #expect(node.listStrategy(at: ["spec", "podCIDRs"]) == .merge(key: nil))
        #expect(node.mergeKey(at: ["status", "addresses"]) == "type")
        #expect(node.mergeKey(at: ["status", "conditions"]) == "type")
        let pod = PatchSchema.forKind(group: "", kind: "Pod")
        #expect(pod.mergeKey(at: ["status", "conditions"]) == "type")
        #expect(pod.mergeKey(at: ["status", "podIPs"]) == "ip")
        #expect(pod.listStrategy(at: ["status", "containerStatuses"]) == .replace)
        let namespace = PatchSchema.forKind(group: "", kind: "Namespace")
        #expect(namespace.listStrategy(at: ["spec", "finalizers"]) == .replace)
        #expect(namespace.mergeKey(at: ["status", "conditions"]) == "type")
        #expect(PatchSchema.forKind(group: "", kind: "Endpoints").listStrategy(at: ["subsets"]) == .replace)
        #expect(PatchSchema.forKind(group: "", kind: "ServiceAccount").mergeKey(at: ["secrets"]) == "name")
        for (group, kind) in [("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("batch", "Job"), ("", "ReplicationController")] {
            #expect(PatchSchema.forKind(group: group, kind: kind).mergeKey(at: ["status", "conditions"]) == "type", "\(kind)")
        }
    }

    @Test func deploymentStrategyRetainsKeys() {
        let deployment = PatchSchema.forKind(group: "apps", kind: "Deployment")
        #expect(deployment.retainsKeys(at: ["spec", "strategy"]))
        #expect(!deployment.retainsKeys(at: ["spec", "template"]))
    }

    @Test func groupMattersForKindLookup() {
        #expect(PatchSchema.forKind(group: "example.com", kind: "Deployment").listStrategy(at: ["spec", "template", "spec", "containers"]) == .replace)
    }

    @Test func schemasCompose() {
        let schema = PatchSchema.empty
            .adding(.merge(key: "id"), at: ["items"])
            .including(PatchSchema.empty.adding(.merge(key: nil), at: ["tags"]), under: ["spec"])
        #expect(schema.mergeKey(at: ["items"]) == "id")
        #expect(schema.listStrategy(at: ["spec", "tags"]) == .merge(key: nil))
        #expect(schema.listStrategy(at: ["tags"]) == .replace)
        #expect(schema.field(at: ["nothing"]) == PatchSchema.Field())
    }
}
