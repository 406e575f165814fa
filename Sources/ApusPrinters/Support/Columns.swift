/// Column definitions reused across printers. Descriptions are shortened forms of Kubernetes' own.
enum Columns {
    static let name = TableColumn(
        name: "Name", type: "string", format: "name",
        description: "Name must be unique within a namespace. Cannot be updated.")
    static let age = TableColumn(
        name: "Age", type: "string",
        description: "CreationTimestamp is a timestamp representing the server time when this object was created.")
    static let containers = TableColumn(
        name: "Containers", type: "string", description: "Names of each container in the template.", priority: 1)
    static let images = TableColumn(
        name: "Images", type: "string", description: "Images referenced by each container in the template.", priority: 1)
    static func selector(_ description: String = "Label query over pods that should match the replica count.") -> TableColumn {
        TableColumn(name: "Selector", type: "string", description: description, priority: 1)
    }

    static func string(_ name: String, _ description: String, priority: Int = 0) -> TableColumn {
        TableColumn(name: name, type: "string", description: description, priority: priority)
    }

    static func integer(_ name: String, _ description: String, priority: Int = 0) -> TableColumn {
        TableColumn(name: name, type: "integer", description: description, priority: priority)
    }

    static func boolean(_ name: String, _ description: String, priority: Int = 0) -> TableColumn {
        TableColumn(name: name, type: "boolean", description: description, priority: priority)
    }
}
