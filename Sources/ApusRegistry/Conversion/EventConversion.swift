import ApusMachinery

/// events.k8s.io/v1 Events are core/v1 Events under other field names (Kubernetes stores them as
/// core Events, so `kubectl get events` and `kubectl events` show the same objects).
struct EventConversion: VersionConversion {
    let storage: ResourceDefinition

    /// events.k8s.io/v1 name → core/v1 name.
    static let fieldNames: [(from: String, to: String)] = [
        ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]
    static let storedFieldNames = fieldNames.map { (from: $0.to, to: $0.from) }

    func toStorage(_ object: JSON) throws(APIError) -> JSON {
        // The new API always carries eventTime; core validation takes its stricter branch from it.
        if (object["eventTime"].string ?? "").isEmpty {
            throw APIError.invalid(kind: "Event", group: "events.k8s.io", name: object["metadata"]["name"].string ?? "",
                                   errors: [.required("eventTime")])
        }
        var event = renamed(object, Self.fieldNames)
        event["apiVersion"] = "v1"
        return event
    }

    func fromStorage(_ object: JSON) -> JSON {
        var event = renamed(object, Self.storedFieldNames)
        event["apiVersion"] = "events.k8s.io/v1"
        return event
    }
}
