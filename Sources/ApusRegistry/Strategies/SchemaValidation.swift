import ApusMachinery

/// Checks custom objects against a CRD's structural OpenAPI v3 schema, and prunes fields the schema
/// does not know (unless `x-kubernetes-preserve-unknown-fields`), as apiextensions-apiserver does.
enum SchemaValidation {
    static func validate(_ object: JSON, schema: JSON) -> [FieldError] {
        guard case .object = schema else { return [] }
        var errors: [FieldError] = []
        var body = object
        // apiVersion, kind and metadata are checked by the generic machinery.
        for key in ["apiVersion", "kind", "metadata"] { body[key] = .null }
        var bodySchema = schema
        if var properties = schema["properties"].object {
            for key in ["apiVersion", "kind", "metadata"] { properties.removeValue(forKey: key) }
            bodySchema["properties"] = .object(properties)
        }
        check(body, bodySchema, path: "", errors: &errors)
        return errors
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func check(_ value: JSON, _ schema: JSON, path: String, errors: inout [FieldError]) {
        // A null where the schema has a type is dropped by pruning in Kubernetes; nothing to report.
        if value.isNull { return }
        if schema["x-kubernetes-int-or-string"].bool == true {
            switch value {
            case .int, .string: break
            default: errors.append(.init(.typeInvalid, field: path, value: FieldError.render(value), detail: "must be an integer or a string"))
            }
            return
        }
        if let type = schema["type"].string {
            let ok: Bool
            switch (type, value) {
            case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int): ok = true
            case ("number", .int), ("number", .double): ok = true
            case ("integer", .double(let d)): ok = d.rounded() == d
            default: ok = false
            }
            if !ok {
                errors.append(FieldError(.typeInvalid, field: path.isEmpty ? "<root>" : path, value: FieldError.render(value),
                                         detail: "must be of type \(type)"))
                return
            }
        }
        if let allowed = schema["enum"].array, !allowed.contains(value) {
            errors.append(.notSupported(path, value, allowed.map { $0.string ?? $0.serializedString }))
        }
        switch value {
        case .object(let members):
            for required in (schema["required"].array ?? []).compactMap(\.string) where members[required] == nil {
                errors.append(.required(join(path, required)))
            }
            let properties = schema["properties"].object ?? [:]
            for (key, member) in members {
                if let sub = properties[key] {
                    check(member, sub, path: join(path, key), errors: &errors)
                } else if case .object = schema["additionalProperties"] {
                    check(member, schema["additionalProperties"], path: join(path, key), errors: &errors)
                }
            }
            if let max = schema["maxProperties"].int, members.count > max {
                errors.append(FieldError(.tooMany, field: path, detail: "must have at most \(max) items"))
            }
        case .array(let items):
            for (i, item) in items.enumerated() { check(item, schema["items"], path: "\(path)[\(i)]", errors: &errors) }
            if let max = schema["maxItems"].int, items.count > max {
                errors.append(FieldError(.tooMany, field: path, detail: "must have at most \(max) items"))
            }
            if let min = schema["minItems"].int, items.count < min {
                errors.append(.invalid(path, value, "should have at least \(min) items"))
            }
        case .string(let s):
            if let max = schema["maxLength"].int, s.count > max { errors.append(.tooLong(path, Int(max))) }
            if let min = schema["minLength"].int, s.count < min {
                errors.append(.invalid(path, value, "should be at least \(min) chars long"))
            }
        case .int, .double:
            let number = value.double ?? 0
            if let min = schema["minimum"].double, number < min {
                errors.append(.invalid(path, value, "should be greater than or equal to \(FieldError.render(schema["minimum"]))"))
            }
            if let max = schema["maximum"].double, number > max {
                errors.append(.invalid(path, value, "should be less than or equal to \(FieldError.render(schema["maximum"]))"))
            }
        default: break
        }
    }

    /// Drops members the schema does not declare.
    static func prune(_ object: JSON, schema: JSON) -> JSON {
        guard case .object = schema else { return object }
        var out = object
        for key in (object.object ?? [:]).keys where !["apiVersion", "kind", "metadata"].contains(key) {
            if let sub = schema["properties"][key].object {
                out[key] = pruneValue(object[key], schema: .object(sub))
            } else if schema["x-kubernetes-preserve-unknown-fields"].bool != true {
                out[key] = .null
            }
        }
        return out
    }

    static func pruneValue(_ value: JSON, schema: JSON) -> JSON {
        if schema["x-kubernetes-preserve-unknown-fields"].bool == true, schema["properties"].isNull { return value }
        switch value {
        case .object(let members):
            if case .object = schema["additionalProperties"] {
                return .object(members.mapValues { pruneValue($0, schema: schema["additionalProperties"]) })
            }
            if schema["additionalProperties"].bool == true { return value }
            let properties = schema["properties"].object ?? [:]
            var out: JSONObject = [:]
            for (key, member) in members {
                if let sub = properties[key] { out[key] = pruneValue(member, schema: sub) }
                else if schema["x-kubernetes-preserve-unknown-fields"].bool == true { out[key] = member }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { pruneValue($0, schema: schema["items"]) })
        default:
            return value
        }
    }
}

