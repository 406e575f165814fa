import ApusMachinery

extension ListSemantics {
    /// `object` without the fields and list items of `set`, except what `kept` still holds: a map
    /// or list item in `set` that has fields in `kept` stays, with only its other fields removed
    /// (as structured-merge-diff adds back what appliers still own). A map or list below the top
    /// level that only held removed members goes too, as an empty optional field does not survive
    /// Kubernetes' typed round trip (top-level structs such as `spec` always do).
    public func removing(_ set: FieldSet, keeping kept: FieldSet = FieldSet(), from object: JSON) -> JSON {
        guard !set.isEmpty, case .object(let members) = object else { return object }
        return .object(removeMembers(set, kept, from: members, schemaPath: [], keepEmptied: true))
    }

    private func removeMembers(_ set: FieldSet, _ kept: FieldSet, from members: JSONObject, schemaPath: [String],
                               keepEmptied: Bool = false) -> JSONObject {
        var result = members
        for (name, value) in members {
            let element = PathElement.field(name)
            let keptBelow = kept.children[element] ?? FieldSet()
            if set.members.contains(element), keptBelow.isEmpty {
                result.removeValue(forKey: name)
            } else if let below = set.children[element] {
                if let pruned = removeBelow(below, keptBelow, from: value, name: name, schemaPath: schemaPath + [name]) {
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

    /// The value without the paths of `set` (relative to it) that `kept` does not hold; nil when
    /// nothing is left of a value that had something.
    private func removeBelow(_ set: FieldSet, _ kept: FieldSet, from value: JSON, name: String, schemaPath: [String]) -> JSON? {
        switch value {
        case .object(let members):
            if isAtomicStruct(named: name, value: value) { return value }
            let remaining = removeMembers(set, kept, from: members, schemaPath: schemaPath)
            return remaining.isEmpty && !members.isEmpty ? nil : .object(remaining)
        case .array(let items):
            guard let elements = itemElements(items, at: schemaPath) else { return value }
            var result: [JSON] = []
            for (element, item) in zip(elements, items) {
                let keptBelow = kept.children[element] ?? FieldSet()
                if set.members.contains(element), keptBelow.isEmpty { continue }
                if let below = set.children[element], case .key = element, case .object(let itemMembers) = item {
                    result.append(.object(removeMembers(below, keptBelow, from: itemMembers, schemaPath: schemaPath)))
                } else {
                    result.append(item)
                }
            }
            return result.isEmpty && !items.isEmpty ? nil : .array(result)
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
