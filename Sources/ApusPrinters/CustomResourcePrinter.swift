import ApusMachinery

extension TablePrinters {
    /// The printer for a custom resource version, from its CRD's `additionalPrinterColumns`
    /// (`name`, `type`, `format`, `description`, `priority`, `jsonPath`). With no columns, Kubernetes
    /// serves a single Age column. A column whose jsonPath does not parse prints empty (null) cells.
    public static func customResource(additionalPrinterColumns: [JSON]) -> TablePrinter {
        var specs = additionalPrinterColumns.map { column in
            CustomColumn(
                definition: TableColumn(
                    name: Read.string(column, "name"), type: Read.string(column, "type"),
                    format: Read.string(column, "format"), description: Read.string(column, "description"),
                    priority: Int(clamping: Read.int(column, "priority"))),
                path: SimpleJSONPath(Read.string(column, "jsonPath")))
        }
        if specs.isEmpty {
            specs = [CustomColumn(
                definition: TableColumn(name: "Age", type: "date", description: Columns.age.description),
                path: SimpleJSONPath(".metadata.creationTimestamp"))]
        }
        let columns = specs
        return TablePrinter(
            columns: [Columns.name] + columns.map(\.definition),
            cells: { object, now in
                [.string(Read.name(object))] + columns.map { $0.cell(object, now: now) }
            })
    }
}

/// One additionalPrinterColumn: its definition and compiled path.
private struct CustomColumn: Sendable {
    let definition: TableColumn
    let path: SimpleJSONPath?

    /// The cell the apiextensions table convertor produces for the column's type.
    func cell(_ object: JSON, now: Double) -> JSON {
        guard let path, let value = path.evaluate(object).first, !value.isNull else { return .null }
        switch definition.type {
        case "integer":
            if case .int(let number) = value { return .int(number) }
            if case .double(let number) = value, number.isFinite, abs(number) < 9.2e18 { return .int(Int64(number)) }
            return .null
        case "number":
            return value.double.map(JSON.double) ?? .null
        case "boolean":
            return value.bool.map(JSON.bool) ?? .null
        case "date":
            guard let text = value.string else { return .null }
            guard let seconds = TablePrinters.parseRFC3339(text) else { return "<invalid>" }
            return seconds == TablePrinters.goZeroTime ? "<unknown>" : .string(TablePrinters.humanDuration(seconds: now - seconds))
        case "string":
            return .string(Self.text(value))
        default:
            return .null
        }
    }

    /// How kubectl's JSONPath prints a value: strings raw, containers as JSON, scalars as Go formats them.
    private static func text(_ value: JSON) -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return GoFloat.format(number)
        case .null: return "<nil>"
        case .array, .object: return value.serializedString
        }
    }
}
