import ApusMachinery
import Testing
@testable import ApusPrinters

@Suite struct ServicePrinterTests {
    static func service(_ spec: JSON, status: JSON = .emptyObject) -> JSON {
        ["kind": "Service", "metadata": Fixture.metadata("app"), "spec": spec, "status": status]
    }

    @Test func columns() {
        #expect(Fixture.columnNames("", "services") == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"])
        #expect(TablePrinters.printer(group: "", resource: "services").columns.last?.priority == 1)
    }

    @Test func clusterIP() {
        let service = Self.service([
            "type": "ClusterIP", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
            "ports": [["port": 80, "protocol": "TCP", "targetPort": 8080], ["name": "dns", "port": 53, "protocol": "UDP"]],
            "selector": ["tier": "web", "app": "shop"],
        ])
        #expect(Fixture.cells("", "services", service) == ["app", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP", "5m", "app=shop,tier=web"])
    }

    @Test func nodePortWithExternalIPs() {
        let service = Self.service([
            "type": "NodePort", "clusterIPs": ["10.96.1.1"], "externalIPs": ["1.2.3.4", "5.6.7.8"],
            "ports": [["port": 8080, "nodePort": 31234, "protocol": "TCP"]],
        ])
        let row = Fixture.row("", "services", service)
        #expect(row["External-IP"] == "1.2.3.4,5.6.7.8")
        #expect(row["Port(s)"] == "8080:31234/TCP")
        #expect(row["Selector"] == "<none>")
    }

    @Test func loadBalancerPendingThenAssigned() {
        let spec: JSON = ["type": "LoadBalancer", "clusterIPs": ["10.96.2.2"], "ports": [["port": 8080, "nodePort": 30080]]]
        #expect(Fixture.row("", "services", Self.service(spec))["External-IP"] == "<pending>")
        // An omitted protocol prints as the API default, TCP.
        #expect(Fixture.row("", "services", Self.service(spec))["Port(s)"] == "8080:30080/TCP")

        let status: JSON = ["loadBalancer": ["ingress": [["ip": "203.0.113.9"], ["hostname": "lb.example.com"], ["ip": "203.0.113.9"]]]]
        #expect(Fixture.row("", "services", Self.service(spec, status: status))["External-IP"] == "203.0.113.9,lb.example.com")

        var withExternal = spec
        withExternal["externalIPs"] = ["192.0.2.1"]
        #expect(Fixture.row("", "services", Self.service(withExternal, status: status))["External-IP"] == "203.0.113.9,lb.example.com,192.0.2.1")
    }

    @Test func externalNameAndHeadless() {
        let external = Self.service(["type": "ExternalName", "externalName": "db.example.com"])
        #expect(Fixture.cells("", "services", external) == ["app", "ExternalName", "<none>", "db.example.com", "<none>", "5m", "<none>"])
        let headless = Self.service(["type": "ClusterIP", "clusterIP": "None", "ports": [["port": 5432, "protocol": "TCP"]]])
        #expect(Fixture.row("", "services", headless)["Cluster-IP"] == "None")
    }

    @Test func unknownType() {
        let service = Self.service(["type": "Weird"])
        #expect(Fixture.row("", "services", service)["External-IP"] == "<unknown>")
    }
}

@Suite struct NodePrinterTests {
    static func node(ready: String?, labels: JSON = .emptyObject, unschedulable: Bool = false) -> JSON {
        var conditions: [JSON] = [["type": "MemoryPressure", "status": "False"]]
        if let ready { conditions.append(["type": "Ready", "status": .string(ready)]) }
        return [
            "kind": "Node",
            "metadata": Fixture.metadata("node-1", namespace: nil, extra: ["labels": labels]),
            "spec": unschedulable ? ["unschedulable": true] : .emptyObject,
            "status": [
                "conditions": .array(conditions),
                "addresses": [["type": "InternalIP", "address": "172.18.0.2"], ["type": "Hostname", "address": "node-1"]],
                "nodeInfo": ["kubeletVersion": "v1.32.0", "osImage": "Debian GNU/Linux 12 (bookworm)", "kernelVersion": "6.1.0",
                             "containerRuntimeVersion": "containerd://1.7.24"],
            ],
        ]
    }

    @Test func columns() {
        #expect(Fixture.columnNames("", "nodes") == ["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"])
    }

    @Test func readyControlPlaneNode() {
        let node = Self.node(ready: "True", labels: ["node-role.kubernetes.io/control-plane": "", "kubernetes.io/hostname": "node-1"])
        #expect(Fixture.cells("", "nodes", node) == [
            "node-1", "Ready", "control-plane", "5m", "v1.32.0", "172.18.0.2", "<none>",
            "Debian GNU/Linux 12 (bookworm)", "6.1.0", "containerd://1.7.24",
        ])
    }

    @Test func notReadyAndUnknown() {
        #expect(Fixture.row("", "nodes", Self.node(ready: "False"))["Status"] == "NotReady")
        #expect(Fixture.row("", "nodes", Self.node(ready: "Unknown"))["Status"] == "NotReady")
        #expect(Fixture.row("", "nodes", Self.node(ready: nil))["Status"] == "Unknown")
        #expect(Fixture.row("", "nodes", Self.node(ready: "True"))["Roles"] == "<none>")
    }

    @Test func cordonedNodeWithSeveralRoles() {
        let labels: JSON = ["node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/control-plane": "",
                            "kubernetes.io/role": "ingress", "node-role.kubernetes.io/": ""]
        let row = Fixture.row("", "nodes", Self.node(ready: "True", labels: labels, unschedulable: true))
        #expect(row["Status"] == "Ready,SchedulingDisabled")
        #expect(row["Roles"] == "control-plane,ingress,worker")
        #expect(Fixture.row("", "nodes", Self.node(ready: "False", unschedulable: true))["Status"] == "NotReady,SchedulingDisabled")
    }
}
