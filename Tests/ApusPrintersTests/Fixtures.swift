import ApusMachinery
@testable import ApusPrinters

/// Shared clock and helpers: objects are created at `created`, printed at `now` (5 minutes later).
enum Fixture {
    static let created = "2024-01-02T03:05:00Z"
    static let now = TablePrinters.parseRFC3339("2024-01-02T03:10:00Z")!

    /// A timestamp `seconds` before `now`.
    static func ago(_ seconds: Double) -> JSON {
        .string(TablePrinters.formatRFC3339(seconds: now - seconds))
    }

    static func metadata(_ name: String, namespace: String? = "default", extra: JSONObject = [:]) -> JSON {
        var metadata: JSON = ["name": .string(name), "creationTimestamp": .string(created), "uid": "u-1", "resourceVersion": "42"]
        if let namespace { metadata["namespace"] = .string(namespace) }
        for (key, value) in extra { metadata[key] = value }
        return metadata
    }

    static func cells(_ group: String, _ resource: String, _ object: JSON) -> [JSON] {
        TablePrinters.printer(group: group, resource: resource).cells(object, now)
    }

    /// Cells keyed by column name, for readable expectations.
    static func row(_ group: String, _ resource: String, _ object: JSON) -> JSONObject {
        let printer = TablePrinters.printer(group: group, resource: resource)
        let cells = printer.cells(object, now)
        var row: JSONObject = [:]
        for (column, cell) in zip(printer.columns, cells) { row[column.name] = cell }
        return row
    }

    static func columnNames(_ group: String, _ resource: String) -> [String] {
        TablePrinters.printer(group: group, resource: resource).columns.map(\.name)
    }
}
