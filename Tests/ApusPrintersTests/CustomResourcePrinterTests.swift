import ApusMachinery
import Testing
@testable import ApusPrinters

@Suite struct CustomResourcePrinterTests {
    static let columns: [JSON] = [
        ["name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status"],
        ["name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"],
        ["name": "Ratio", "type": "number", "jsonPath": ".spec.ratio", "priority": 1],
        ["name": "Paused", "type": "boolean", "jsonPath": ".spec.paused"],
        ["name": "Host", "type": "string", "jsonPath": ".spec.hosts[0]"],
        ["name": "Tier", "type": "string", "jsonPath": ".metadata.labels.app\\.kubernetes\\.io/tier"],
        ["name": "Ports", "type": "string", "jsonPath": ".spec.ports"],
        ["name": "Started", "type": "date", "jsonPath": ".status.startedAt", "description": "When it started"],
        ["name": "Broken", "type": "string", "jsonPath": "status.x"],
    ]

    @Test func columnsFromAdditionalPrinterColumns() {
        let printer = TablePrinters.customResource(additionalPrinterColumns: Self.columns)
        #expect(printer.columns.map(\.name) == ["Name", "Ready", "Replicas", "Ratio", "Paused", "Host", "Tier", "Ports", "Started", "Broken"])
        #expect(printer.columns[0].format == "name")
        #expect(printer.columns[3].priority == 1)
        #expect(printer.columns[8].description == "When it started")
    }

    @Test func cellsFollowColumnTypes() {
        let printer = TablePrinters.customResource(additionalPrinterColumns: Self.columns)
        let object: JSON = [
            "metadata": Fixture.metadata("w", extra: ["labels": ["app.kubernetes.io/tier": "backend"]]),
            "spec": ["replicas": 3.0, "ratio": 2, "paused": true, "hosts": ["a.example.com", "b"], "ports": [80, 443]],
            "status": ["conditions": [["type": "Synced", "status": "False"], ["type": "Ready", "status": "True"]], "startedAt": Fixture.ago(130)],
        ]
        #expect(printer.cells(object, Fixture.now) == ["w", "True", 3, 2.0, true, "a.example.com", "backend", "[80,443]", "2m10s", .null])
        let empty: JSON = ["metadata": ["name": "e"], "status": ["startedAt": "garbage"]]
        #expect(printer.cells(empty, Fixture.now) == ["e", .null, .null, .null, .null, .null, .null, .null, "<invalid>", .null])
    }

    @Test func jsonPathSubset() {
        let value: JSON = ["items": [["name": "a", "n": 1], ["name": "b", "n": 2]], "map": ["x": 1]]
        #expect(SimpleJSONPath("{.items[*].name}")?.evaluate(value) == ["a", "b"])
        #expect(SimpleJSONPath(".items[-1].name")?.evaluate(value) == ["b"])
        #expect(SimpleJSONPath(".items[?(@.n==2)].name")?.evaluate(value) == ["b"])
        #expect(SimpleJSONPath(".items[?(@.n != 2)].name")?.evaluate(value) == ["a"])
        #expect(SimpleJSONPath(".items[?(@.missing)].name")?.evaluate(value) == [])
        #expect(SimpleJSONPath("$['map']['x']")?.evaluate(value) == [1])
        #expect(SimpleJSONPath(".map.*")?.evaluate(value) == [1])
        #expect(SimpleJSONPath(".items[")  == nil)
        #expect(SimpleJSONPath("items") == nil)
    }
}

@Suite struct GoFloatTests {
    @Test func formatsLikeGoPercentV() {
        let cases: [(Double, String)] = [
            (3, "3"), (2.5, "2.5"), (-0.75, "-0.75"), (0.0001, "0.0001"), (0.00001, "1e-05"), (123456, "123456"),
            (1_000_000, "1e+06"), (1_234_567, "1.234567e+06"), (1e21, "1e+21"), (0.1, "0.1"), (100, "100"), (1.5e-7, "1.5e-07"),
        ]
        for (value, expected) in cases {
            #expect(GoFloat.format(value) == expected, "\(value)")
        }
    }
}
