import ApusMachinery

/// One `matchExpressions`/`matchFields` requirement of a node selector term.
struct NodeSelectorRequirement: Sendable, Hashable {
    enum Operator: Sendable, Hashable { case `in`, notIn, exists, doesNotExist, gt, lt }

    var key: String
    var op: Operator
    var values: [String]

    /// nil for an operator Kubernetes does not know, or values that do not fit it.
    init?(json: JSON) {
        key = json["key"].string ?? ""
        values = (json["values"].array ?? []).compactMap(\.string)
        switch json["operator"].string {
        case "In": op = .in
        case "NotIn": op = .notIn
        case "Exists": op = .exists
        case "DoesNotExist": op = .doesNotExist
        case "Gt": op = .gt
        case "Lt": op = .lt
        default: return nil
        }
        switch op {
        case .in, .notIn: if values.isEmpty { return nil }
        case .exists, .doesNotExist: if !values.isEmpty { return nil }
        case .gt, .lt: if values.count != 1 || Int64(values[0]) == nil { return nil }
        }
    }

    func matches(labels: [String: String]) -> Bool {
        let label = labels[key]
        switch op {
        case .in: return label.map(values.contains) ?? false
        case .notIn: return label.map { !values.contains($0) } ?? true
        case .exists: return label != nil
        case .doesNotExist: return label == nil
        case .gt, .lt:
            guard let label, let have = Int64(label), let bound = values.first.flatMap({ Int64($0) }) else { return false }
            return op == .gt ? have > bound : have < bound
        }
    }
}

/// A node selector term: all expressions on labels and all field requirements (only
/// `metadata.name`) must hold. A term without requirements matches no node.
struct NodeSelectorTerm: Sendable, Hashable {
    var matchExpressions: [NodeSelectorRequirement] = []
    var matchFields: [NodeSelectorRequirement] = []
    /// A requirement could not be understood: the term matches nothing.
    var invalid = false

    init(json: JSON) {
        for expression in json["matchExpressions"].array ?? [] {
            if let requirement = NodeSelectorRequirement(json: expression) { matchExpressions.append(requirement) } else { invalid = true }
        }
        for field in json["matchFields"].array ?? [] {
            // Field selectors know metadata.name with In/NotIn and exactly one value.
            if let requirement = NodeSelectorRequirement(json: field), requirement.key == "metadata.name",
               requirement.op == .in || requirement.op == .notIn, requirement.values.count == 1 {
                matchFields.append(requirement)
            } else {
                invalid = true
            }
        }
    }

    func matches(labels: [String: String], nodeName: String) -> Bool {
        if invalid || (matchExpressions.isEmpty && matchFields.isEmpty) { return false }
        for requirement in matchExpressions where !requirement.matches(labels: labels) { return false }
        for field in matchFields {
            let equal = field.values.first == nodeName
            if (field.op == .in) != equal { return false }
        }
        return true
    }
}

/// What a pod requires of a node: `spec.nodeSelector` and the required node affinity terms (ORed).
struct RequiredNodeAffinity: Sendable, Hashable {
    var nodeSelector: [String: String] = [:]
    /// nil when the pod has no required node affinity.
    var terms: [NodeSelectorTerm]?

    var isEmpty: Bool { nodeSelector.isEmpty && terms == nil }

    init(nodeSelector: [String: String] = [:], terms: [NodeSelectorTerm]? = nil) {
        self.nodeSelector = nodeSelector
        self.terms = terms
    }

    func matches(_ node: SchedulingNode) -> Bool {
        for (key, value) in nodeSelector where node.labels[key] != value { return false }
        guard let terms else { return true }
        return terms.contains { $0.matches(labels: node.labels, nodeName: node.name) }
    }
}

/// A preferred node affinity term and its weight.
struct PreferredSchedulingTerm: Sendable, Hashable {
    var weight: Int64
    var term: NodeSelectorTerm
}
