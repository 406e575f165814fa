import ApusMachinery

extension ListSemantics {
    /// `object` without the fields and list items of `set`. A map or list below the top level that
    /// only held removed members goes too, as an empty optional field does not survive Kubernetes'
    /// typed round trip (top-level structs such as `spec` always do).
    public func removing(_ set: FieldSet, from object: JSON) -> JSON {
        guard !set.isEmpty, case .object(let members) = object else { return object }
        return .object(removeMembers(set, from: members, schemaPath: [], keepEmptied: true))
    }

    private func removeMembers(_ set: FieldSet, from members: [String: JSON], schemaPath: [String],
                               keepEmptied: Bool = false) -> [String: JSON] {
        var result = members
        for (name, value) in members {
            let element = PathElement.field(name)
            if set.members.contains(element) {
                result.removeValue(forKey: name)
            } else if let below = set.children[element] {
                if let pruned = removeBelow(below, from: value, name: name, schemaPath: schemaPath + [name]) {
                    result[name] = pruned
                } else if keepEmptied {
                    result[name] = value.emptied
                } else {
                    result.removeValue(forKey: name)
                }
            }
        }
        return result
    }

    /// The value without the paths of `set` (relative to it); nil when nothing is left of a value
    /// that had something.
    private func removeBelow(_ set: FieldSet, from value: JSON, name: String, schemaPath: [String]) -> JSON? {
        switch value {
        case .object(let members):
            if isAtomicStruct(named: name, value: value) { return value }
            let remaining = removeMembers(set, from: members, schemaPath: schemaPath)
            return remaining.isEmpty && !members.isEmpty ? nil : .object(remaining)
        case .array(let items):
            guard let elements = itemElements(items, at: schemaPath) else { return value }
            var kept: [JSON] = []
            for (element, item) in zip(elements, items) {
                if set.members.contains(element) { continue }
                if let below = set.children[element], case .key = element {
                    guard case .object(let itemMembers) = item else { continue }
                    kept.append(.object(removeMembers(below, from: itemMembers, schemaPath: schemaPath)))
                } else {
                    kept.append(item)
                }
            }
            return kept.isEmpty && !items.isEmpty ? nil : .array(kept)
        default:
            return value
        }
    }
}

private extension JSON {
    /// An empty value of the same shape.
    var emptied: JSON {
        switch self {
        case .object: return .emptyObject
        case .array: return .array([])
        default: return self
        }
    }
}
