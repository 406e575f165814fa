import ApusMachinery
import Testing
@testable import ApusValidation

@Suite struct PodValidationTests {
    func validatePod(_ spec: JSON) -> [String] {
        messages(KindValidation.validate(group: "", kind: "Pod", object: ["metadata": ["name": "p"], "spec": spec]))
    }

    @Test func validPod() {
        let spec: JSON = [
            "containers": [[
                "name": "web", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent",
                "ports": [["name": "http", "containerPort": 80, "protocol": "TCP"]],
                "env": [["name": "MODE", "value": "prod"], ["name": "POD", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]]],
                "resources": ["limits": ["cpu": "1", "memory": "512Mi"], "requests": ["cpu": "500m", "memory": "256Mi"]],
                "volumeMounts": [["name": "data", "mountPath": "/data"]],
                "livenessProbe": ["httpGet": ["path": "/healthz", "port": "http"], "periodSeconds": 10],
            ]],
            "volumes": [["name": "data", "emptyDir": .emptyObject]],
            "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
            "tolerations": [["key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"]],
        ]
        #expect(validatePod(spec) == [])
    }

    @Test func containersRequired() {
        #expect(validatePod(["containers": []]) == ["spec.containers: Required value"])
        #expect(validatePod(.emptyObject) == ["spec.containers: Required value"])
    }

    @Test func missingImage() {
        #expect(validatePod(podSpec([["name": "web"]])) == ["spec.containers[0].image: Required value"])
    }

    @Test func containerNames() {
        #expect(validatePod(podSpec([["name": "web", "image": "a"], ["name": "web", "image": "b"]]))
                == ["spec.containers[1].name: Duplicate value: \"web\""])
        #expect(validatePod(podSpec([["image": "a"]])) == ["spec.containers[0].name: Required value"])
        #expect(validatePod(podSpec([["name": "Web", "image": "a"]])) == [
            "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ])
        let spec: JSON = ["containers": [["name": "web", "image": "a"]], "initContainers": [["name": "web", "image": "b"]]]
        #expect(validatePod(spec) == ["spec.initContainers[0].name: Duplicate value: \"web\""])
    }

    @Test func ports() {
        let spec = podSpec([["name": "web", "image": "a", "ports": [
            ["containerPort": 0],
            ["containerPort": 70000, "protocol": "HTTP"],
            ["name": "http", "containerPort": 80],
            ["name": "http", "containerPort": 81],
            ["name": "HTTP", "containerPort": 82, "hostPort": -1],
        ]]])
        #expect(validatePod(spec) == [
            "spec.containers[0].ports[0].containerPort: Required value",
            "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.containers[0].ports[3].name: Duplicate value: \"http\"",
            "spec.containers[0].ports[4].name: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.containers[0].ports[4].name: Invalid value: \"HTTP\": must contain at least one letter (a-z)",
            "spec.containers[0].ports[4].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive",
        ])
    }

    @Test func hostPortConflicts() {
        let spec = podSpec([
            ["name": "a", "image": "x", "ports": [["containerPort": 80, "hostPort": 8080]]],
            ["name": "b", "image": "x", "ports": [["containerPort": 81, "hostPort": 8080]]],
        ])
        #expect(validatePod(spec) == ["spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""])
    }

    @Test func policies() {
        var spec = podSpec()
        spec["restartPolicy"] = "Sometimes"
        spec["dnsPolicy"] = "Google"
        spec["containers"] = [["name": "web", "image": "a", "imagePullPolicy": "Maybe", "terminationMessagePolicy": "Log"]]
        #expect(validatePod(spec) == [
            "spec.containers[0].terminationMessagePolicy: Unsupported value: \"Log\": supported values: \"File\", \"FallbackToLogsOnError\"",
            "spec.containers[0].imagePullPolicy: Unsupported value: \"Maybe\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"",
        ])
    }

    @Test func resources() {
        let spec = podSpec([["name": "web", "image": "a", "resources": [
            "limits": ["cpu": "1", "memory": "-1Gi", "gpu": "1"],
            "requests": ["cpu": "2", "example.com/dongle": "1"],
        ]]])
        #expect(validatePod(spec) == [
            "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
            "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
            "spec.containers[0].resources.limits[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0",
            "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
            "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
        ])
        let equalTo = podSpec([["name": "web", "image": "a", "resources": [
            "limits": ["cpu": "1000m", "nvidia.com/gpu": "2"], "requests": ["cpu": "1", "nvidia.com/gpu": "1"],
        ]]])
        #expect(validatePod(equalTo) == [
            "spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to nvidia.com/gpu limit of 2",
        ])
        let fractional = podSpec([["name": "web", "image": "a", "resources": ["limits": ["nvidia.com/gpu": "0.5"]]]])
        #expect(validatePod(fractional) == ["spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: 500m: must be an integer"])
    }

    @Test func environment() {
        let spec = podSpec([["name": "web", "image": "a",
            "env": [
                ["value": "x"],
                ["name": "A=B"],
                ["name": "C", "value": "x", "valueFrom": ["configMapKeyRef": ["name": "cm", "key": "k"]]],
                ["name": "D", "valueFrom": .emptyObject],
                ["name": "E", "valueFrom": ["fieldRef": ["fieldPath": "spec.restartPolicy"]]],
                ["name": "F", "valueFrom": ["secretKeyRef": ["name": "s"]]],
            ],
            "envFrom": [["prefix": "P_"], ["configMapRef": ["name": "Bad_Name"]]],
        ]])
        #expect(validatePod(spec) == [
            "spec.containers[0].env[0].name: Required value",
            "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
            "spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
            "spec.containers[0].env[3].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            "spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Unsupported value: \"spec.restartPolicy\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"",
            "spec.containers[0].env[5].valueFrom.secretKeyRef.key: Required value",
            "spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`",
            "spec.containers[0].envFrom[1].configMapRef.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
    }

    @Test func volumes() {
        let spec: JSON = [
            "containers": [["name": "web", "image": "a", "volumeMounts": [
                ["name": "data", "mountPath": "/data"],
                ["name": "missing", "mountPath": "/data"],
                ["name": "cfg", "mountPath": "/cfg", "subPath": "../x"],
            ]]],
            "volumes": [
                ["name": "data", "emptyDir": .emptyObject],
                ["name": "data", "emptyDir": .emptyObject],
                ["name": "cfg", "configMap": ["name": "c"], "secret": ["secretName": "s"]],
                ["name": "none"],
                ["name": "pvc", "persistentVolumeClaim": .emptyObject],
            ],
        ]
        #expect(validatePod(spec) == [
            "spec.volumes[1].name: Duplicate value: \"data\"",
            "spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type",
            "spec.volumes[3]: Required value: must specify a volume type",
            "spec.volumes[4].persistentVolumeClaim.claimName: Required value",
            "spec.containers[0].volumeMounts[1].name: Not found: \"missing\"",
            "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique",
            "spec.containers[0].volumeMounts[2].name: Not found: \"cfg\"",
            "spec.containers[0].volumeMounts.subPath: Invalid value: \"../x\": must not contain '..'",
        ])
    }

    @Test func probes() {
        let spec = podSpec([["name": "web", "image": "a",
            "livenessProbe": ["successThreshold": 2, "exec": ["command": ["true"]]],
            "readinessProbe": ["httpGet": ["port": 0], "tcpSocket": ["port": 80]],
            "startupProbe": ["initialDelaySeconds": -1],
        ]])
        #expect(validatePod(spec) == [
            "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
            "spec.containers[0].startupProbe: Required value: must specify a handler type",
            "spec.containers[0].startupProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0",
        ])
    }

    @Test func podLevelFields() {
        var spec = podSpec()
        spec["activeDeadlineSeconds"] = 0
        spec["nodeSelector"] = ["disk": "ssd fast"]
        spec["hostname"] = "Host"
        spec["tolerations"] = [["operator": "Equal", "value": "x"], ["key": "k", "operator": "Exists", "value": "v", "effect": "Sometimes"]]
        spec["securityContext"] = ["runAsUser": -1]
        #expect(validatePod(spec).count == 7)
        #expect(validatePod(spec).contains("spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"))
        #expect(validatePod(spec).contains("spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
        #expect(validatePod(spec).contains("spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'"))
        #expect(validatePod(spec).contains("spec.tolerations[1].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""))
        #expect(validatePod(spec).contains("spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive"))
    }

    @Test func imageWhitespaceOnlyForPods() {
        let spec = podSpec([["name": "web", "image": " nginx"]])
        #expect(validatePod(spec) == ["spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"])
        #expect(messages(KindValidation.validate(group: "", kind: "PodTemplate", object: ["template": ["spec": spec]])) == [])
    }

    @Test func initContainerRules() {
        let spec: JSON = ["containers": [["name": "web", "image": "a"]], "initContainers": [
            ["name": "init", "image": "b", "readinessProbe": ["exec": ["command": ["true"]]]],
            ["name": "side", "image": "c", "restartPolicy": "OnFailure"],
        ]]
        #expect(validatePod(spec) == [
            "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
            "spec.initContainers[1].restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
        ])
    }
}
