/// One field-level validation failure, worded as Kubernetes' field.Error prints it:
/// `spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case required = "FieldValueRequired"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case duplicate = "FieldValueDuplicate"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case typeInvalid = "FieldValueTypeInvalid"
        case notFound = "FieldValueNotFound"
        case internalError = "InternalError"

        var phrase: String {
            switch self {
            case .required: return "Required value"
            case .invalid: return "Invalid value"
            case .notSupported: return "Unsupported value"
            case .duplicate: return "Duplicate value"
            case .forbidden: return "Forbidden"
            case .tooLong: return "Too long"
            case .tooMany: return "Too many"
            case .typeInvalid: return "Invalid value"
            case .notFound: return "Not found"
            case .internalError: return "Internal error"
            }
        }
    }

    public var kind: Kind
    public var field: String
    /// The offending value, already rendered as Kubernetes shows it (strings quoted).
    public var value: String?
    public var detail: String

    public init(_ kind: Kind, field: String, value: String? = nil, detail: String = "") {
        self.kind = kind
        self.field = field
        self.value = value
        self.detail = detail
    }

    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(.required, field: field, detail: detail)
    }

    public static func invalid(_ field: String, _ value: JSON, _ detail: String) -> FieldError {
        FieldError(.invalid, field: field, value: FieldError.render(value), detail: detail)
    }

    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(.forbidden, field: field, detail: detail)
    }

    public static func notSupported(_ field: String, _ value: JSON, _ allowed: [String]) -> FieldError {
        let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
        return FieldError(.notSupported, field: field, value: FieldError.render(value), detail: "supported values: \(list)")
    }

    public static func duplicate(_ field: String, _ value: JSON) -> FieldError {
        FieldError(.duplicate, field: field, value: FieldError.render(value))
    }

    public static func tooLong(_ field: String, _ maxLength: Int) -> FieldError {
        FieldError(.tooLong, field: field, detail: "must have at most \(maxLength) bytes")
    }

    public static func render(_ value: JSON) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        default: return value.serializedString
        }
    }

    /// The message without the field path (Kubernetes' ErrorBody), as Status causes carry it.
    public var body: String {
        var text = kind.phrase
        if let value, kind != .required, kind != .forbidden, kind != .tooLong {
            text += ": \(value)"
        }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }

    public var description: String { "\(field): \(body)" }

    public var cause: APIError.Cause {
        APIError.Cause(reason: kind.rawValue, message: body, field: field)
    }
}
