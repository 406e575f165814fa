import ApusMachinery

/// Members of a request body that the kind's type does not have, found and removed the way
/// kube-apiserver's JSON decoder does: `fieldValidation=Strict` rejects them, Ignore and Warn drop them.
public enum UnknownFields {
    /// Kubernetes stops collecting strict decoding errors after this many.
    public static let limit = 100

    /// Paths of the unknown members, formatted as Kubernetes does: members joined with ".", list
    /// items as "[i]", map entries by key (`spec.containers[0].imagee`, `metadata.labelz`).
    ///
    /// Kubernetes reports them in document order. Objects here carry no member order, so members are
    /// visited in byte order of their names, which is the document order of every body kubectl sends
    /// (it serializes maps with sorted keys).
    public static func find(in object: JSON, root: TypeRef) -> [String] {
        var finder = Finder()
        finder.visit(object, .ref(root), path: "", report: true)
        return finder.found
    }

    /// The object without its unknown members, at every depth.
    public static func pruned(_ object: JSON, root: TypeRef) -> JSON {
        prune(object, .ref(root))
    }

    /// The message kube-apiserver puts after "<Kind> in version "<v>" cannot be handled as a <Kind>: ".
    public static func strictDecodingMessage(_ paths: [String]) -> String {
        "strict decoding error: " + paths.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
    }

    private struct Finder {
        var found: [String] = []

        mutating func visit(_ value: JSON, _ type: FieldType, path: String, report: Bool) {
            guard found.count < UnknownFields.limit else { return }
            switch type {
            case .string, .bool, .int32, .int64, .double, .bytes:
                return
            case .array(let element):
                guard case .array(let items) = value else { return }
                for (index, item) in items.enumerated() {
                    visit(item, element, path: path + "[\(index)]", report: report)
                }
            case .map(let element):
                guard case .object(let members) = value else { return }
                for key in sortedKeys(members) {
                    visit(members[key] ?? .null, element, path: join(path, key), report: report)
                }
            case .ref(let ref):
                guard let descriptor = KindSchemas.descriptor(ref) else { return }
                visit(value, descriptor, path: path, report: report)
            }
        }

        private mutating func visit(_ value: JSON, _ descriptor: TypeDescriptor, path: String, report: Bool) {
            switch descriptor.shape {
            case .object:
                guard case .object(let members) = value else { return }
                for key in sortedKeys(members) {
                    if let type = descriptor.fieldsByName[key] {
                        visit(members[key] ?? .null, type, path: join(path, key), report: report)
                    } else if report, found.count < UnknownFields.limit {
                        found.append(join(path, key))
                    }
                }
            // These decode their inside with a lenient decoder: unknown members there are dropped, not reported.
            case .schemaOrArray(let schema):
                if case .array = value {
                    visit(value, .array(.ref(schema)), path: path, report: false)
                } else {
                    visit(value, .ref(schema), path: path, report: false)
                }
            case .schemaOrBool(let schema), .schemaOrStringArray(let schema):
                visit(value, .ref(schema), path: path, report: false)
            case .dateTime, .duration, .quantity, .intOrString, .anyObject, .anyValue:
                return
            }
        }
    }

    private static func prune(_ value: JSON, _ type: FieldType) -> JSON {
        switch type {
        case .string, .bool, .int32, .int64, .double, .bytes:
            return value
        case .array(let element):
            guard case .array(let items) = value else { return value }
            return .array(items.map { prune($0, element) })
        case .map(let element):
            guard case .object(let members) = value else { return value }
            return .object(members.mapValues { prune($0, element) })
        case .ref(let ref):
            guard let descriptor = KindSchemas.descriptor(ref) else { return value }
            switch descriptor.shape {
            case .object:
                guard case .object(let members) = value else { return value }
                var kept: JSONObject = [:]
                kept.reserveCapacity(members.count)
                for (key, member) in members {
                    if let type = descriptor.fieldsByName[key] { kept[key] = prune(member, type) }
                }
                return .object(kept)
            case .schemaOrArray(let schema):
                if case .array = value { return prune(value, .array(.ref(schema))) }
                return prune(value, .ref(schema))
            case .schemaOrBool(let schema), .schemaOrStringArray(let schema):
                return prune(value, .ref(schema))
            case .dateTime, .duration, .quantity, .intOrString, .anyObject, .anyValue:
                return value
            }
        }
    }
}

private func join(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : path + "." + key
}

/// Member names in byte order (Go's string order, which is how kubectl's JSON orders them).
private func sortedKeys(_ members: JSONObject) -> [String] {
    members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}
