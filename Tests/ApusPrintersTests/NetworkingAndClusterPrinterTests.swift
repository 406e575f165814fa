import ApusMachinery
import Testing
@testable import ApusPrinters

@Suite struct NetworkingPrinterTests {
    @Test func ingress() {
        #expect(Fixture.columnNames("networking.k8s.io", "ingresses") == ["Name", "Class", "Hosts", "Address", "Ports", "Age"])
        let ingress: JSON = [
            "metadata": Fixture.metadata("web"),
            "spec": ["ingressClassName": "nginx", "rules": [["host": "a.example.com"], ["host": "b.example.com"]], "tls": [["hosts": ["a.example.com"]]]],
            "status": ["loadBalancer": ["ingress": [["ip": "192.0.2.10"]]]],
        ]
        #expect(Fixture.cells("networking.k8s.io", "ingresses", ingress) == ["web", "nginx", "a.example.com,b.example.com", "192.0.2.10", "80, 443", "5m"])
        let bare: JSON = ["metadata": Fixture.metadata("bare"), "spec": ["defaultBackend": ["service": ["name": "x"]]]]
        #expect(Fixture.cells("networking.k8s.io", "ingresses", bare) == ["bare", "<none>", "*", "", "80", "5m"])
        let many: [JSON] = ["a", "b", "", "c", "d", "e"].map { ["host": .string($0)] }
        #expect(NetworkingPrinters.hosts(many) == "a,b,c + 3 more...")
    }

