import ApusMachinery
import ApusRegistry
import ApusSchema
import HTTPTypes
import Hummingbird
import Synchronization

/// `fieldValidation` for built-in kinds: a field the kind's schema does not define is refused with
/// Kubernetes' strict decoding error (Strict), dropped with a `Warning` header (Warn, the default),
/// or dropped silently (Ignore). Custom resources are pruned by their own schemas instead.
struct UnknownFieldCheck: Sendable {
    let root: TypeRef?
    let mode: String
    let kind: String
    let version: String
    let warnings: Warnings

    /// The warnings of a request's last check (the check runs inside store transforms, which are
    /// retried on conflicts: only the attempt that is stored speaks).
    final class Warnings: Sendable {
        private let texts = Mutex<[String]>([])

        func set(_ latest: [String]) { texts.withLock { $0 = latest } }

        /// `Warning: 299 - "unknown field \"spec.foo\""`, one header per warning.
        func add(to response: inout Response) {
            for text in texts.withLock({ $0 }) {
                let quoted = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                response.headers.append(HTTPField(name: .warning, value: "299 - \"\(quoted)\""))
            }
        }
    }

    init(def: ResourceDefinition, options: WriteOptions) {
        root = def.isCustom ? nil : KindSchemas.root(group: def.group, version: def.version, kind: def.kind)
        mode = options.fieldValidation ?? "Warn"
        kind = def.kind
        version = def.version
        warnings = Warnings()
    }

    func apply(_ object: JSON) throws(APIError) -> JSON {
        guard let root else { return object }
        let unknown = UnknownFields.find(in: object, root: root)
        warnings.set([])
        if unknown.isEmpty { return object }
        switch mode {
        case "Strict":
            throw APIError.badRequest("\(kind) in version \"\(version)\" cannot be handled as a \(kind): "
                                      + UnknownFields.strictDecodingMessage(unknown))
        case "Warn":
            warnings.set(unknown.map { "unknown field \"\($0)\"" })
        default:
            break
        }
        return UnknownFields.pruned(object, root: root)
    }

    /// A store transform whose result is checked.
    func checking(_ transform: @escaping @Sendable (JSON) throws(APIError) -> JSON) -> @Sendable (JSON) throws(APIError) -> JSON {
        { (current: JSON) throws(APIError) -> JSON in try apply(try transform(current)) }
    }
}

extension HTTPField.Name {
    static let warning = HTTPField.Name("Warning")!
}
