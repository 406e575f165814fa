import ApusMachinery
import Testing
@testable import ApusPrinters

@Suite struct CorePrinterTests {
    @Test func componentStatus() {
        #expect(Fixture.columnNames("", "componentstatuses") == ["Name", "Status", "Message", "Error"])
        let healthy: JSON = ["metadata": ["name": "etcd-0"], "conditions": [["type": "Healthy", "status": "True", "message": "ok"]]]
        #expect(Fixture.cells("", "componentstatuses", healthy) == ["etcd-0", "Healthy", "ok", ""])
        let unhealthy: JSON = [
            "metadata": ["name": "scheduler"],
            "conditions": [["type": "Healthy", "status": "False", "message": "", "error": "connection refused"]],
        ]
        #expect(Fixture.cells("", "componentstatuses", unhealthy) == ["scheduler", "Unhealthy", "", "connection refused"])
        #expect(Fixture.cells("", "componentstatuses", ["metadata": ["name": "x"]]) == ["x", "Unknown", "", ""])
    }

    @Test func namespaceConfigMapSecretServiceAccount() {
        #expect(Fixture.cells("", "namespaces", ["metadata": Fixture.metadata("dev", namespace: nil), "status": ["phase": "Active"]])
                == ["dev", "Active", "5m"])
        let configMap: JSON = ["metadata": Fixture.metadata("cfg"), "data": ["a": "1", "b": "2"], "binaryData": ["c": "AA=="]]
        #expect(Fixture.cells("", "configmaps", configMap) == ["cfg", 3, "5m"])
        let secret: JSON = ["metadata": Fixture.metadata("s"), "type": "kubernetes.io/tls", "data": ["tls.crt": "", "tls.key": ""]]
        #expect(Fixture.cells("", "secrets", secret) == ["s", "kubernetes.io/tls", 2, "5m"])
        #expect(Fixture.cells("", "secrets", ["metadata": Fixture.metadata("o")]) == ["o", "Opaque", 0, "5m"])
        #expect(Fixture.cells("", "serviceaccounts", ["metadata": Fixture.metadata("default")]) == ["default", 0, "5m"])
    }

    @Test func endpoints() {
        let endpoints: JSON = [
            "metadata": Fixture.metadata("web"),
            "subsets": [
                ["addresses": [["ip": "10.0.0.1"], ["ip": "10.0.0.2"]], "ports": [["port": 80], ["port": 443]]],
                ["addresses": [["ip": "fd00::1"]], "ports": [["port": 8080]]],
            ],
        ]
        #expect(Fixture.cells("", "endpoints", endpoints) == ["web", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...", "5m"])
        let ipv6: JSON = ["subsets": [["addresses": [["ip": "fd00::1"]], "ports": [["port": 8080]]]]]
        #expect(CorePrinters.formatEndpoints(ipv6) == "[fd00::1]:8080")
        let headless: JSON = ["subsets": [["addresses": [["ip": "10.0.0.9"]]]]]
        #expect(CorePrinters.formatEndpoints(headless) == "10.0.0.9")
        #expect(Fixture.row("", "endpoints", ["metadata": Fixture.metadata("e")])["Endpoints"] == "<none>")
    }

    @Test func persistentVolumeAndClaim() {
        #expect(Fixture.columnNames("", "persistentvolumes") == [
            "Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode",
        ])
        let volume: JSON = [
            "metadata": Fixture.metadata("pv-1", namespace: nil),
            "spec": ["capacity": ["storage": "10Gi"], "accessModes": ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Retain", "claimRef": ["namespace": "default", "name": "data"],
                     "storageClassName": "standard", "volumeMode": "Filesystem"],
            "status": ["phase": "Bound"],
        ]
        #expect(Fixture.cells("", "persistentvolumes", volume) == [
            "pv-1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "standard", "<unset>", "", "5m", "Filesystem",
        ])

        #expect(Fixture.columnNames("", "persistentvolumeclaims") == [
            "Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass", "VolumeAttributesClass", "Age", "VolumeMode",
        ])
        let pending: JSON = [
            "metadata": Fixture.metadata("data"),
            "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]], "storageClassName": "fast"],
            "status": ["phase": "Pending"],
        ]
        #expect(Fixture.cells("", "persistentvolumeclaims", pending) == ["data", "Pending", "", "", "", "fast", "<unset>", "5m", "<unset>"])
        let bound: JSON = [
            "metadata": Fixture.metadata("data", extra: ["annotations": ["volume.beta.kubernetes.io/storage-class": "legacy"]]),
            "spec": ["volumeName": "pv-1", "storageClassName": "fast", "volumeMode": "Block"],
            "status": ["phase": "Bound", "capacity": ["storage": "10Gi"], "accessModes": ["ReadWriteOncePod"]],
        ]
        #expect(Fixture.cells("", "persistentvolumeclaims", bound) == ["data", "Bound", "pv-1", "10Gi", "RWOP", "legacy", "<unset>", "5m", "Block"])
    }

    @Test func resourceQuota() {
        #expect(Fixture.columnNames("", "resourcequotas") == ["Name", "Request", "Limit", "Age"])
        let quota: JSON = [
            "metadata": Fixture.metadata("compute"),
            "status": [
                "hard": ["requests.cpu": "2", "pods": "10", "limits.memory": "4Gi", "limits.cpu": "4"],
                "used": ["requests.cpu": "500m", "pods": "3", "limits.memory": "1Gi"],
            ],
        ]
        #expect(Fixture.cells("", "resourcequotas", quota) == [
            "compute", "pods: 3/10, requests.cpu: 500m/2", "limits.cpu: 0/4, limits.memory: 1Gi/4Gi", "5m",
        ])
    }

    @Test func createdAtTablesForKindsWithoutPrinters() {
        for (group, resource) in [("", "limitranges"), ("rbac.authorization.k8s.io", "roles"),
                                  ("rbac.authorization.k8s.io", "clusterroles"), ("apiextensions.k8s.io", "customresourcedefinitions")] {
            let printer = TablePrinters.printer(group: group, resource: resource)
            #expect(printer.columns.map(\.name) == ["Name", "Created At"])
            #expect(printer.columns[1].type == "date")
            #expect(printer.cells(["metadata": Fixture.metadata("x")], Fixture.now) == ["x", "2024-01-02T03:05:00Z"])
        }
        #expect(TablePrinters.createdAt.cells(.emptyObject, Fixture.now) == ["", "0001-01-01T00:00:00Z"])
    }
}
