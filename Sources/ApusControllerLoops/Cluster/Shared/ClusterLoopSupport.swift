import ApusControllerKit
import ApusMachinery

/// Small JSON helpers the cluster-level loops share (conditions, pods on a node, set selectors).
enum ClusterLoopSupport {
    /// metav1.Time as written on the wire: RFC 3339, whole seconds.
    static func time(_ seconds: Double) -> JSON { .string(Timestamp.rfc3339(seconds)) }

    static func index(ofCondition type: String, in conditions: [JSON]) -> Int? {
        conditions.firstIndex { $0["type"].string == type }
    }

    static func condition(_ type: String, of object: JSON) -> JSON? {
        (object["status"]["conditions"].array ?? []).first { $0["type"].string == type }
    }

    /// Pods bound to `node` (the `spec.nodeName` index Kubernetes keeps on its pod informer).
    static func pods(onNode node: String, in lister: any ObjectLister) async -> [JSON] {
        await lister.list()
            .filter { $0["spec"]["nodeName"].string == node }
            .sorted { ObjectKey.of($0) < ObjectKey.of($1) }
    }

    /// A `map[string]string` selector (Service.spec.selector); nil when missing or empty, which
    /// Kubernetes treats as "this controller manages no endpoints for it".
    static func setSelector(_ selector: JSON) -> LabelSelector? {
        guard let entries = selector.object, !entries.isEmpty else { return nil }
        let requirements = entries.keys.sorted().map {
            LabelSelector.Requirement(key: $0, op: .equals, values: [entries[$0]?.string ?? ""])
        }
        return LabelSelector(requirements: requirements)
    }

    /// Whether an API error carries a status cause (e.g. `NamespaceTerminating`).
    static func hasCause(_ error: ClientError, _ reason: String) -> Bool {
        guard case .api(let apiError) = error else { return false }
        return apiError.details?.causes.contains { $0.reason == reason } ?? false
    }

    /// An error as Kubernetes' clients print it: the API's message, or what went wrong on the way.
    static func describe(_ error: ClientError) -> String {
        if case .api(let apiError) = error { return apiError.message }
        return error.description
    }

    /// A *metav1.LabelSelector as Go's `%v` prints it (events and messages quote selectors so).
    static func describeSelector(_ selector: JSON) -> String {
        if selector.isNull { return "nil" }
        let labels = (selector["matchLabels"].object ?? [:]).keys.sorted()
            .map { "\($0): \(selector["matchLabels"][$0].string ?? "")," }.joined()
        let expressions = (selector["matchExpressions"].array ?? []).map { requirement in
            let values = (requirement["values"].array ?? []).compactMap(\.string).joined(separator: " ")
            return "LabelSelectorRequirement{Key:\(requirement["key"].string ?? ""),Operator:\(requirement["operator"].string ?? ""),Values:[\(values)],},"
        }.joined()
        return "&LabelSelector{MatchLabels:map[string]string{\(labels)},MatchExpressions:[]LabelSelectorRequirement{\(expressions)},}"
    }
}
