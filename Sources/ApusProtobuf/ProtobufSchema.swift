/// How a field's value is encoded on the wire and rendered in JSON.
indirect enum FieldType: Sendable, Equatable {
    case string
    /// Go `[]byte`: base64 in JSON.
    case bytes
    case bool
    case int32
    case int64
    /// A nested message, named as in the schema tables ("core.v1.PodSpec").
    case message(String)
    /// `map<string, V>`: repeated entries {1: key, 2: value} that become one JSON object.
    case map(FieldType)
    /// `metav1.Time` {1 seconds, 2 nanos}: an RFC 3339 string with whole seconds, or absent when zero.
    case time
    /// `resource.Quantity` {1 string}: the string.
    case quantity
    /// `intstr.IntOrString` {1 type, 2 intVal, 3 strVal}: a JSON int or string.
    case intOrString
    /// `metav1.FieldsV1` {1 raw}: the raw bytes are JSON and are embedded as such.
    case embeddedJSON

    /// The wire type a single (unpacked) value of this type uses.
    var wireType: WireType {
        switch self {
        case .bool, .int32, .int64: .varint
        default: .lengthDelimited
        }
    }

    var isScalar: Bool {
        switch self {
        case .string, .bytes, .bool, .int32, .int64: true
        default: false
        }
    }
}

/// What a field's presence on the wire means for the JSON object.
enum FieldRule: Sendable, Equatable {
    /// Go's `omitempty` on a value field: Go's encoder writes such fields even when zero, so a
    /// zero scalar is dropped to match the JSON form. Messages are always kept (Go prints `{}`).
    case omitEmpty
    /// A pointer or a field without `omitempty`: a zero value is meaningful and kept.
    case keepZero
    /// A repeated field: every occurrence (or packed run) appends to a JSON array.
    case repeated
    /// An embedded Go struct (`json:",inline"`): its fields are merged into the enclosing object.
    case inline
}

struct Field: Sendable {
    let number: Int
    let jsonName: String
    let type: FieldType
    let rule: FieldRule

    init(_ number: Int, _ jsonName: String, _ type: FieldType, _ rule: FieldRule = .omitEmpty) {
        self.number = number
        self.jsonName = jsonName
        self.type = type
        self.rule = rule
    }
}

struct MessageDescriptor: Sendable {
    let name: String
    let fields: [Field]
    let fieldsByNumber: [Int: Field]

    init(_ name: String, _ fields: [Field]) {
        self.name = name
        self.fields = fields
        var byNumber: [Int: Field] = [:]
        for field in fields { byNumber[field.number] = field }
        self.fieldsByNumber = byNumber
    }
}

/// The top-level kind an envelope may carry and the message its raw bytes hold.
struct KindEntry: Sendable {
    let apiVersion: String
    let kind: String
    let message: String
}

/// Every message descriptor this decoder knows, gathered from the per-group tables.
enum ProtobufSchema {
    static let allMessages: [MessageDescriptor] =
        metaV1 + coreV1Objects + coreV1Pod + coreV1Container + coreV1Volumes + appsV1 + autoscalingV1 + batchV1 + rbacV1
        + policyV1 + schedulingV1 + networkingV1 + authenticationV1

    static let messages: [String: MessageDescriptor] = {
        var table: [String: MessageDescriptor] = [:]
        for message in allMessages { table[message.name] = message }
        return table
    }()

    static let kindsByKey: [String: KindEntry] = {
        var table: [String: KindEntry] = [:]
        for entry in kinds { table[key(apiVersion: entry.apiVersion, kind: entry.kind)] = entry }
        return table
    }()

    static func key(apiVersion: String, kind: String) -> String { apiVersion + "/" + kind }

    static func kind(apiVersion: String, kind: String) -> KindEntry? {
        kindsByKey[key(apiVersion: apiVersion, kind: kind)]
    }
}
