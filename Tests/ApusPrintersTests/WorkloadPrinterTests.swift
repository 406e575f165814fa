import ApusMachinery
import Testing
@testable import ApusPrinters

@Suite struct WorkloadPrinterTests {
    static let template: JSON = [
        "metadata": ["labels": ["app": "web"]],
        "spec": ["containers": [["name": "web", "image": "nginx:1.27"], ["name": "sidecar", "image": "busybox"]]],
    ]

    @Test func deployment() {
        let deployment: JSON = [
            "metadata": Fixture.metadata("web"),
            "spec": ["replicas": 3, "selector": ["matchLabels": ["app": "web", "tier": "fe"]], "template": Self.template],
            "status": ["replicas": 3, "readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2],
        ]
        #expect(Fixture.columnNames("apps", "deployments") == ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"])
        #expect(Fixture.cells("apps", "deployments", deployment) == [
            "web", "2/3", 3, 2, "5m", "web,sidecar", "nginx:1.27,busybox", "app=web,tier=fe",
        ])
        // A fresh deployment has no status yet; replicas defaults to 1.
        let fresh: JSON = ["metadata": Fixture.metadata("new"), "spec": ["template": Self.template]]
        #expect(Array(Fixture.cells("apps", "deployments", fresh).prefix(4)) == ["new", "0/1", 0, 0])
    }

    @Test func selectorExpressions() {
        let selector: JSON = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [
                ["key": "env", "operator": "In", "values": ["prod", "dev"]],
                ["key": "canary", "operator": "DoesNotExist"],
                ["key": "zone", "operator": "NotIn", "values": ["b"]],
                ["key": "beta", "operator": "Exists"],
            ],
        ]
        #expect(Format.labelSelector(selector) == "app=web,beta,!canary,env in (dev,prod),zone notin (b)")
        #expect(Format.labelSelector(["matchExpressions": [["key": "a", "operator": "Bogus"]]]) == "<error>")
        #expect(Format.labelSelector(.emptyObject) == "<none>")
        #expect(Format.labelSelector(.null) == "<none>")
        let deployment: JSON = ["metadata": Fixture.metadata("d"), "spec": ["selector": ["matchExpressions": [["key": "a", "operator": "In"]]]]]
        #expect(Fixture.row("apps", "deployments", deployment)["Selector"] == "<invalid>")
    }

    @Test func replicaSetAndReplicationController() {
        let replicaSet: JSON = [
            "metadata": Fixture.metadata("web-5d9c"),
            "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web", "pod-template-hash": "5d9c"]], "template": Self.template],
            "status": ["replicas": 2, "readyReplicas": 1],
        ]
        #expect(Fixture.columnNames("apps", "replicasets") == ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"])
        #expect(Fixture.cells("apps", "replicasets", replicaSet) == [
            "web-5d9c", 2, 2, 1, "5m", "web,sidecar", "nginx:1.27,busybox", "app=web,pod-template-hash=5d9c",
        ])
        let controller: JSON = ["metadata": Fixture.metadata("rc"), "spec": ["replicas": 0, "selector": ["app": "web"]]]
        #expect(Fixture.cells("", "replicationcontrollers", controller) == ["rc", 0, 0, 0, "5m", "", "", "app=web"])
    }

    @Test func statefulSetAndDaemonSet() {
        let statefulSet: JSON = ["metadata": Fixture.metadata("db"), "spec": ["replicas": 3, "template": Self.template], "status": ["readyReplicas": 1]]
        #expect(Fixture.cells("apps", "statefulsets", statefulSet) == ["db", "1/3", "5m", "web,sidecar", "nginx:1.27,busybox"])

        var template = Self.template
        template["spec"]["nodeSelector"] = ["kubernetes.io/os": "linux"]
        let daemonSet: JSON = [
            "metadata": Fixture.metadata("agent"),
            "spec": ["selector": ["matchLabels": ["app": "agent"]], "template": template],
            "status": ["desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2, "updatedNumberScheduled": 3, "numberAvailable": 2],
        ]
        #expect(Fixture.columnNames("apps", "daemonsets") == [
            "Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age", "Containers", "Images", "Selector",
        ])
        #expect(Fixture.cells("apps", "daemonsets", daemonSet) == [
            "agent", 3, 3, 2, 3, 2, "kubernetes.io/os=linux", "5m", "web,sidecar", "nginx:1.27,busybox", "app=agent",
        ])
    }

    @Test func jobs() {
        #expect(Fixture.columnNames("batch", "jobs") == ["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"])
        let complete: JSON = [
            "metadata": Fixture.metadata("pi"),
            "spec": ["completions": 1, "parallelism": 1, "template": Self.template],
            "status": ["succeeded": 1, "startTime": Fixture.ago(290), "completionTime": Fixture.ago(250),
                       "conditions": [["type": "SuccessCriteriaMet", "status": "True"], ["type": "Complete", "status": "True"]]],
        ]
        #expect(Array(Fixture.cells("batch", "jobs", complete).prefix(5)) == ["pi", "Complete", "1/1", "40s", "5m"])

        let running: JSON = ["metadata": Fixture.metadata("work"), "spec": ["parallelism": 3], "status": ["startTime": Fixture.ago(130)]]
        #expect(Array(Fixture.cells("batch", "jobs", running).prefix(4)) == ["work", "Running", "0/1 of 3", "2m10s"])

        let failed: JSON = ["metadata": Fixture.metadata("f"), "status": ["conditions": [["type": "Failed", "status": "True"]]]]
        #expect(Array(Fixture.cells("batch", "jobs", failed).prefix(4)) == ["f", "Failed", "0/1", ""])
        let suspended: JSON = ["metadata": Fixture.metadata("s"), "status": ["conditions": [["type": "Suspended", "status": "True"]]]]
        #expect(Fixture.row("batch", "jobs", suspended)["Status"] == "Suspended")
        let terminating: JSON = ["metadata": Fixture.metadata("t", extra: ["deletionTimestamp": Fixture.ago(1)])]
        #expect(Fixture.row("batch", "jobs", terminating)["Status"] == "Terminating")
    }

    @Test func cronJob() {
        #expect(Fixture.columnNames("batch", "cronjobs") == [
            "Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images", "Selector",
        ])
        let cronJob: JSON = [
            "metadata": Fixture.metadata("nightly"),
            "spec": ["schedule": "*/5 * * * *", "suspend": false, "jobTemplate": ["spec": ["template": Self.template]]],
            "status": ["active": [["name": "nightly-1"]], "lastScheduleTime": Fixture.ago(61)],
        ]
        #expect(Fixture.cells("batch", "cronjobs", cronJob) == [
            "nightly", "*/5 * * * *", "<none>", "False", 1, "61s", "5m", "web,sidecar", "nginx:1.27,busybox", "<none>",
        ])
        let never: JSON = ["metadata": Fixture.metadata("n"), "spec": ["schedule": "@daily", "timeZone": "Etc/UTC", "suspend": true]]
        #expect(Array(Fixture.cells("batch", "cronjobs", never).prefix(6)) == ["n", "@daily", "Etc/UTC", "True", 0, "<none>"])
    }

    @Test func controllerRevision() {
        let revision: JSON = [
            "metadata": Fixture.metadata("web-7d4b", extra: ["ownerReferences": [
                ["apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "uid": "x", "controller": true],
            ]]),
            "revision": 2,
        ]
        #expect(Fixture.cells("apps", "controllerrevisions", revision) == ["web-7d4b", "statefulset.apps/web", 2, "5m"])
        let orphan: JSON = ["metadata": Fixture.metadata("o"), "revision": 1]
        #expect(Fixture.cells("apps", "controllerrevisions", orphan) == ["o", "<none>", 1, "5m"])
    }
}
