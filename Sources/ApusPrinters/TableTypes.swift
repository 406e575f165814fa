import ApusMachinery

/// One column of a meta.k8s.io/v1 Table (`TableColumnDefinition`).
public struct TableColumn: Sendable, Equatable {
    public var name: String
    public var type: String
    public var format: String
    public var description: String
    /// 0 always shows; 1 only with `kubectl get -o wide`.
    public var priority: Int

    public init(name: String, type: String, format: String = "", description: String, priority: Int = 0) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }

    /// The definition as it appears in `columnDefinitions` (every field present, as the apiserver sends it).
    public var json: JSON {
        [
            "name": .string(name), "type": .string(type), "format": .string(format),
            "description": .string(description), "priority": .int(Int64(priority)),
        ]
    }
}

/// The column set and cell builder for one resource. The server always prints the wide form;
/// kubectl hides the priority-1 columns unless asked for `-o wide`.
public struct TablePrinter: Sendable {
    public let columns: [TableColumn]
    /// One cell per column. Never fails: missing or mistyped fields print as Kubernetes prints zero values.
    public let cells: @Sendable (_ object: JSON, _ now: Double) -> [JSON]
    /// `TableRow.conditions` for an object (pods report `Completed` once they have succeeded or failed).
    public let rowConditions: (@Sendable (_ object: JSON) -> [JSON])?

    public init(
        columns: [TableColumn],
        cells: @escaping @Sendable (_ object: JSON, _ now: Double) -> [JSON],
        rowConditions: (@Sendable (_ object: JSON) -> [JSON])? = nil
    ) {
        self.columns = columns
        self.cells = cells
        self.rowConditions = rowConditions
    }
}

/// The `includeObject` table option: what each row carries besides its cells.
public enum IncludeObject: String, Sendable {
    case none = "None"
    case metadata = "Metadata"
    case object = "Object"
}
