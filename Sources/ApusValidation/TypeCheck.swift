import ApusMachinery

/// Detects JSON values of the wrong type in the main fields of built-in kinds (`"replicas": "three"`,
/// a number as a label value, an unparsable quantity), which Kubernetes rejects while decoding with
/// 400 BadRequest. Each error has kind `.typeInvalid`, the field path with indices, and as `detail` the
/// decoder's message (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas
/// of type int32`); Kubernetes' response message is `<Kind> in version "<v>" cannot be handled as a
/// <Kind>: <detail of the first error>`.
public enum TypeCheck {
    public static func check(group: String, kind: String, object: JSON) -> [FieldError] {
        guard let schema = TypeSchemas.schema(group: group, kind: kind) else { return [] }
        var errs: [FieldError] = []
        checkFields(object, of: schema, path: FieldPath(""), goPath: [], into: &errs)
        return errs
    }

    static func checkFields(_ value: JSON, of schema: GoStruct, path: FieldPath, goPath: [String], into errs: inout [FieldError]) {
        guard let object = value.object else { return }
        for key in object.keys.sorted() {
            guard let shape = schema.fields[key], let child = object[key] else { continue }
            check(child, shape, path: path.child(key), goPath: goPath + [key], owner: schema.shortName, into: &errs)
        }
    }

    static func check(_ value: JSON, _ shape: Shape, path: FieldPath, goPath: [String], owner: String, into errs: inout [FieldError]) {
        if value.isNull { return }
        func mismatch(_ description: String) {
            let detail = "json: cannot unmarshal \(description) into Go struct field \(owner).\(goPath.joined(separator: ".")) of type \(shape.goTypeName)"
            errs.append(FieldError(.typeInvalid, field: path.description, value: GoSyntax.json(value), detail: detail))
        }
        switch shape {
        case .string:
            if value.string == nil { mismatch(jsonKind(value)) }
        case .bool:
            if value.bool == nil { mismatch(jsonKind(value)) }
        case .int32, .int64:
            let range: ClosedRange<Int64> = shape == .int32 ? Int64(Int32.min)...Int64(Int32.max) : Int64.min...Int64.max
            if let number = value.int {
                if !range.contains(number) { mismatch("number \(number)") }
            } else if case .double(let d) = value {
                mismatch("number \(d)")
            } else {
                mismatch(jsonKind(value))
            }
        case .float64:
            if value.double == nil { mismatch(jsonKind(value)) }
        case .quantity:
            if case .failure(let error) = Quantity.from(value) {
                errs.append(FieldError(.typeInvalid, field: path.description, value: GoSyntax.json(value), detail: error.description))
            }
        case .intOrString:
            if value.string != nil { return }
            if let number = value.int, Int64(Int32.min)...Int64(Int32.max) ~= number { return }
            let description: String
            switch value {
            case .int(let i): description = "number \(i)"
            case .double(let d): description = "number \(d)"
            default: description = jsonKind(value)
            }
            errs.append(FieldError(.typeInvalid, field: path.description, value: GoSyntax.json(value),
                                   detail: "json: cannot unmarshal \(description) into Go value of type int32"))
        case .base64:
            guard let text = value.string else { return mismatch(jsonKind(value)) }
            if case .illegal(let offset) = Base64.check(text) {
                errs.append(FieldError(.typeInvalid, field: path.description, value: GoSyntax.json(value),
                                       detail: "illegal base64 data at input byte \(offset)"))
            }
        case .array(let element):
            guard let array = value.array else { return mismatch(jsonKind(value)) }
            for (i, item) in array.enumerated() {
                check(item, element, path: path.index(i), goPath: goPath, owner: owner, into: &errs)
            }
        case .map(let element):
            guard let object = value.object else { return mismatch(jsonKind(value)) }
            for key in object.keys.sorted() {
                check(object[key] ?? .null, element, path: path.key(key), goPath: goPath, owner: owner, into: &errs)
            }
        case .object(let schema):
            guard value.object != nil else { return mismatch(jsonKind(value)) }
            checkFields(value, of: schema, path: path, goPath: goPath, into: &errs)
        }
    }

    /// How Go's decoder names a JSON value's type.
    static func jsonKind(_ value: JSON) -> String {
        switch value {
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        case .array: return "array"
        case .object: return "object"
        case .null: return "null"
        }
    }
}

/// The decoding target of a field.
indirect enum Shape: Sendable, Equatable {
    case string, bool, int32, int64, float64, quantity, intOrString, base64
    case array(Shape)
    case map(Shape)
    case object(GoStruct)

    static let stringMap = Shape.map(.string)
    static let strings = Shape.array(.string)

    var goTypeName: String {
        switch self {
        case .string: return "string"
        case .bool: return "bool"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float64: return "float64"
        case .quantity: return "resource.Quantity"
        case .intOrString: return "intstr.IntOrString"
        case .base64: return "[]uint8"
        case .array(let element): return "[]" + element.goTypeName
        case .map(let element): return "map[string]" + element.goTypeName
        case .object(let schema): return schema.goName
        }
    }

    var structName: String? {
        if case .object(let schema) = self { return schema.shortName }
        return nil
    }
}

/// A Go struct: its qualified name (`v1.Container`) and the JSON fields that are type-checked.
struct GoStruct: Sendable, Equatable {
    let goName: String
    let fields: [String: Shape]

    init(_ goName: String, _ fields: [String: Shape]) {
        self.goName = goName
        self.fields = fields
    }

    var shortName: String { goName.split(separator: ".").last.map(String.init) ?? goName }
}
