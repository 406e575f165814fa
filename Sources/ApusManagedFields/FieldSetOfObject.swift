import ApusMachinery

/// The fields an object (or an applied configuration) sets: every scalar, every atomic list or
/// struct as one field, every item of an associative or set list as a member of its own (so the
/// applier owns the item, not just its fields), and every empty map (an `emptyDir: {}` is a choice).
extension ListSemantics {
    public func fieldSet(of object: JSON) -> FieldSet {
        var set = FieldSet()
        for (name, value) in object.object ?? [:] {
            add(value, name: name, at: [.field(name)], schemaPath: [name], to: &set)
        }
        return set
    }

    func add(_ value: JSON, name: String?, at path: [PathElement], schemaPath: [String], to set: inout FieldSet) {
        switch value {
        case .object(let members):
            if members.isEmpty || isAtomicStruct(named: name, value: value) {
                set.insert(path)
                return
            }
            for (key, child) in members {
                add(child, name: key, at: path + [.field(key)], schemaPath: schemaPath + [key], to: &set)
            }
        case .array(let items):
            guard let elements = itemElements(items, at: schemaPath) else {
                set.insert(path)
                return
            }
            for (element, item) in zip(elements, items) {
                set.insert(path + [element])
                if case .key = element {
                    for (key, child) in item.object ?? [:] {
                        add(child, name: key, at: path + [element, .field(key)], schemaPath: schemaPath + [key], to: &set)
                    }
                }
            }
        default:
            set.insert(path)
        }
    }

    /// The path element of each item of the list at `schemaPath`, or nil when the list is atomic, or
    /// cannot be treated item by item (an item without its key, or two items with the same key).
    func itemElements(_ items: [JSON], at schemaPath: [String]) -> [PathElement]? {
        var elements: [PathElement] = []
        switch listType(at: schemaPath) {
        case .atomic:
            return nil
        case .set:
            for item in items {
                if case .object = item { return nil }
                if case .array = item { return nil }
                elements.append(.value(item))
            }
        case .map(let keys, let defaults):
            for item in items {
                guard let members = item.object else { return nil }
                var keyFields: JSONObject = [:]
                for key in keys {
                    if let value = members[key], !value.isNull {
                        keyFields[key] = value
                    } else if let fallback = defaults[key] {
                        keyFields[key] = fallback
                    } else if key == keys.first {
                        return nil
                    }
                }
                elements.append(.key(keyFields))
            }
        }
        return Set(elements).count == elements.count ? elements : nil
    }
}
