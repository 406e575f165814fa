import ApusMachinery

/// A pod's hard node constraints (component-helpers' nodeaffinity.GetRequiredNodeAffinity): its
/// `nodeSelector`, and its required node affinity, whose terms are ORed and whose requirements within a
/// term are ANDed. Terms that are empty or malformed match nothing.
enum DaemonSetNodeAffinity {
    static func matches(podSpec spec: JSON, node: JSON) -> Bool {
        let labels = (node["metadata"]["labels"].object ?? [:]).compactMapValues(\.string)
        for (key, value) in spec["nodeSelector"].object ?? [:] where labels[key] != value.string {
            return false
        }
        let required = spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        guard case .object = required else { return true }
        let name = node["metadata"]["name"].string ?? ""
        return (required["nodeSelectorTerms"].array ?? []).contains { term in
            termMatches(term, labels: labels, nodeName: name)
        }
    }

    private static func termMatches(_ term: JSON, labels: [String: String], nodeName: String) -> Bool {
        let expressions = term["matchExpressions"].array ?? []
        let fields = term["matchFields"].array ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        for requirement in expressions where labelRequirementMatches(requirement, labels) != true { return false }
        for requirement in fields where fieldRequirementMatches(requirement, nodeName: nodeName) != true { return false }
        return true
    }

    /// nil when the requirement is malformed.
    private static func labelRequirementMatches(_ requirement: JSON, _ labels: [String: String]) -> Bool? {
        guard let key = requirement["key"].string else { return nil }
        let values = (requirement["values"].array ?? []).compactMap(\.string)
        let value = labels[key]
        switch requirement["operator"].string {
        case "In":
            guard !values.isEmpty else { return nil }
            return value.map(values.contains) ?? false
        case "NotIn":
            guard !values.isEmpty else { return nil }
            return !(value.map(values.contains) ?? false)
        case "Exists":
            guard values.isEmpty else { return nil }
            return value != nil
        case "DoesNotExist":
            guard values.isEmpty else { return nil }
            return value == nil
        case "Gt", "Lt":
            guard values.count == 1, let bound = Int64(values[0]) else { return nil }
            guard let value, let number = Int64(value) else { return false }
            return requirement["operator"].string == "Gt" ? number > bound : number < bound
        default:
            return nil
        }
    }

    /// Node fields: only `metadata.name`, with In or NotIn and one value.
    private static func fieldRequirementMatches(_ requirement: JSON, nodeName: String) -> Bool? {
        let values = (requirement["values"].array ?? []).compactMap(\.string)
        guard requirement["key"].string == "metadata.name", values.count == 1 else { return nil }
        switch requirement["operator"].string {
        case "In": return nodeName == values[0]
        case "NotIn": return nodeName != values[0]
        default: return nil
        }
    }
}
