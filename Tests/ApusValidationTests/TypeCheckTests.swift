import ApusMachinery
import Testing
@testable import ApusValidation

@Suite struct TypeCheckTests {
    @Test func validObjectsPass() {
        #expect(TypeCheck.check(group: "apps", kind: "Deployment", object: deployment()).isEmpty)
        let pod = parse(#"{"metadata":{"name":"p","labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"500m","memory":1073741824}},"livenessProbe":{"httpGet":{"port":"http"}}}],"hostNetwork":false}}"#)
        #expect(TypeCheck.check(group: "", kind: "Pod", object: pod).isEmpty)
    }

    @Test func stringReplicas() {
        let errs = TypeCheck.check(group: "apps", kind: "Deployment", object: deployment(replicas: "three"))
        #expect(errs.count == 1)
        #expect(errs.first?.kind == .typeInvalid)
        #expect(errs.first?.field == "spec.replicas")
        #expect(errs.first?.detail == "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
        #expect(errs.first?.description == "spec.replicas: Invalid value: \"three\": json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
    }

    @Test func numbersOutOfRange() {
        let errs = TypeCheck.check(group: "apps", kind: "Deployment", object: deployment(replicas: 3_000_000_000))
        #expect(errs.map(\.detail) == ["json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32"])
        let fractional = TypeCheck.check(group: "apps", kind: "Deployment", object: deployment(replicas: 1.5))
        #expect(fractional.map(\.detail) == ["json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32"])
    }

    @Test func nestedFields() {
        var object = deployment(labels: ["app": 1])
        object[path: ["spec", "template", "spec", "containers"]] = [["name": "c", "image": 5, "args": ["a", true]]]
        object[path: ["spec", "template", "spec", "hostNetwork"]] = "yes"
        let errs = TypeCheck.check(group: "apps", kind: "Deployment", object: object)
        #expect(errs.map(\.field) == [
            "spec.template.metadata.labels[app]",
            "spec.template.spec.containers[0].args[1]",
            "spec.template.spec.containers[0].image",
            "spec.template.spec.hostNetwork",
        ])
        #expect(errs.map(\.detail) == [
            "json: cannot unmarshal number into Go struct field ObjectMeta.spec.template.metadata.labels of type string",
            "json: cannot unmarshal bool into Go struct field Container.spec.template.spec.containers.args of type string",
            "json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string",
            "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.hostNetwork of type bool",
        ])
        let wrongContainers = TypeCheck.check(group: "", kind: "Pod", object: ["spec": ["containers": ["web"]]])
        #expect(wrongContainers.map(\.detail) == ["json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container"])
        let wrongSpec = TypeCheck.check(group: "apps", kind: "Deployment", object: ["spec": []])
        #expect(wrongSpec.map(\.detail) == ["json: cannot unmarshal array into Go struct field Deployment.spec of type v1.DeploymentSpec"])
    }

    @Test func badQuantity() {
        let pod: JSON = ["spec": ["containers": [["name": "c", "image": "i", "resources": ["limits": ["cpu": "abc", "memory": "1Gi"]]]]]]
        let errs = TypeCheck.check(group: "", kind: "Pod", object: pod)
        #expect(messages(errs) == [
            "spec.containers[0].resources.limits[cpu]: Invalid value: \"abc\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ])
        // The semantic validator skips what it cannot parse instead of reporting it twice.
        #expect(KindValidation.validate(group: "", kind: "Pod", object: pod).isEmpty)
    }

    @Test func intOrStringAndBase64() {
        var object = deployment()
        object[path: ["spec", "strategy"]] = ["rollingUpdate": ["maxSurge": true]]
        #expect(TypeCheck.check(group: "apps", kind: "Deployment", object: object).map(\.detail) == [
            "json: cannot unmarshal bool into Go value of type int32",
        ])
        let secret: JSON = ["data": ["ok": "YQ==", "bad": "not base64!"]]
        #expect(messages(TypeCheck.check(group: "", kind: "Secret", object: secret)) == [
            "data[bad]: Invalid value: \"not base64!\": illegal base64 data at input byte 3",
        ])
    }

    @Test func metadataTypes() {
        let object: JSON = ["metadata": ["name": 5, "generation": "1", "finalizers": "x"], "spec": .emptyObject]
        #expect(TypeCheck.check(group: "", kind: "ConfigMap", object: object).map(\.detail) == [
            "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string",
            "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.generation of type int64",
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string",
        ])
    }

    @Test func validatorsDoNotCrashOnWrongTypes() {
        let garbage: JSON = ["metadata": ["name": [1], "labels": "x", "ownerReferences": 3],
                             "spec": ["containers": "x", "volumes": [1, "a"], "selector": 4, "template": ["metadata": 1, "spec": ["containers": [1]]],
                                      "ports": [["port": "x"]], "rules": "y", "replicas": "z"]]
        for (group, kind) in [("", "Pod"), ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("batch", "Job"),
                              ("batch", "CronJob"), ("", "Service"), ("", "ConfigMap"), ("", "Secret"), ("networking.k8s.io", "Ingress"),
                              ("rbac.authorization.k8s.io", "RoleBinding"), ("policy", "PodDisruptionBudget"), ("", "Node"), ("", "Endpoints")] {
            _ = KindValidation.validate(group: group, kind: kind, object: garbage)
            _ = KindValidation.validateUpdate(group: group, kind: kind, new: garbage, old: .emptyObject)
            _ = TypeCheck.check(group: group, kind: kind, object: garbage)
        }
        _ = ObjectMetaValidation.validate(garbage["metadata"], namespaced: true, nameRule: .dns1123Subdomain)
        _ = ObjectMetaValidation.validateUpdate(new: garbage["metadata"], old: .string("x"))
    }
}
