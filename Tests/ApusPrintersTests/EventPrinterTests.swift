import ApusMachinery
import Testing
@testable import ApusPrinters

@Suite struct EventPrinterTests {
    @Test func columnsAndPriorities() {
        let printer = TablePrinters.printer(group: "", resource: "events")
        #expect(printer.columns.map(\.name) == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"])
        #expect(printer.columns.map(\.priority) == [0, 0, 0, 0, 1, 1, 0, 1, 1, 1])
        #expect(printer.columns.last?.format == "name")
        #expect(TablePrinters.printer(group: "events.k8s.io", resource: "events").columns == printer.columns)
    }

    @Test func coreEvent() {
        let event: JSON = [
            "kind": "Event", "metadata": Fixture.metadata("web-1.17a2b3c4"),
            "involvedObject": ["kind": "Pod", "name": "web-1", "namespace": "default", "fieldPath": "spec.containers{web}"],
            "reason": "Pulled", "message": "  Successfully pulled image \"nginx\"\n", "type": "Normal",
            "source": ["component": "kubelet", "host": "node-1"],
            "firstTimestamp": Fixture.ago(600), "lastTimestamp": Fixture.ago(65), "count": 3,
        ]
        #expect(Fixture.cells("", "events", event) == [
            "65s", "Normal", "Pulled", "pod/web-1", "spec.containers{web}", "kubelet, node-1",
            "Successfully pulled image \"nginx\"", "10m", 3, "web-1.17a2b3c4",
        ])
    }

    @Test func singletonEventOfTheNewAPIUsesEventTimeAndCountOne() {
        let event: JSON = [
            "metadata": Fixture.metadata("x"), "involvedObject": ["kind": "Deployment", "name": "app"],
            "eventTime": "2024-01-02T03:09:30.123456Z", "reportingController": "deployment-controller",
            "reportingInstance": "kcm-1", "reason": "ScalingReplicaSet", "type": "Normal", "message": "Scaled up",
        ]
        let row = Fixture.row("", "events", event)
        #expect(row["Last Seen"] == "29s")
        #expect(row["First Seen"] == "29s")
        #expect(row["Count"] == 1)
        #expect(row["Source"] == "deployment-controller, kcm-1")
        #expect(row["Object"] == "deployment/app")
    }

    @Test func seriesOverridesLastSeenAndCount() {
        let event: JSON = [
            "metadata": Fixture.metadata("x"), "involvedObject": ["kind": "Node"],
            "eventTime": Fixture.ago(900), "series": ["count": 7, "lastObservedTime": Fixture.ago(20)],
        ]
        let row = Fixture.row("", "events", event)
        #expect(row["Last Seen"] == "20s")
        #expect(row["Count"] == 7)
        #expect(row["Object"] == "node")
    }

    @Test func unknownTimes() {
        let event: JSON = ["metadata": Fixture.metadata("x"), "involvedObject": ["kind": "Pod", "name": "p"]]
        let row = Fixture.row("", "events", event)
        #expect(row["Last Seen"] == "<unknown>")
        #expect(row["First Seen"] == "<unknown>")
    }

    @Test func eventsAPIShape() {
        let event: JSON = [
            "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": Fixture.metadata("web-1.abc"),
            "regarding": ["kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{web}"],
            "note": "Started container web", "reason": "Started", "type": "Normal",
            "deprecatedSource": ["component": "kubelet"], "reportingInstance": "node-1",
            "deprecatedFirstTimestamp": Fixture.ago(120), "deprecatedLastTimestamp": Fixture.ago(120), "deprecatedCount": 1,
        ]
        #expect(Fixture.cells("events.k8s.io", "events", event) == [
            "2m", "Normal", "Started", "pod/web-1", "spec.containers{web}", "kubelet, node-1", "Started container web", "2m", 1, "web-1.abc",
        ])
    }
}
