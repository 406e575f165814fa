import ApusMachinery

/// One step of a path into an object, named the way `metadata.managedFields` (FieldsV1) names it:
/// a struct or map field (`f:name`), an item of an associative list by its key fields
/// (`k:{"name":"nginx"}`), an item of a set-like list by its value (`v:"a"`), or a list position (`i:0`).
public enum PathElement: Hashable, Sendable {
    case field(String)
    /// Key fields sorted by name, so that equal keys compare equal.
    case key([KeyField])
    case value(JSON)
    case index(Int)

    public struct KeyField: Hashable, Sendable {
        public var name: String
        public var value: JSON
        public init(name: String, value: JSON) {
            self.name = name
            self.value = value
        }
    }

    /// A key element with its fields put in canonical (sorted) order.
    public static func key(_ fields: JSONObject) -> PathElement {
        .key(fields.keys.sorted().map { KeyField(name: $0, value: fields[$0] ?? .null) })
    }

    /// The FieldsV1 member name: `f:spec`, `k:{"containerPort":80,"protocol":"TCP"}`, `v:"x"`, `i:3`.
    public var fieldsV1Name: String {
        switch self {
        case .field(let name): return "f:" + name
        case .key(let fields):
            // Keys serialise as a JSON object, members sorted, matching the canonical order.
            var members = JSONObject()
            for field in fields where members[field.name] == nil { members[field.name] = field.value }
            let object = JSON.object(members)
            return "k:" + object.serializedString
        case .value(let value): return "v:" + value.serializedString
        case .index(let index): return "i:" + String(index)
        }
    }

    /// Parses a FieldsV1 member name; nil when it is not one.
    public init?(fieldsV1Name name: String) {
        guard name.count >= 2, name.dropFirst().first == ":" else { return nil }
        let body = String(name.dropFirst(2))
        switch name.first {
        case "f":
            self = .field(body)
        case "k":
            guard let parsed = try? JSON.parse(Array(body.utf8)), let members = parsed.object, !members.isEmpty else { return nil }
            self = .key(members)
        case "v":
            guard let parsed = try? JSON.parse(Array(body.utf8)) else { return nil }
            self = .value(parsed)
        case "i":
            guard let index = Int(body), index >= 0 else { return nil }
            self = .index(index)
        default:
            return nil
        }
    }

    /// How conflict messages print the element: `.image`, `[name="nginx"]`, `[="x"]`, `[0]`.
    public var displayed: String {
        switch self {
        case .field(let name): return "." + name
        case .key(let fields): return "[" + fields.map { "\($0.name)=\($0.value.serializedString)" }.joined(separator: ",") + "]"
        case .value(let value): return "[=" + value.serializedString + "]"
        case .index(let index): return "[\(index)]"
        }
    }

    /// Orders fields before keys before values before indices, each group by its printed form, so
    /// that sets list their paths in a stable order.
    static func precedes(_ a: PathElement, _ b: PathElement) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        if case .index(let x) = a, case .index(let y) = b { return x < y }
        return a.fieldsV1Name < b.fieldsV1Name
    }

    private var rank: Int {
        switch self {
        case .field: return 0
        case .key: return 1
        case .value: return 2
        case .index: return 3
        }
    }
}

/// A whole path, printed as conflict messages print it: `.spec.template.spec.containers[name="web"].image`.
extension Array where Element == PathElement {
    public var displayed: String { map(\.displayed).joined() }
}
