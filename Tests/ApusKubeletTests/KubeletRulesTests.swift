@testable import ApusKubelet
import ApusMachinery
import Testing

struct KubeletRulesTests {
    @Test func expandsVariablesAsKubernetesDoes() {
        let values = ["A": "1", "B": "two"]
        #expect(VariableExpansion.expand("$(A)-$(B)", values) == "1-two")
        #expect(VariableExpansion.expand("$(MISSING) stays", values) == "$(MISSING) stays")
        #expect(VariableExpansion.expand("$$(A) is escaped", values) == "$(A) is escaped")
        #expect(VariableExpansion.expand("cost: $5", values) == "cost: $5")
        #expect(VariableExpansion.expand("open $(A", values) == "open $(A")
    }

    @Test func defaultPullPolicyFollowsTheTag() {
        #expect(Kubelet.pullPolicy(["image": "busybox"]) == "Always")
        #expect(Kubelet.pullPolicy(["image": "busybox:latest"]) == "Always")
        #expect(Kubelet.pullPolicy(["image": "busybox:1.36"]) == "IfNotPresent")
        #expect(Kubelet.pullPolicy(["image": "localhost:5000/app"]) == "Always")
        #expect(Kubelet.pullPolicy(["image": "app@sha256:abc"]) == "IfNotPresent")
        #expect(Kubelet.pullPolicy(["image": "busybox", "imagePullPolicy": "Never"]) == "Never")
    }

    @Test func podPhaseFollowsContainersAndRestartPolicy() {
        let running: JSON = ["state": ["running": ["startedAt": "t"]]]
        let exited0: JSON = ["state": ["terminated": ["exitCode": 0]]]
        let exited1: JSON = ["state": ["terminated": ["exitCode": 1]]]
        let creating: JSON = ["state": ["waiting": ["reason": "ContainerCreating"]], "lastState": [:]]
        let crashLoop: JSON = ["state": ["waiting": ["reason": "CrashLoopBackOff"]], "lastState": ["terminated": ["exitCode": 1]]]
        func phase(_ statuses: [JSON], _ policy: String, inits: [JSON] = [], initialized: Bool = true) -> String {
            PodStatusBuilder.phase(initStatuses: inits, statuses: statuses, initialized: initialized, restartPolicy: policy)
        }
        #expect(phase([creating], "Always") == "Pending")
        #expect(phase([running, creating], "Always") == "Pending")
        #expect(phase([running], "Always") == "Running")
        #expect(phase([crashLoop], "Always") == "Running")
        #expect(phase([exited0, exited0], "Never") == "Succeeded")
        #expect(phase([exited0, exited1], "Never") == "Failed")
        #expect(phase([exited1], "OnFailure") == "Running")
        #expect(phase([exited0], "OnFailure") == "Succeeded")
        #expect(phase([], "Never", inits: [exited1], initialized: false) == "Failed")
        #expect(phase([], "Always", inits: [exited1], initialized: false) == "Pending")
    }

    @Test func environmentResolvesReferencesInOrder() async throws {
        let pod: JSON = ["metadata": ["name": "web", "namespace": "prod", "uid": "u1", "labels": ["app": "web"]],
                         "spec": ["nodeName": "n1"], "status": ["podIP": "10.42.0.5"]]
        let container: JSON = [
            "name": "c",
            "resources": ["limits": ["memory": "64Mi"], "requests": ["cpu": "250m"]],
            "envFrom": [["configMapRef": ["name": "settings"], "prefix": "CFG_"]],
            "env": [
                ["name": "NAME", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]],
                ["name": "APP", "valueFrom": ["fieldRef": ["fieldPath": "metadata.labels['app']"]]],
                ["name": "GREETING", "value": "hi $(NAME) at $(POD_IP)"],
                ["name": "POD_IP", "valueFrom": ["fieldRef": ["fieldPath": "status.podIP"]]],
                ["name": "MEMORY_MI", "valueFrom": ["resourceFieldRef": ["resource": "limits.memory", "divisor": "1Mi"]]],
                ["name": "CPU", "valueFrom": ["resourceFieldRef": ["resource": "requests.cpu"]]],
                ["name": "PASSWORD", "valueFrom": ["secretKeyRef": ["name": "db", "key": "password"]]],
                ["name": "COLOR", "valueFrom": ["configMapKeyRef": ["name": "settings", "key": "color"]]],
            ],
        ]
        let environment = ContainerEnvironment(
            configMap: { key in key == "prod/settings" ? ["data": ["color": "blue"]] : nil },
            secret: { key in key == "prod/db" ? ["data": ["password": "czNjcmV0"]] : nil },
            nodeAllocatable: ["cpu": "2", "memory": "1Gi"])
        let resolved = try await environment.resolve(container, pod: pod)
        let values = Dictionary(resolved, uniquingKeysWith: { _, last in last })
        #expect(resolved.first?.0 == "CFG_color")
        #expect(values["NAME"] == "web")
        #expect(values["APP"] == "web")
        // POD_IP is defined after GREETING, so it is not expanded there.
        #expect(values["GREETING"] == "hi web at $(POD_IP)")
        #expect(values["MEMORY_MI"] == "64")
        #expect(values["CPU"] == "1")
        #expect(values["PASSWORD"] == "s3cret")
        #expect(values["COLOR"] == "blue")

        let missing: JSON = ["name": "c", "env": [["name": "X", "valueFrom": ["secretKeyRef": ["name": "absent", "key": "k"]]]]]
        await #expect(throws: ContainerEnvironment.Failure(message: "secret \"absent\" not found")) {
            try await environment.resolve(missing, pod: pod)
        }
    }

    @Test func networkConfigUsesTheNodesPodCIDR() {
        let config = PodNetworkConfig(podCIDR: "10.42.3.0/24", ipamDirectory: "/data/ipam", clusterCIDR: "10.42.0.0/16")
        let plugins = config.json["plugins"].array ?? []
        #expect(plugins.map { $0["type"].string } == ["bridge", "portmap"])
        #expect(plugins.first?["ipam"]["ranges"][0][0]["subnet"].string == "10.42.3.0/24")
        #expect(plugins.first?["ipam"]["dataDir"].string == "/data/ipam")
    }
}
