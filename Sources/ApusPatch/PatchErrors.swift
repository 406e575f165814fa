import ApusMachinery

extension APIError {
    /// What kube-apiserver answers when a well-formed patch cannot be applied to the object: a 422 with a
    /// fixed message and the patch library's own wording as the single cause (its NewGenericServerResponse).
    static func patchNotApplicable(_ detail: String) -> APIError {
        APIError(code: 422, reason: "Invalid",
                 message: "the server rejected our request due to an error in our request",
                 details: Details(causes: [Cause(reason: "UnexpectedServerResponse", message: detail)]))
    }

    /// Kubernetes passes most strategic-merge failures through unclassified; its error handler then answers
    /// 500 with no reason and the raw message, which kubectl prints as `Error from server: <message>`.
    static func patchFailed(_ detail: String) -> APIError {
        APIError(code: 500, reason: "", message: detail)
    }
}

/// Renders a value the way Go's `%v` prints decoded JSON, so error messages read like Kubernetes' own:
/// `map[image:nginx name:web]`, `[a b]`, `<nil>`.
enum GoValueText {
    static func render(_ value: JSON) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .string(let s): return s
        case .array(let items): return "[" + items.map(render).joined(separator: " ") + "]"
        case .object(let members):
            let pairs = members.keys.sorted().map { key in "\(key):\(render(members[key] ?? .null))" }
            return "map[" + pairs.joined(separator: " ") + "]"
        }
    }

    /// The JSON type name Go's decoder uses in "cannot unmarshal X into …" messages.
    static func jsonTypeName(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSON {
    /// Structural equality in which numbers compare by value, so `1` equals `1.0` (RFC 6902 `test`).
    func isSemanticallyEqual(to other: JSON) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a == b
        case (.int, .double), (.double, .int), (.double, .double): return double == other.double
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isSemanticallyEqual(to: $1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let counterpart = b[key], value.isSemanticallyEqual(to: counterpart) else { return false }
            }
            return true
        default: return self == other
        }
    }
}

// The strategic merge patch failures, worded as Kubernetes' mergepatch package words them.
extension APIError {
    static let badPrimitiveListFormat = APIError.badRequest("invalid patch format of primitive list")
    static let badRetainKeysFormat = APIError.badRequest("invalid patch format of retainKeys")
    static let badSetElementOrderFormat = APIError.badRequest("invalid patch format of setElementOrder list")
    static let listOfLists = APIError.patchNotApplicable("lists of lists are not supported")

    static func noMergeKey(_ item: JSONObject, _ key: String) -> APIError {
        .patchFailed("map: \(GoValueText.render(.object(item))) does not contain declared merge key: \(key)")
    }

    static func notAnObject(_ value: JSON) -> APIError {
        .patchFailed("expected a map[string]interface {}, but received a \(GoValueText.goTypeName(value))")
    }

    static func notAList(_ value: JSON) -> APIError {
        .patchFailed("expected a []interface {}, but received a \(GoValueText.goTypeName(value))")
    }
}

extension GoValueText {
    /// The Go type decoded JSON has, as `reflect.TypeOf` prints it in Kubernetes' messages.
    static func goTypeName(_ value: JSON) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int64"
        case .double: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }
}
