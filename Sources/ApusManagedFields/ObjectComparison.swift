import ApusMachinery

/// What changed between two versions of an object, as field paths: fields that appear only in the
/// new version, fields whose value differs, and fields that are gone. A field that appears or goes
/// brings its whole subtree with it, so that ownership of everything below it follows.
public struct ObjectComparison: Sendable, Equatable {
    public var added = FieldSet()
    public var modified = FieldSet()
    public var removed = FieldSet()

    public var changed: FieldSet { added.union(modified) }
    public var isEmpty: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }
}

extension ListSemantics {
    public func compare(_ old: JSON, _ new: JSON) -> ObjectComparison {
        var result = ObjectComparison()
        compareMembers(old.object ?? [:], new.object ?? [:], at: [], schemaPath: [], into: &result)
        return result
    }

    private func compareMembers(_ old: JSONObject, _ new: JSONObject, at path: [PathElement], schemaPath: [String],
                                into result: inout ObjectComparison) {
        for key in Set(old.keys).union(new.keys) {
            compareValues(old[key], new[key], name: key, at: path + [.field(key)], schemaPath: schemaPath + [key], into: &result)
        }
    }

    private func compareValues(_ old: JSON?, _ new: JSON?, name: String?, at path: [PathElement], schemaPath: [String],
                               into result: inout ObjectComparison) {
        switch (old, new) {
        case (nil, nil):
            return
        case (nil, let new?):
            addSubtree(new, name: name, at: path, schemaPath: schemaPath, to: &result.added)
        case (let old?, nil):
            addSubtree(old, name: name, at: path, schemaPath: schemaPath, to: &result.removed)
        case (let old?, let new?):
            if case .object(let oldMembers) = old, case .object(let newMembers) = new,
               !isAtomicStruct(named: name, value: old), !isAtomicStruct(named: name, value: new) {
                compareMembers(oldMembers, newMembers, at: path, schemaPath: schemaPath, into: &result)
            } else if case .array(let oldItems) = old, case .array(let newItems) = new,
                      let oldElements = itemElements(oldItems, at: schemaPath),
                      let newElements = itemElements(newItems, at: schemaPath) {
                compareItems(Dictionary(zip(oldElements, oldItems), uniquingKeysWith: { a, _ in a }),
                             Dictionary(zip(newElements, newItems), uniquingKeysWith: { a, _ in a }),
                             at: path, schemaPath: schemaPath, into: &result)
            } else if old != new {
                result.modified.insert(path)
            }
        }
    }

    private func compareItems(_ old: [PathElement: JSON], _ new: [PathElement: JSON], at path: [PathElement], schemaPath: [String],
                              into result: inout ObjectComparison) {
        for element in Set(old.keys).union(new.keys) {
            let itemPath = path + [element]
            switch (old[element], new[element]) {
            case (nil, let item?):
                addSubtree(item, name: nil, at: itemPath, schemaPath: schemaPath, to: &result.added)
            case (let item?, nil):
                addSubtree(item, name: nil, at: itemPath, schemaPath: schemaPath, to: &result.removed)
            case (let oldItem?, let newItem?):
                if case .key = element {
                    compareMembers(oldItem.object ?? [:], newItem.object ?? [:], at: itemPath, schemaPath: schemaPath, into: &result)
                }
            default:
                break
            }
        }
    }

    /// A field that appears or goes, with everything below it: a map itself (FieldsV1 `.`) and its
    /// fields, the items of associative and set lists, atomic values as one field.
    private func addSubtree(_ value: JSON, name: String?, at path: [PathElement], schemaPath: [String], to set: inout FieldSet) {
        switch value {
        case .object(let members) where !isAtomicStruct(named: name, value: value):
            set.insert(path)
            for (key, child) in members {
                addSubtree(child, name: key, at: path + [.field(key)], schemaPath: schemaPath + [key], to: &set)
            }
        case .array(let items):
            // A list is its items (as in Kubernetes' entries, which name no `.` for a list itself);
            // only an atomic list is one field.
            guard let elements = itemElements(items, at: schemaPath) else {
                set.insert(path)
                return
            }
            for (element, item) in zip(elements, items) {
                addSubtree(item, name: nil, at: path + [element], schemaPath: schemaPath, to: &set)
            }
        default:
            set.insert(path)
        }
    }
}
