/// A parsed field selector (`metadata.name=x,status.phase!=Running`). Only `=`, `==` and `!=` exist,
/// as in Kubernetes; which fields a kind supports is decided by its registration.
public struct FieldSelector: Sendable, Equatable, CustomStringConvertible {
    public struct Requirement: Sendable, Equatable {
        public var field: String
        public var value: String
        public var negated: Bool

        public init(field: String, value: String, negated: Bool) {
            self.field = field
            self.value = value
            self.negated = negated
        }
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) { self.requirements = requirements }

    public static let everything = FieldSelector()
    public var isEmpty: Bool { requirements.isEmpty }

    public func matches(_ fields: [String: String]) -> Bool {
        matches { fields[$0] ?? "" }
    }

    /// Matches against fields looked up one at a time (`""` for an absent one).
    public func matches(field value: (String) -> String) -> Bool {
        requirements.allSatisfy { r in
            let actual = value(r.field)
            return r.negated ? actual != r.value : actual == r.value
        }
    }

    /// The value required by an `=` term on `field`, if any (used to narrow a list to one name or namespace).
    public func requiredValue(_ field: String) -> String? {
        requirements.first { $0.field == field && !$0.negated }?.value
    }

    public var description: String {
        requirements.map { "\($0.field)\($0.negated ? "!=" : "=")\($0.value)" }.joined(separator: ",")
    }

    public static func parse(_ text: String) throws(APIError) -> FieldSelector {
        var requirements: [Requirement] = []
        for term in FieldSelector.splitTerms(text) where !term.isEmpty {
            let chars = Array(term)
            var operatorAt: (index: Int, length: Int, negated: Bool)?
            for i in chars.indices {
                if chars[i] == "!", i + 1 < chars.count, chars[i + 1] == "=" { operatorAt = (i, 2, true); break }
                if chars[i] == "=" {
                    operatorAt = (i, i + 1 < chars.count && chars[i + 1] == "=" ? 2 : 1, false)
                    break
                }
            }
            guard let op = operatorAt else {
                throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let negated = op.negated
            let parts = [Substring(String(chars[..<op.index])), Substring(String(chars[(op.index + op.length)...]))]
            let field = parts[0].trimmingSpaces
            if field.isEmpty { throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'") }
            requirements.append(Requirement(field: field, value: FieldSelector.unescape(parts[1].trimmingSpaces), negated: negated))
        }
        return FieldSelector(requirements: requirements)
    }

    /// Splits on commas that are not escaped with a backslash (Kubernetes allows `\,` in values).
    static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var escaped = false
        for c in text {
            if escaped { current.append("\\"); current.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "," { terms.append(current); current = ""; continue }
            current.append(c)
        }
        if escaped { current.append("\\") }
        terms.append(current)
        return terms
    }

    static func unescape(_ value: String) -> String {
        var out = ""
        var escaped = false
        for c in value {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
