import ApusMachinery

/// Constructors that render bad values the way Go's `field.Error` does (`%q` strings, plain numbers,
/// `%#v` for composite values supplied already rendered).
extension FieldError {
    static func required(_ path: FieldPath, _ detail: String = "") -> FieldError {
        FieldError(.required, field: path.description, detail: detail)
    }

    static func forbidden(_ path: FieldPath, _ detail: String) -> FieldError {
        FieldError(.forbidden, field: path.description, detail: detail)
    }

    static func invalid(_ path: FieldPath, string: String, _ detail: String) -> FieldError {
        FieldError(.invalid, field: path.description, value: GoSyntax.quote(string), detail: detail)
    }

    static func invalid(_ path: FieldPath, int: Int64, _ detail: String) -> FieldError {
        FieldError(.invalid, field: path.description, value: String(int), detail: detail)
    }

    /// `rendered` is the value exactly as Kubernetes prints it (e.g. `map[string]string{"a":"b"}`).
    static func invalid(_ path: FieldPath, rendered: String, _ detail: String) -> FieldError {
        FieldError(.invalid, field: path.description, value: rendered, detail: detail)
    }

    static func notSupported(_ path: FieldPath, string: String, _ allowed: [String]) -> FieldError {
        notSupported(path, rendered: GoSyntax.quote(string), allowed)
    }

    static func notSupported(_ path: FieldPath, rendered: String, _ allowed: [String]) -> FieldError {
        let list = allowed.map(GoSyntax.quote).joined(separator: ", ")
        return FieldError(.notSupported, field: path.description, value: rendered,
                          detail: allowed.isEmpty ? "" : "supported values: \(list)")
    }

    static func duplicate(_ path: FieldPath, string: String) -> FieldError {
        FieldError(.duplicate, field: path.description, value: GoSyntax.quote(string))
    }

    static func duplicate(_ path: FieldPath, rendered: String) -> FieldError {
        FieldError(.duplicate, field: path.description, value: rendered)
    }

    static func notFound(_ path: FieldPath, string: String) -> FieldError {
        FieldError(.notFound, field: path.description, value: GoSyntax.quote(string))
    }

    static func tooLong(_ path: FieldPath, _ maxLength: Int) -> FieldError {
        FieldError(.tooLong, field: path.description, detail: "must have at most \(maxLength) bytes")
    }

    static func tooMany(_ path: FieldPath, actual: Int, max: Int) -> FieldError {
        FieldError(.tooMany, field: path.description, value: String(actual), detail: "must have at most \(max) items")
    }

    /// Each message of a `[String]`-returning check becomes one Invalid error for the same value.
    static func invalidEach(_ path: FieldPath, string: String, _ messages: [String]) -> [FieldError] {
        messages.map { .invalid(path, string: string, $0) }
    }
}

/// Messages shared by many validators, worded as in apimachinery.
enum Messages {
    static let isNegative = "must be greater than or equal to 0"
    static let fieldImmutable = "field is immutable"
    static let notPositive = "must be greater than zero"
    static let notInteger = "must be an integer"
}
