import ApusMachinery

/// OpenAPI v3 component schemas of the built-in kinds, shaped like kube-apiserver 1.32 publishes them
/// (names such as `io.k8s.api.core.v1.Pod`, references as `allOf: [{$ref}]`), so `kubectl explain`
/// can walk them. Kubernetes' field descriptions are not reproduced; `required` and `default` are
/// left out because the descriptors do not carry them.
public enum OpenAPIV3 {
    /// `components.schemas` for every kind the model has in one group-version ("v1", "apps/v1").
    public static func schemas(groupVersion: String) -> JSON {
        schemas(for: KindSchemas.kinds(groupVersion: groupVersion))
    }

    /// `components.schemas` for these kinds and every type they reference, transitively. Kinds the
    /// model does not know are skipped.
    public static func schemas(for kinds: [GroupVersionKind]) -> JSON {
        var pending = kinds.compactMap { KindSchemas.root(group: $0.group, version: $0.version, kind: $0.kind) }
        var seen = Set(pending)
        var result: JSONObject = [:]
        while let ref = pending.popLast() {
            guard let descriptor = KindSchemas.descriptor(ref) else { continue }
            result[ref.openAPIName] = schema(descriptor)
            for next in references(descriptor) where seen.insert(next).inserted {
                pending.append(next)
            }
        }
        return .object(result)
    }

    /// The schema of one named type.
    public static func schema(_ descriptor: TypeDescriptor) -> JSON {
        switch descriptor.shape {
        case .object(let fields):
            var properties: JSONObject = [:]
            for field in fields { properties[field.name] = schema(field.type) }
            var result: JSON = ["type": "object"]
            if !properties.isEmpty { result["properties"] = .object(properties) }
            let kinds = KindSchemas.kinds(of: descriptor.ref)
            if !kinds.isEmpty {
                result["x-kubernetes-group-version-kind"] = .array(kinds.map {
                    ["group": .string($0.group), "version": .string($0.version), "kind": .string($0.kind)]
                })
                if let text = KindDescriptions.text(for: kinds[0]) { result["description"] = .string(text) }
            }
            return result
        case .dateTime:
            return ["type": "string", "format": "date-time"]
        case .duration:
            return ["type": "string"]
        case .quantity:
            return ["oneOf": [["type": "string"], ["type": "number"]]]
        case .intOrString:
            return ["format": "int-or-string", "oneOf": [["type": "integer"], ["type": "string"]]]
        case .anyObject:
            return ["type": "object"]
        case .anyValue, .schemaOrArray, .schemaOrBool, .schemaOrStringArray:
            // Kubernetes publishes these without a type: the value may take more than one JSON form.
            return .emptyObject
        }
    }

    static func schema(_ type: FieldType) -> JSON {
        switch type {
        case .string: return ["type": "string"]
        case .bool: return ["type": "boolean"]
        case .int32: return ["type": "integer", "format": "int32"]
        case .int64: return ["type": "integer", "format": "int64"]
        case .double: return ["type": "number", "format": "double"]
        case .bytes: return ["type": "string", "format": "byte"]
        case .ref(let ref): return ["allOf": [["$ref": .string("#/components/schemas/" + ref.openAPIName)]]]
        case .array(let element): return ["type": "array", "items": schema(element)]
        case .map(let element): return ["type": "object", "additionalProperties": schema(element)]
        }
    }

    static func references(_ descriptor: TypeDescriptor) -> [TypeRef] {
        switch descriptor.shape {
        case .object(let fields): return fields.flatMap { references($0.type) }
        case .schemaOrArray(let ref), .schemaOrBool(let ref), .schemaOrStringArray(let ref): return [ref]
        case .dateTime, .duration, .quantity, .intOrString, .anyObject, .anyValue: return []
        }
    }

    static func references(_ type: FieldType) -> [TypeRef] {
        switch type {
        case .string, .bool, .int32, .int64, .double, .bytes: return []
        case .ref(let ref): return [ref]
        case .array(let element), .map(let element): return references(element)
        }
    }
}
