import ApusMachinery

/// Events (core/v1 and events.k8s.io/v1 share one printer, as in Kubernetes): LAST SEEN, TYPE, REASON,
/// OBJECT "kind/name", MESSAGE; wide adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME.
/// events.k8s.io field names (regarding, note, deprecated*) are read when the core names are absent.
enum EventPrinter {
    static let printer = TablePrinter(
        columns: [
            Columns.string("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            Columns.string("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            Columns.string("Reason", "A short, machine understandable reason for the event."),
            Columns.string("Object", "The object that this event is about."),
            Columns.string("Subobject", "The part of the object the event is about.", priority: 1),
            Columns.string("Source", "The component reporting this event.", priority: 1),
            Columns.string("Message", "A human-readable description of the status of this operation."),
            Columns.string("First Seen", "The time at which the event was first recorded.", priority: 1),
            Columns.string("Count", "The number of times this event has occurred.", priority: 1),
            TableColumn(name: "Name", type: "string", format: "name", description: Columns.name.description, priority: 1),
        ],
        cells: { event, now in cells(event, now: now) })

    static func cells(_ event: JSON, now: Double) -> [JSON] {
        let firstTimestamp = field(event, "firstTimestamp", "deprecatedFirstTimestamp")
        let lastTimestamp = field(event, "lastTimestamp", "deprecatedLastTimestamp")

        var firstSeen = TablePrinters.timeSince(firstTimestamp, now: now)
        if TablePrinters.timestampSeconds(firstTimestamp) == nil {
            firstSeen = TablePrinters.timeSince(event["eventTime"], now: now)
        }
        var lastSeen = TablePrinters.timeSince(lastTimestamp, now: now)
        if TablePrinters.timestampSeconds(lastTimestamp) == nil { lastSeen = firstSeen }

        var count = field(event, "count", "deprecatedCount").int ?? 0
        if event["series"].object != nil {
            lastSeen = TablePrinters.timeSince(event["series"]["lastObservedTime"], now: now)
            count = Read.int(event, "series", "count")
        } else if count == 0 {
            // Singleton events of the new API carry no count.
            count = 1
        }

        let involved = field(event, "involvedObject", "regarding")
        let kind = Read.string(involved, "kind").lowercased()
        let involvedName = Read.string(involved, "name")
        let target = involvedName.isEmpty ? kind : "\(kind)/\(involvedName)"

        let source = field(event, "source", "deprecatedSource")
        let component = firstNonEmpty(Read.string(source, "component"), Read.string(event, "reportingController"))
        let host = firstNonEmpty(Read.string(source, "host"), Read.string(event, "reportingInstance"))
        let sourceText = host.isEmpty ? component : "\(component), \(host)"

        let message = Format.trimSpace(field(event, "message", "note").string ?? "")
        return [
            .string(lastSeen),
            .string(Read.string(event, "type")),
            .string(Read.string(event, "reason")),
            .string(target),
            .string(Read.string(involved, "fieldPath")),
            .string(sourceText),
            .string(message),
            .string(firstSeen),
            .int(count),
            .string(Read.name(event)),
        ]
    }

    /// The core/v1 field, or its events.k8s.io/v1 counterpart when the core one is absent.
    private static func field(_ event: JSON, _ core: String, _ eventsAPI: String) -> JSON {
        event[core].isNull ? event[eventsAPI] : event[core]
    }

    private static func firstNonEmpty(_ first: String, _ second: String) -> String { first.isEmpty ? second : first }
}
