import ApusMachinery

/// Server-side printing: the kube-apiserver 1.32 column sets and cell values per resource, and the
/// meta.k8s.io/v1 Table built from them.
public enum TablePrinters {
    /// The printer for a resource, by API group and plural resource name ("" / "pods", "apps" / "deployments").
    /// Resources without a specific printer get `default`.
    public static func printer(group: String, resource: String) -> TablePrinter {
        registry[group]?[resource] ?? `default`
    }

    /// Whether a specific printer exists for the resource (otherwise `printer` returns `default`).
    public static func hasPrinter(group: String, resource: String) -> Bool {
        registry[group]?[resource] != nil
    }

    /// Name + Age: what Kubernetes serves for a custom resource without additionalPrinterColumns.
    public static let `default`: TablePrinter = customResource(additionalPrinterColumns: [])

    /// Name + Created At (RFC 3339): Kubernetes' generic table for built-in kinds without a printer
    /// (roles, clusterroles, limitranges, customresourcedefinitions).
    public static let createdAt = TablePrinter(
        columns: [
            Columns.name,
            TableColumn(name: "Created At", type: "date", description: Columns.age.description),
        ],
        cells: { object, _ in
            let seconds = timestampSeconds(object["metadata"]["creationTimestamp"]) ?? goZeroTime
            return [.string(Read.name(object)), .string(formatRFC3339(seconds: seconds))]
        })

    /// Builds the meta.k8s.io/v1 Table for `objects`. Rows carry the object according to `includeObject`
    /// (`Metadata`: a PartialObjectMetadata with the object's metadata). `includeHeaders: false` omits
    /// `columnDefinitions`, as the apiserver does for watch events after the first.
    public static func table(
        printer: TablePrinter, objects: [JSON], now: Double, resourceVersion: String?, continueToken: String?,
        includeHeaders: Bool, includeObject: IncludeObject
    ) -> JSON {
        var metadata = JSON.emptyObject
        if let resourceVersion, !resourceVersion.isEmpty { metadata["resourceVersion"] = .string(resourceVersion) }
        if let continueToken, !continueToken.isEmpty { metadata["continue"] = .string(continueToken) }

        var table: JSON = ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata]
        if includeHeaders {
            table["columnDefinitions"] = .array(printer.columns.map(\.json))
        }
        table["rows"] = .array(objects.map { row(for: $0, printer: printer, now: now, includeObject: includeObject) })
        return table
    }

    private static func row(for object: JSON, printer: TablePrinter, now: Double, includeObject: IncludeObject) -> JSON {
        var row: JSON = ["cells": .array(printer.cells(object, now))]
        if let conditions = printer.rowConditions?(object), !conditions.isEmpty {
            row["conditions"] = .array(conditions)
        }
        switch includeObject {
        case .none:
            row.setExplicitNull("object")
        case .metadata:
            let metadata = object["metadata"].object.map(JSON.object) ?? .emptyObject
            row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": metadata]
        case .object:
            row["object"] = object
        }
        return row
    }

    /// Seconds since 1970 as "2006-01-02T15:04:05Z" (whole seconds, UTC).
    static func formatRFC3339(seconds: Double) -> String { Timestamp.rfc3339(seconds) }
}
