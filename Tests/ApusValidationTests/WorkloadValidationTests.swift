import ApusMachinery
import Testing
@testable import ApusValidation

@Suite struct WorkloadValidationTests {
    func validate(_ kind: String, _ object: JSON) -> [String] {
        messages(KindValidation.validate(group: "apps", kind: kind, object: object))
    }

    @Test func validDeployment() {
        #expect(validate("Deployment", deployment()) == [])
    }

    @Test func selectorMismatch() {
        let errs = KindValidation.validate(group: "apps", kind: "Deployment", object: deployment(labels: ["app": "api"]))
        #expect(messages(errs) == [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`",
        ])
        #expect(errs.first?.cause.reason == "FieldValueInvalid")
        #expect(errs.first?.cause.field == "spec.template.metadata.labels")
    }

    @Test func missingSelector() {
        #expect(validate("Deployment", deployment(selector: .null)) == [
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
        ])
    }

    @Test func emptySelector() {
        #expect(validate("Deployment", deployment(selector: .emptyObject)) == [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
        ])
    }

    @Test func negativeReplicas() {
        #expect(validate("Deployment", deployment(replicas: -1)) == ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"])
    }

    @Test func selectorExpressions() {
        let selector: JSON = ["matchExpressions": [
            ["key": "app", "operator": "In", "values": ["web"]],
            ["key": "tier", "operator": "Exists", "values": ["x"]],
            ["key": "zone", "operator": "Near"],
        ]]
        #expect(validate("Deployment", deployment(selector: selector)) == [
            "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            "spec.selector.matchExpressions[2].operator: Invalid value: \"Near\": not a valid selector operator",
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"In\", Values:[]string{\"web\"}}, v1.LabelSelectorRequirement{Key:\"tier\", Operator:\"Exists\", Values:[]string{\"x\"}}, v1.LabelSelectorRequirement{Key:\"zone\", Operator:\"Near\", Values:[]string(nil)}}}: invalid label selector",
        ])
        let matching: JSON = ["matchExpressions": [["key": "app", "operator": "In", "values": ["web", "api"]], ["key": "legacy", "operator": "DoesNotExist"]]]
        #expect(validate("Deployment", deployment(selector: matching)) == [])
    }

    @Test func templateIsValidatedAsPodTemplate() {
        var object = deployment()
        object[path: ["spec", "template", "spec", "containers"]] = [["name": "web"]]
        object[path: ["spec", "template", "spec", "restartPolicy"]] = "Never"
        #expect(validate("Deployment", object) == [
            "spec.template.spec.containers[0].image: Required value",
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
        ])
    }

    @Test func strategies() {
        var object = deployment()
        object[path: ["spec", "strategy"]] = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 0, "maxUnavailable": "0%"]]
        #expect(validate("Deployment", object) == [
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}: may not be 0 when `maxSurge` is 0",
        ])
        object[path: ["spec", "strategy"]] = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 0]]
        #expect(validate("Deployment", object) == [])
        object[path: ["spec", "strategy"]] = ["type": "Recreate", "rollingUpdate": ["maxSurge": 1]]
        #expect(validate("Deployment", object) == ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"])
        object[path: ["spec", "strategy"]] = ["type": "BlueGreen"]
        #expect(validate("Deployment", object) == [
            "spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\"",
        ])
        object[path: ["spec", "strategy"]] = ["rollingUpdate": ["maxUnavailable": "150%", "maxSurge": "x"]]
        #expect(validate("Deployment", object) == [
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"x\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%",
        ])
    }

    @Test func progressDeadline() {
        var object = deployment()
        object[path: ["spec", "minReadySeconds"]] = 30
        object[path: ["spec", "progressDeadlineSeconds"]] = 30
        #expect(validate("Deployment", object) == ["spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"])
    }

    @Test func immutableSelector() {
        let old = deployment()
        let new = deployment(labels: ["app": "web2"], selector: ["matchLabels": ["app": "web2"]])
        let errs = KindValidation.validateUpdate(group: "apps", kind: "Deployment", new: new, old: old)
        #expect(messages(errs) == [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
        ])
        var scaled = old
        scaled[path: ["spec", "replicas"]] = 5
        #expect(KindValidation.validateUpdate(group: "apps", kind: "Deployment", new: scaled, old: old).isEmpty)
        var equivalent = old
        equivalent[path: ["spec", "selector", "matchExpressions"]] = []
        #expect(KindValidation.validateUpdate(group: "apps", kind: "ReplicaSet", new: equivalent, old: old).isEmpty)
    }

    @Test func replicaSet() {
        var object = deployment()
        object["kind"] = "ReplicaSet"
        object[path: ["spec", "selector"]] = .emptyObject
        #expect(validate("ReplicaSet", object) == [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
        ])
    }

    @Test func statefulSet() {
        var object = deployment()
        object[path: ["spec", "podManagementPolicy"]] = "Random"
        object[path: ["spec", "updateStrategy"]] = ["type": "RollingUpdate", "rollingUpdate": ["partition": -1, "maxUnavailable": 0]]
        object[path: ["spec", "template", "spec", "activeDeadlineSeconds"]] = 10
        #expect(validate("StatefulSet", object) == [
            "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
            "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: cannot be 0",
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported",
        ])
        var changed = deployment()
        changed[path: ["spec", "serviceName"]] = "other"
        changed[path: ["spec", "replicas"]] = 3
        #expect(messages(KindValidation.validateUpdate(group: "apps", kind: "StatefulSet", new: changed, old: deployment())) == [
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ])
        var scaled = deployment()
        scaled[path: ["spec", "replicas"]] = 3
        scaled[path: ["spec", "podManagementPolicy"]] = "OrderedReady"
        #expect(KindValidation.validateUpdate(group: "apps", kind: "StatefulSet", new: scaled, old: deployment()).isEmpty)
    }

    @Test func daemonSet() {
        var object = deployment()
        object[path: ["spec", "replicas"]] = .null
        #expect(validate("DaemonSet", object) == [])
        object[path: ["spec", "updateStrategy"]] = ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 0]]
        #expect(validate("DaemonSet", object) == ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"])
        object[path: ["spec", "updateStrategy"]] = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 1]]
        #expect(validate("DaemonSet", object) == [
            "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero",
        ])
        object[path: ["spec", "updateStrategy"]] = .null
        object[path: ["spec", "selector"]] = .null
        #expect(validate("DaemonSet", object) == [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
        ])
    }

    @Test func replicationController() {
        let rc: JSON = ["spec": ["replicas": 2, "template": ["metadata": ["labels": ["app": "web"]], "spec": podSpec()]]]
        #expect(messages(KindValidation.validate(group: "", kind: "ReplicationController", object: rc)) == [])
        var mismatched = rc
        mismatched[path: ["spec", "selector"]] = ["app": "api"]
        #expect(messages(KindValidation.validate(group: "", kind: "ReplicationController", object: mismatched)) == [
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
        ])
    }
}
