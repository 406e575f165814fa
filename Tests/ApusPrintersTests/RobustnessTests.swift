import ApusMachinery
import Testing
@testable import ApusPrinters

/// Every printer must answer with one cell per column for any input, however malformed.
@Suite struct RobustnessTests {
    static var allPrinters: [(String, TablePrinter)] {
        var result: [(String, TablePrinter)] = [("default", TablePrinters.default), ("createdAt", TablePrinters.createdAt)]
        for (group, resources) in TablePrinters.registry {
            for (resource, printer) in resources { result.append(("\(group)/\(resource)", printer)) }
        }
        return result
    }

    /// Objects whose fields have the wrong types everywhere a printer looks.
    static let malformed: [JSON] = [
        .emptyObject,
        .null,
        "pod",
        [1, 2, 3],
        ["metadata": "x", "spec": 5, "status": [1], "conditions": "no"],
        [
            "metadata": ["name": 7, "creationTimestamp": "not a time", "deletionTimestamp": 1, "labels": "a=b",
                         "annotations": ["k": 1], "ownerReferences": [["controller": "yes"], 5]],
            "spec": [
                "containers": "web", "initContainers": [5, ["restartPolicy": 1]], "replicas": "3", "selector": ["matchLabels": ["a": 1]],
                "ports": [["port": "80", "nodePort": -1], "x"], "type": 3, "clusterIPs": [1], "externalIPs": "1.2.3.4",
                "template": ["spec": ["containers": [["name": 1, "image": []]]]], "rules": [["host": 1]], "tls": "yes",
                "metrics": [["type": "Resource", "resource": "cpu"], ["type": "Pods"], 7], "capacity": ["storage": []],
                "accessModes": [1, "ReadWriteOnce"], "claimRef": "c", "completions": "all", "podSelector": "all",
                "jobTemplate": 1, "readinessGates": [1, ["conditionType": 2]], "minAvailable": [], "parameters": 1,
            ],
            "status": [
                "phase": 1, "conditions": [1, ["type": "Ready"], ["type": 5, "status": true]],
                "containerStatuses": [1, ["state": "running", "lastState": ["terminated": ["finishedAt": 5]]], ["state": ["waiting": 1, "terminated": "x"]]],
                "initContainerStatuses": [["state": ["terminated": ["exitCode": "1"]]], 2],
                "loadBalancer": ["ingress": [1, ["ip": 2]]], "addresses": "x", "nodeInfo": 2, "hard": ["cpu": ["x": 1]],
                "currentMetrics": "none", "startTime": "yesterday", "active": 3,
            ],
            "subsets": [["addresses": 1, "ports": [["port": "x"]]], 3],
            "endpoints": [["addresses": [1, "10.0.0.1"]], 2], "data": "x", "involvedObject": 1, "series": ["count": "x"],
            "conditions": [["type": "Healthy", "status": 1]], "subjects": [1, ["kind": 2]], "roleRef": 1,
        ],
    ]

    @Test func everyPrinterSurvivesMalformedObjects() {
        for (name, printer) in Self.allPrinters {
            #expect(!printer.columns.isEmpty, "\(name)")
            #expect(printer.columns.first?.name == "Name" || name.hasSuffix("/events"), "\(name)")
            for object in Self.malformed {
                let cells = printer.cells(object, Fixture.now)
                #expect(cells.count == printer.columns.count || name.hasSuffix("/ipaddresses"), "\(name)")
                _ = printer.rowConditions?(object)
            }
        }
    }

    @Test func emptyObjectsPrintZeroValues() {
        let now = Fixture.now
        #expect(Fixture.cells("", "pods", .emptyObject) == ["", "0/0", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>"])
        #expect(Fixture.cells("", "nodes", .emptyObject) == ["", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"])
        #expect(Fixture.cells("", "services", .emptyObject) == ["", "ClusterIP", "<none>", "<none>", "<none>", "<unknown>", "<none>"])
        #expect(Fixture.cells("", "events", .emptyObject) == ["<unknown>", "", "", "", "", "", "", "<unknown>", 1, ""])
        #expect(Fixture.cells("apps", "deployments", .emptyObject) == ["", "0/1", 0, 0, "<unknown>", "", "", ""])
        #expect(TablePrinters.default.cells(.emptyObject, now) == ["", .null])
    }

    @Test func unknownResourcesUseTheDefaultPrinter() {
        #expect(!TablePrinters.hasPrinter(group: "example.com", resource: "widgets"))
        #expect(TablePrinters.hasPrinter(group: "", resource: "pods"))
        let printer = TablePrinters.printer(group: "example.com", resource: "widgets")
        #expect(printer.columns.map(\.name) == ["Name", "Age"])
        #expect(printer.columns.map(\.type) == ["string", "date"])
        #expect(printer.cells(["metadata": Fixture.metadata("w")], Fixture.now) == ["w", "5m"])
    }

    @Test func requestedResourcesAllHaveSpecificPrinters() {
        let expected: [(String, String)] = [
            ("", "pods"), ("", "nodes"), ("", "namespaces"), ("", "services"), ("", "endpoints"), ("", "configmaps"),
            ("", "secrets"), ("", "events"), ("events.k8s.io", "events"), ("", "serviceaccounts"), ("", "componentstatuses"),
            ("", "persistentvolumes"), ("", "persistentvolumeclaims"), ("", "limitranges"), ("", "resourcequotas"),
            ("", "replicationcontrollers"), ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"),
            ("apps", "daemonsets"), ("apps", "controllerrevisions"), ("batch", "jobs"), ("batch", "cronjobs"),
            ("coordination.k8s.io", "leases"), ("discovery.k8s.io", "endpointslices"), ("networking.k8s.io", "ingresses"),
            ("networking.k8s.io", "ingressclasses"), ("networking.k8s.io", "networkpolicies"),
            ("rbac.authorization.k8s.io", "roles"), ("rbac.authorization.k8s.io", "rolebindings"),
            ("rbac.authorization.k8s.io", "clusterroles"), ("rbac.authorization.k8s.io", "clusterrolebindings"),
            ("autoscaling", "horizontalpodautoscalers"), ("policy", "poddisruptionbudgets"), ("scheduling.k8s.io", "priorityclasses"),
            ("storage.k8s.io", "storageclasses"), ("apiextensions.k8s.io", "customresourcedefinitions"),
        ]
        for (group, resource) in expected {
            #expect(TablePrinters.hasPrinter(group: group, resource: resource), "\(group)/\(resource)")
        }
    }
}
