import ApusMachinery
import Testing
@testable import ApusPrinters

@Suite struct TableShapeTests {
    static let pod: JSON = [
        "kind": "Pod", "apiVersion": "v1",
        "metadata": Fixture.metadata("web-1", extra: ["labels": ["app": "web"]]),
        "spec": ["containers": [["name": "web", "image": "nginx"]]],
        "status": ["phase": "Pending"],
    ]

    @Test func tableWithHeadersAndMetadataRows() {
        let printer = TablePrinters.printer(group: "", resource: "pods")
        let table = TablePrinters.table(printer: printer, objects: [Self.pod], now: Fixture.now, resourceVersion: "42",
                                        continueToken: nil, includeHeaders: true, includeObject: .metadata)
        #expect(table["kind"] == "Table")
        #expect(table["apiVersion"] == "meta.k8s.io/v1")
        #expect(table["metadata"] == ["resourceVersion": "42"])
        let columns = table["columnDefinitions"].array ?? []
        #expect(columns.count == 9)
        #expect(columns.first == ["name": "Name", "type": "string", "format": "name", "description": .string(Columns.name.description), "priority": 0])
        #expect(columns.last?["priority"] == 1)
        let row = table["rows"][0]
        #expect(row["cells"] == ["web-1", "0/1", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>"])
        #expect(row["object"] == ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": Self.pod["metadata"]])
        #expect(row["conditions"].isNull)
        #expect(table.serializedString.hasPrefix("{\"apiVersion\":\"meta.k8s.io/v1\",\"columnDefinitions\":["))
    }

    @Test func tableWithoutHeadersForLaterWatchEvents() {
        let printer = TablePrinters.printer(group: "apps", resource: "deployments")
        let table = TablePrinters.table(printer: printer, objects: [], now: Fixture.now, resourceVersion: nil,
                                        continueToken: "abc", includeHeaders: false, includeObject: .metadata)
        #expect(table.object?["columnDefinitions"] == nil)
        #expect(table["rows"] == [])
        #expect(table["metadata"] == ["continue": "abc"])
    }

    @Test func includeObjectVariants() {
        let printer = TablePrinters.printer(group: "", resource: "pods")
        let full = TablePrinters.table(printer: printer, objects: [Self.pod], now: Fixture.now, resourceVersion: "1",
                                       continueToken: nil, includeHeaders: true, includeObject: .object)
        #expect(full["rows"][0]["object"] == Self.pod)
        let none = TablePrinters.table(printer: printer, objects: [Self.pod], now: Fixture.now, resourceVersion: "1",
                                       continueToken: nil, includeHeaders: true, includeObject: .none)
        #expect(none["rows"][0].object?["object"] == JSON.null)
        #expect(none["rows"][0].serializedString.contains("\"object\":null"))
        #expect(IncludeObject(rawValue: "Metadata") == .metadata)
    }

    @Test func succeededPodRowsCarryCompletedCondition() {
        var pod = Self.pod
        pod["status"]["phase"] = "Succeeded"
        let table = TablePrinters.table(printer: TablePrinters.printer(group: "", resource: "pods"), objects: [pod], now: Fixture.now,
                                        resourceVersion: "1", continueToken: nil, includeHeaders: true, includeObject: .metadata)
        #expect(table["rows"][0]["conditions"][0]["type"] == "Completed")
    }

    @Test func objectWithoutMetadataStillGetsARow() {
        let table = TablePrinters.table(printer: TablePrinters.default, objects: [.emptyObject, "not an object"], now: Fixture.now,
                                        resourceVersion: nil, continueToken: nil, includeHeaders: true, includeObject: .metadata)
        #expect(table["rows"].array?.count == 2)
        #expect(table["rows"][0]["object"]["metadata"] == .emptyObject)
    }
}
