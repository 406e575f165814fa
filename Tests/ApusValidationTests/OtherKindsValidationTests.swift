import ApusMachinery
import Testing
@testable import ApusValidation

@Suite struct OtherKindsValidationTests {
    func validate(_ group: String, _ kind: String, _ object: JSON) -> [String] {
        messages(KindValidation.validate(group: group, kind: kind, object: object))
    }

    @Test func namespacesAndNodes() {
        #expect(validate("", "Namespace", ["spec": ["finalizers": ["kubernetes"]]]) == [])
        #expect(validate("", "Namespace", ["spec": ["finalizers": ["custom"]]]) == [
            "spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified",
        ])
        #expect(validate("", "Node", ["spec": ["podCIDRs": ["10.244.0.0/24", "bad"], "taints": [["key": "k", "effect": "Never"], ["key": "k", "effect": "Never"]]]]) == [
            "metadata.taints[0].effect: Unsupported value: \"Never\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            "metadata.taints[1].effect: Unsupported value: \"Never\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            "metadata.taints[1]: Duplicate value: {\"effect\":\"Never\",\"key\":\"k\"}: taints must be unique by key and effect pair",
            "spec.podCIDRs[1]: Invalid value: \"bad\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            "spec.podCIDRs: Invalid value: []string{\"10.244.0.0/24\", \"bad\"}: may specify no more than one CIDR for each IP family",
        ])
        let old: JSON = ["spec": ["podCIDRs": ["10.244.0.0/24"], "providerID": "kind://a"]]
        let new: JSON = ["spec": ["podCIDRs": ["10.244.1.0/24"], "providerID": "kind://b"]]
        #expect(messages(KindValidation.validateUpdate(group: "", kind: "Node", new: new, old: old)) == [
            "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid",
            "spec.providerID: Forbidden: node updates may not change providerID except from \"\" to valid",
        ])
    }

    @Test func endpoints() {
        let good: JSON = ["subsets": [["addresses": [["ip": "10.244.0.5"]], "ports": [["port": 80]]]]]
        #expect(validate("", "Endpoints", good) == [])
        let bad: JSON = ["subsets": [
            ["ports": [["port": 80]]],
            ["addresses": [["ip": "300.1.1.1"], ["ip": "127.0.0.1"]], "ports": [["port": 80], ["name": "b", "port": 81]]],
        ]]
        #expect(validate("", "Endpoints", bad) == [
            "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
            "subsets[1].addresses[0].ip: Invalid value: \"300.1.1.1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            "subsets[1].addresses[0].ip: Invalid value: \"300.1.1.1\": must be a valid IP address",
            "subsets[1].addresses[1].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
            "subsets[1].ports[0].name: Required value",
        ])
    }

    @Test func events() {
        let event: JSON = ["metadata": ["name": "e", "namespace": "default"], "involvedObject": ["kind": "Pod", "namespace": "other", "name": "p"]]
        #expect(validate("", "Event", event) == ["involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"])
        var matching = event
        matching[path: ["involvedObject", "namespace"]] = "default"
        #expect(validate("", "Event", matching) == [])
    }

    @Test func ingresses() {
        #expect(validate("networking.k8s.io", "Ingress", ["spec": .emptyObject]) == [
            "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified",
        ])
        let ingress: JSON = ["spec": ["rules": [
            ["host": "Example.com", "http": ["paths": [
                ["path": "/", "pathType": "Prefix", "backend": ["service": ["name": "web", "port": ["number": 80]]]],
                ["path": "api", "backend": ["service": ["name": "api", "port": ["number": 80]]]],
                ["path": "api", "pathType": "Exact", "backend": ["service": ["name": "api"]]],
            ]]],
            ["host": "*.example.com", "http": ["paths": []]],
        ]]]
        #expect(validate("networking.k8s.io", "Ingress", ingress) == [
            "spec.rules[0].host: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified",
            "spec.rules[0].http.paths[2].path: Invalid value: \"api\": must be an absolute path",
            "spec.rules[0].http.paths[2].backend: Required value: port name or number is required",
            "spec.rules[1].http.paths: Required value",
        ])
    }

    @Test func rbac() {
        let role: JSON = ["rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["get"]], ["nonResourceURLs": ["/healthz"], "verbs": []], ["verbs": ["get"]]]]
        #expect(validate("rbac.authorization.k8s.io", "Role", role) == [
            "rules[1].verbs: Required value: verbs must contain at least one value",
            "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs",
            "rules[2].apiGroups: Required value: resource rules must supply at least one api group",
            "rules[2].resources: Required value: resource rules must supply at least one resource",
        ])
        #expect(validate("rbac.authorization.k8s.io", "ClusterRole", ["rules": [["nonResourceURLs": ["/healthz"], "verbs": ["get"]]]]) == [])
        let binding: JSON = ["roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "view"],
                             "subjects": [["kind": "ServiceAccount", "name": "default"], ["kind": "User", "name": "jane"], ["kind": "Robot", "name": "r"]]]
        #expect(validate("rbac.authorization.k8s.io", "ClusterRoleBinding", binding) == [
            "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
            "subjects[0].namespace: Required value",
            "subjects[2].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
        ])
        var changed = binding
        changed[path: ["roleRef", "name"]] = "edit"
        #expect(messages(KindValidation.validateUpdate(group: "rbac.authorization.k8s.io", kind: "RoleBinding", new: changed, old: binding)) == [
            "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"edit\"}: cannot change roleRef",
        ])
    }

    @Test func priorityClasses() {
        #expect(validate("scheduling.k8s.io", "PriorityClass", ["metadata": ["name": "high"], "value": 1_000_000]) == [])
        #expect(validate("scheduling.k8s.io", "PriorityClass", ["metadata": ["name": "huge"], "value": 2_000_000_000]) == [
            "value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
        ])
        #expect(validate("scheduling.k8s.io", "PriorityClass", ["metadata": ["name": "system-mine"], "value": 1]) == [
            "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
        ])
        #expect(messages(KindValidation.validateUpdate(group: "scheduling.k8s.io", kind: "PriorityClass", new: ["value": 2], old: ["value": 1])) == [
            "value: Forbidden: may not be changed in an update.",
        ])
    }

    @Test func autoscalersBudgetsLeases() {
        #expect(validate("autoscaling", "HorizontalPodAutoscaler", ["spec": ["scaleTargetRef": ["kind": "Deployment", "name": "web"], "minReplicas": 1, "maxReplicas": 5]]) == [])
        #expect(validate("autoscaling", "HorizontalPodAutoscaler", ["spec": ["minReplicas": 3, "maxReplicas": 2]]) == [
            "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`",
            "spec.scaleTargetRef.kind: Required value",
            "spec.scaleTargetRef.name: Required value",
        ])
        #expect(validate("autoscaling", "HorizontalPodAutoscaler", ["spec": ["scaleTargetRef": ["kind": "Deployment", "name": "web"], "minReplicas": 0]]) == [
            "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
            "spec.maxReplicas: Invalid value: 0: must be greater than 0",
        ])
        let pdb: JSON = ["spec": ["minAvailable": 1, "maxUnavailable": "10%", "selector": ["matchLabels": ["app": "web"]]]]
        #expect(validate("policy", "PodDisruptionBudget", pdb) == [
            "spec: Invalid value: {\"maxUnavailable\":\"10%\",\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}: minAvailable and maxUnavailable cannot be both set",
        ])
        #expect(validate("coordination.k8s.io", "Lease", ["spec": ["holderIdentity": "a", "leaseDurationSeconds": 0]]) == [
            "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
        ])
    }

    @Test func unknownKindsAreValid() {
        #expect(KindValidation.validate(group: "example.com", kind: "Widget", object: ["spec": ["anything": true]]).isEmpty)
        #expect(KindValidation.validateUpdate(group: "", kind: "ServiceAccount", new: .emptyObject, old: .emptyObject).isEmpty)
        #expect(TypeCheck.check(group: "example.com", kind: "Widget", object: ["spec": 1]).isEmpty)
    }
}
