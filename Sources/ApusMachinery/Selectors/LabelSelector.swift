/// A parsed label selector (`app=web,tier!=db,env in (a,b),!legacy`), as used by `?labelSelector=` and by
/// controllers' `spec.selector`. An empty selector matches everything.
public struct LabelSelector: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: Sendable, Equatable {
        case equals, notEquals, `in`, notIn, exists, doesNotExist
    }

    public struct Requirement: Sendable, Equatable {
        public var key: String
        public var op: Operator
        public var values: [String]

        public init(key: String, op: Operator, values: [String]) {
            self.key = key
            self.op = op
            self.values = values
        }

        public func matches(_ labels: [String: String]) -> Bool {
            matches { labels[$0] }
        }

        /// Matches against labels looked up one at a time.
        public func matches(label: (String) -> String?) -> Bool {
            let value = label(key)
            switch op {
            case .equals, .in:
                guard let value else { return false }
                return values.contains(value)
            case .notEquals, .notIn:
                guard let value else { return true }
                return !values.contains(value)
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            }
        }
    }

    public var requirements: [Requirement]
    /// A selector that matches nothing (Kubernetes' `labels.Nothing()`, from a nil `*LabelSelector`).
    public var matchesNothing = false

    public init(requirements: [Requirement] = []) { self.requirements = requirements }

    public static let everything = LabelSelector()
    public static var nothing: LabelSelector { var s = LabelSelector(); s.matchesNothing = true; return s }

    public var isEmpty: Bool { requirements.isEmpty && !matchesNothing }

    public func matches(_ labels: [String: String]) -> Bool {
        matches { labels[$0] }
    }

    /// Matches against labels looked up one at a time.
    public func matches(label: (String) -> String?) -> Bool {
        if matchesNothing { return false }
        return requirements.allSatisfy { $0.matches(label: label) }
    }

    public var description: String {
        requirements.map { r in
            switch r.op {
            case .equals: return "\(r.key)=\(r.values.first ?? "")"
            case .notEquals: return "\(r.key)!=\(r.values.first ?? "")"
            case .in: return "\(r.key) in (\(r.values.joined(separator: ",")))"
            case .notIn: return "\(r.key) notin (\(r.values.joined(separator: ",")))"
            case .exists: return r.key
            case .doesNotExist: return "!\(r.key)"
            }
        }.joined(separator: ",")
    }
}

extension LabelSelector {
    /// Parses the string form used in query parameters.
    public static func parse(_ text: String) throws(APIError) -> LabelSelector {
        var parser = LabelSelectorParser(Array(text.unicodeScalars))
        do {
            return LabelSelector(requirements: try parser.parse())
        } catch let error as SelectorParseError {
            // Kubernetes prefixes only errors inside a requirement.
            throw APIError.badRequest(error.inRequirement ? "unable to parse requirement: \(error.message)" : error.message)
        } catch {
            throw APIError.badRequest("unable to parse requirement: \(error)")
        }
    }

    /// Converts a metav1.LabelSelector object (`matchLabels`, `matchExpressions`). A missing selector
    /// (`.null`) matches nothing; an empty one (`{}`) matches everything, as in Kubernetes.
    public static func from(_ selector: JSON) throws(APIError) -> LabelSelector {
        if selector.isNull { return .nothing }
        var requirements: [Requirement] = []
        if let matchLabels = selector["matchLabels"].object {
            for key in matchLabels.keys.sorted() {
                requirements.append(Requirement(key: key, op: .equals, values: [matchLabels[key]?.string ?? ""]))
            }
        }
        for expression in selector["matchExpressions"].array ?? [] {
            guard let key = expression["key"].string else { throw APIError.badRequest("matchExpressions: key is required") }
            let values = (expression["values"].array ?? []).compactMap(\.string)
            let op: Operator
            switch expression["operator"].string {
            case "In": op = .in
            case "NotIn": op = .notIn
            case "Exists": op = .exists
            case "DoesNotExist": op = .doesNotExist
            default: throw APIError.badRequest("\"\(expression["operator"].string ?? "")\" is not a valid label selector operator")
            }
            requirements.append(Requirement(key: key, op: op, values: values))
        }
        return LabelSelector(requirements: requirements)
    }
}

struct SelectorParseError: Error {
    let message: String
    var inRequirement = true
}

private struct LabelSelectorParser {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func skipSpaces() { while index < scalars.count, scalars[index] == " " { index += 1 } }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }

    static func isIdentifier(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/": return true
        default: return false
        }
    }

    mutating func identifier() -> String {
        var out = ""
        while let c = peek(), Self.isIdentifier(c) { out.unicodeScalars.append(c); index += 1 }
        return out
    }

    mutating func parse() throws -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        skipSpaces()
        if index >= scalars.count { return [] }
        while true {
            requirements.append(try requirement())
            skipSpaces()
            guard let c = peek() else { break }
            guard c == "," else {
                let token = Self.isIdentifier(c) ? identifier() : String(c)
                throw SelectorParseError(message: "found '\(token)', expected: ',' or 'end of string'", inRequirement: false)
            }
            index += 1
        }
        return requirements
    }

    mutating func requirement() throws -> LabelSelector.Requirement {
        skipSpaces()
        if peek() == "!" {
            index += 1
            skipSpaces()
            let key = identifier()
            try validateKey(key)
            return .init(key: key, op: .doesNotExist, values: [])
        }
        let key = identifier()
        try validateKey(key)
        skipSpaces()
        guard let c = peek(), c != "," else { return .init(key: key, op: .exists, values: []) }
        switch c {
        case "=":
            index += 1
            if peek() == "=" { index += 1 }
            return .init(key: key, op: .equals, values: [try value()])
        case "!":
            guard peek(1) == "=" else { throw SelectorParseError(message: "found '!', expected: '!='") }
            index += 2
            return .init(key: key, op: .notEquals, values: [try value()])
        default:
            let word = identifier()
            switch word {
            case "in": return .init(key: key, op: .in, values: try valueSet())
            case "notin": return .init(key: key, op: .notIn, values: try valueSet())
            default: throw SelectorParseError(message: "found '\(word)', expected: in, notin, =, ==, !=")
            }
        }
    }

    mutating func value() throws -> String {
        skipSpaces()
        // An empty value is allowed (`app=`); anything but an identifier, a comma or the end is not.
        if let c = peek(), c != ",", !Self.isIdentifier(c) {
            throw SelectorParseError(message: "found '\(c)', expected: identifier")
        }
        let v = identifier()
        if v.contains("/") { throw SelectorParseError(message: "invalid label value: \"\(v)\"") }
        return v
    }

    mutating func valueSet() throws -> [String] {
        skipSpaces()
        guard peek() == "(" else { throw SelectorParseError(message: "found '\(peek().map(String.init) ?? "")', expected: '('") }
        index += 1
        var values: [String] = []
        while true {
            skipSpaces()
            values.append(identifier())
            skipSpaces()
            guard let c = peek() else { throw SelectorParseError(message: "found end of string, expected: ')'") }
            index += 1
            if c == ")" { break }
            if c != "," { throw SelectorParseError(message: "found '\(c)', expected: ',' or ')'") }
        }
        return values
    }

    func validateKey(_ key: String) throws {
        if key.isEmpty { throw SelectorParseError(message: "found end of string, expected: identifier") }
    }
}
