/// A named type of the model, by its short table name ("core.v1.Pod", "meta.v1.ObjectMeta").
public struct TypeRef: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }

    public var description: String { name }

    /// The name Kubernetes gives this type in OpenAPI documents ("io.k8s.api.core.v1.Pod").
    public var openAPIName: String {
        for (short, long) in Self.openAPIPrefixes where name.hasPrefix(short) {
            return long + name.dropFirst(short.count)
        }
        return "io.k8s.api." + name
    }

    private static let openAPIPrefixes: [(String, String)] = [
        ("meta.", "io.k8s.apimachinery.pkg.apis.meta."),
        ("api.resource.", "io.k8s.apimachinery.pkg.api.resource."),
        ("util.intstr.", "io.k8s.apimachinery.pkg.util.intstr."),
        ("runtime.", "io.k8s.apimachinery.pkg.runtime."),
        ("apiextensions.", "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions."),
    ]
}

/// The JSON type of one field.
public indirect enum FieldType: Sendable, Hashable {
    case string, bool, int32, int64, double
    /// `[]byte`: a base64 string.
    case bytes
    case ref(TypeRef)
    case array(FieldType)
    /// A JSON object with arbitrary keys whose values all have one type.
    case map(FieldType)
}

public struct Field: Sendable, Hashable {
    public let name: String
    public let type: FieldType

    public init(_ name: String, _ type: FieldType) {
        self.name = name
        self.type = type
    }
}

/// What the JSON of a named type looks like.
public enum TypeShape: Sendable, Hashable {
    /// A struct: a JSON object with exactly these members (embedded Go structs already flattened).
    case object([Field])
    /// meta.v1.Time and MicroTime: an RFC 3339 string.
    case dateTime
    /// meta.v1.Duration: a Go duration string ("1h2m").
    case duration
    /// resource.Quantity: a string or a number.
    case quantity
    /// intstr.IntOrString: an integer or a string.
    case intOrString
    /// RawExtension, FieldsV1: any JSON object, never checked inside.
    case anyObject
    /// apiextensions JSON: any JSON value.
    case anyValue
    /// Schema forms of CustomResourceDefinitions: the schema object or an alternative form.
    case schemaOrArray(TypeRef)
    case schemaOrBool(TypeRef)
    case schemaOrStringArray(TypeRef)
}

public struct TypeDescriptor: Sendable {
    public let ref: TypeRef
    public let shape: TypeShape
    /// The object members by JSON name (empty for non-object shapes).
    public let fieldsByName: [String: FieldType]

    public init(_ name: String, shape: TypeShape) {
        self.ref = TypeRef(name)
        self.shape = shape
        if case .object(let fields) = shape {
            fieldsByName = Dictionary(fields.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        } else {
            fieldsByName = [:]
        }
    }

    public init(_ name: String, fields: [Field]) {
        self.init(name, shape: .object(fields))
    }

    /// The members in declaration order (empty for non-object shapes).
    public var fields: [Field] {
        if case .object(let fields) = shape { return fields }
        return []
    }
}

public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    public let group: String
    public let version: String
    public let kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { "\(groupVersion), Kind=\(kind)" }
}

/// One row of the generated kind table.
struct KindEntry: Sendable {
    let gvk: GroupVersionKind
    let type: TypeRef

    init(_ group: String, _ version: String, _ kind: String, _ type: String) {
        self.gvk = GroupVersionKind(group: group, version: version, kind: kind)
        self.type = TypeRef(type)
    }
}

/// Namespace of the generated tables (Generated/*.swift).
enum SchemaTables {}
