import ApusControllerKit
import ApusMachinery

/// The fields of ReplicaSets, Deployments and pods these two controllers read and write. An absent
/// field reads as the value the apps/v1 API would have defaulted it to.
enum DeploymentsFields {
    static func name(_ object: JSON) -> String { object["metadata"]["name"].string ?? "" }
    static func namespace(_ object: JSON) -> String { object["metadata"]["namespace"].string ?? "" }
    static func uid(_ object: JSON) -> String { object["metadata"]["uid"].string ?? "" }
    static func generation(_ object: JSON) -> Int64 { object["metadata"]["generation"].int ?? 0 }
    static func isDeleting(_ object: JSON) -> Bool { !object["metadata"]["deletionTimestamp"].isNull }

    /// metadata.creationTimestamp in seconds; nil when unset (Go's zero time).
    static func creationTime(_ object: JSON) -> Double? {
        object["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse)
    }

    /// spec.replicas of a ReplicaSet or Deployment (apps/v1 defaults it to 1).
    static func specReplicas(_ object: JSON) -> Int { count(object["spec"]["replicas"].int ?? 1) }

    static func setSpecReplicas(_ object: inout JSON, _ replicas: Int) {
        object[path: ["spec", "replicas"]] = .int(Int64(replicas))
    }

    static func minReadySeconds(_ object: JSON) -> Int64 { object["spec"]["minReadySeconds"].int ?? 0 }

    /// An integer status field (0 when absent, as Go's omitempty leaves it).
    static func status(_ object: JSON, _ field: String) -> Int { count(object["status"][field].int ?? 0) }

    /// A count as the API's int32 fields hold it: out-of-range input is clamped, never trapped on.
    static func count(_ value: Int64) -> Int { Int(min(max(value, 0), Int64(Int32.max))) }

    static func annotations(_ object: JSON) -> [String: String] {
        (object["metadata"]["annotations"].object ?? [:]).compactMapValues(\.string)
    }

    static func annotation(_ object: JSON, _ key: String) -> String? { object["metadata"]["annotations"][key].string }

    /// Replaces metadata.annotations (removing the member when empty).
    static func setAnnotations(_ object: inout JSON, _ annotations: [String: String]) {
        object[path: ["metadata", "annotations"]] = annotations.isEmpty ? .null : .object(JSONObject(annotations.mapValues { .string($0) }))
    }

    /// The error text Kubernetes shows for a failed request (`%v` of the error).
    static func message(_ error: any Error) -> String {
        if let client = error as? ClientError {
            if case .api(let api) = client { return api.message }
            return client.description
        }
        return String(describing: error)
    }
}

/// A failure of the controller's own making, with Kubernetes' wording.
struct DeploymentsFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