    @Test func ingressClassNetworkPolicyEndpointSlice() {
        let ingressClass: JSON = [
            "metadata": Fixture.metadata("nginx", namespace: nil),
            "spec": ["controller": "k8s.io/ingress-nginx", "parameters": ["apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "p"]],
        ]
        #expect(Fixture.cells("networking.k8s.io", "ingressclasses", ingressClass) == ["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/p", "5m"])

        let policy: JSON = ["metadata": Fixture.metadata("deny"), "spec": ["podSelector": .emptyObject]]
        #expect(Fixture.cells("networking.k8s.io", "networkpolicies", policy) == ["deny", "<none>", "5m"])
        let selected: JSON = ["metadata": Fixture.metadata("allow"), "spec": ["podSelector": ["matchLabels": ["role": "db"]]]]
        #expect(Fixture.row("networking.k8s.io", "networkpolicies", selected)["Pod-Selector"] == "role=db")

        let slice: JSON = [
            "metadata": Fixture.metadata("web-abc"), "addressType": "IPv4",
            "ports": [["name": "http", "port": 80], ["name": "named"], .emptyObject, ["port": 9090]],
            "endpoints": [["addresses": ["10.0.0.1"]], ["addresses": ["10.0.0.2"]]],
        ]
        #expect(Fixture.cells("discovery.k8s.io", "endpointslices", slice) == ["web-abc", "IPv4", "80,named,* + 1 more...", "10.0.0.1,10.0.0.2", "5m"])
        #expect(Array(Fixture.cells("discovery.k8s.io", "endpointslices", ["metadata": Fixture.metadata("e")]).prefix(4)) == ["e", "", "<unset>", "<unset>"])
    }

    @Test func bindings() {
        #expect(Fixture.columnNames("rbac.authorization.k8s.io", "rolebindings") == ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"])
        let binding: JSON = [
            "metadata": Fixture.metadata("view"),
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"],
            "subjects": [["kind": "User", "name": "alice"], ["kind": "User", "name": "bob"], ["kind": "Group", "name": "devs"],
                         ["kind": "ServiceAccount", "name": "ci", "namespace": "tools"]],
        ]
        #expect(Fixture.cells("rbac.authorization.k8s.io", "rolebindings", binding) == ["view", "ClusterRole/view", "5m", "alice, bob", "devs", "tools/ci"])
        #expect(Fixture.cells("rbac.authorization.k8s.io", "clusterrolebindings", binding) == ["view", "ClusterRole/view", "5m", "alice, bob", "devs", "tools/ci"])
    }
}

@Suite struct ClusterPrinterTests {
    @Test func horizontalPodAutoscaler() {
        #expect(Fixture.columnNames("autoscaling", "horizontalpodautoscalers") == ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"])
        let hpa: JSON = [
            "metadata": Fixture.metadata("web"),
            "spec": [
                "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "minReplicas": 2, "maxReplicas": 10,
                "metrics": [
                    ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 70]]],
                    ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "500Mi"]]],
                    ["type": "Pods", "pods": ["metric": ["name": "rps"], "target": ["type": "AverageValue", "averageValue": "1k"]]],
                ],
            ],
            "status": ["currentReplicas": 3, "currentMetrics": [
                ["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 45, "averageValue": "90m"]]],
            ]],
        ]
        #expect(Fixture.cells("autoscaling", "horizontalpodautoscalers", hpa) == [
            "web", "Deployment/web", "cpu: 45%/70%, memory: <unknown>/500Mi + 1 more...", "2", 10, 3, "5m",
        ])
        // autoscaling/v1 with no target: the API default of 80% CPU, minReplicas 1.
        let v1: JSON = ["metadata": Fixture.metadata("v1"), "spec": ["scaleTargetRef": ["kind": "Deployment", "name": "x"], "maxReplicas": 5]]
        #expect(Fixture.cells("autoscaling", "horizontalpodautoscalers", v1) == ["v1", "Deployment/x", "cpu: <unknown>/80%", "1", 5, 0, "5m"])
        let v1Current: JSON = ["spec": ["targetCPUUtilizationPercentage": 50], "status": ["currentCPUUtilizationPercentage": 12]]
        #expect(AutoscalingPrinters.targets(v1Current) == "cpu: 12%/50%")
        let external: JSON = ["spec": ["metrics": [
            ["type": "External", "external": ["metric": ["name": "queue"], "target": ["type": "AverageValue", "averageValue": "30"]]],
            ["type": "Object", "object": ["metric": ["name": "hits"], "target": ["type": "Value", "value": "10k"]]],
        ]], "status": ["currentMetrics": [
            ["type": "External", "external": ["current": ["averageValue": "12"]]],
            ["type": "Object", "object": ["current": ["value": "2k"]]],
        ]]]
        #expect(AutoscalingPrinters.targets(external) == "12/30 (avg), 2k/10k")
    }

    @Test func podDisruptionBudget() {
        #expect(Fixture.columnNames("policy", "poddisruptionbudgets") == ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"])
        let pdb: JSON = ["metadata": Fixture.metadata("web"), "spec": ["minAvailable": "50%"], "status": ["disruptionsAllowed": 1]]
        #expect(Fixture.cells("policy", "poddisruptionbudgets", pdb) == ["web", "50%", "N/A", 1, "5m"])
        let byCount: JSON = ["metadata": Fixture.metadata("db"), "spec": ["maxUnavailable": 1]]
        #expect(Fixture.cells("policy", "poddisruptionbudgets", byCount) == ["db", "N/A", "1", 0, "5m"])
    }

    @Test func priorityStorageLease() {
        let priority: JSON = ["metadata": Fixture.metadata("high", namespace: nil), "value": 1_000_000, "globalDefault": false]
        #expect(Fixture.cells("scheduling.k8s.io", "priorityclasses", priority) == ["high", 1_000_000, false, "5m", "PreemptLowerPriority"])

        let storageClass: JSON = [
            "metadata": Fixture.metadata("standard", namespace: nil, extra: ["annotations": ["storageclass.kubernetes.io/is-default-class": "true"]]),
            "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer",
        ]
        #expect(Fixture.cells("storage.k8s.io", "storageclasses", storageClass) == [
            "standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "5m",
        ])
        let lease: JSON = ["metadata": Fixture.metadata("kube-scheduler"), "spec": ["holderIdentity": "node-1_abc"]]
        #expect(Fixture.cells("coordination.k8s.io", "leases", lease) == ["kube-scheduler", "node-1_abc", "5m"])
    }

    @Test func apiServiceAndCSR() {
        let local: JSON = ["metadata": Fixture.metadata("v1.apps", namespace: nil), "status": ["conditions": [["type": "Available", "status": "True"]]]]
        #expect(Fixture.cells("apiregistration.k8s.io", "apiservices", local) == ["v1.apps", "Local", "True", "5m"])
        let remote: JSON = [
            "metadata": Fixture.metadata("v1beta1.metrics.k8s.io", namespace: nil),
            "spec": ["service": ["namespace": "kube-system", "name": "metrics-server"]],
            "status": ["conditions": [["type": "Available", "status": "False", "reason": "MissingEndpoints"]]],
        ]
        #expect(Fixture.cells("apiregistration.k8s.io", "apiservices", remote) == ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)", "5m"])

        let csr: JSON = [
            "metadata": Fixture.metadata("csr-1", namespace: nil),
            "spec": ["signerName": "kubernetes.io/kube-apiserver-client", "username": "alice", "expirationSeconds": 86_400],
            "status": ["conditions": [["type": "Approved", "status": "True"]], "certificate": "LS0t"],
        ]
        #expect(Fixture.cells("certificates.k8s.io", "certificatesigningrequests", csr) == [
            "csr-1", "5m", "kubernetes.io/kube-apiserver-client", "alice", "24h", "Approved,Issued",
        ])
    }
}
