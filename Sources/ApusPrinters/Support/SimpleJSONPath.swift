import ApusMachinery

/// The subset of kubectl JSONPath that CRD printer columns use: `.field`, `['field']`, `[n]`, `[*]`,
/// `.*`, `\.` escapes in names, and filters `[?(@.a.b=="x")]` with `==`/`!=` (or bare `[?(@.a)]`).
/// Missing keys produce no results, as with `AllowMissingKeys(true)`.
struct SimpleJSONPath: Sendable {
    private enum Step: Sendable {
        case field(String)
        case index(Int)
        case all
        case filter(path: [String], op: String?, value: JSON?)
    }

    private let steps: [Step]

    /// nil when the expression is outside the supported subset.
    init?(_ expression: String) {
        var text = Substring(Format.trimSpace(expression))
        if text.hasPrefix("{") && text.hasSuffix("}") { text = text.dropFirst().dropLast() }
        guard let steps = Self.parse(Array(text)) else { return nil }
        self.steps = steps
    }

    func evaluate(_ root: JSON) -> [JSON] {
        var current = [root]
        for step in steps {
            var next: [JSON] = []
            for value in current {
                switch step {
                case .field(let name):
                    if let child = value.object?[name] { next.append(child) }
                case .index(let index):
                    if let items = value.array {
                        let position = index < 0 ? items.count + index : index
                        if position >= 0 && position < items.count { next.append(items[position]) }
                    }
                case .all:
                    if let items = value.array { next.append(contentsOf: items) }
                    if let members = value.object { next.append(contentsOf: members.keys.sorted().compactMap { members[$0] }) }
                case .filter(let path, let op, let expected):
                    for item in value.array ?? [] where Self.matches(item, path: path, op: op, expected: expected) {
                        next.append(item)
                    }
                }
            }
            current = next
        }
        return current
    }

    private static func matches(_ item: JSON, path: [String], op: String?, expected: JSON?) -> Bool {
        let found = item[path: path]
        guard let op, let expected else { return !found.isNull }
        let equal: Bool
        switch (found, expected) {
        case (.string(let a), .string(let b)): equal = a == b
        case (.bool(let a), .bool(let b)): equal = a == b
        default:
            if let a = found.double, let b = expected.double { equal = a == b } else { equal = false }
        }
        return op == "==" ? equal : !equal
    }

    private static func parse(_ chars: [Character]) -> [Step]? {
        var steps: [Step] = []
        var index = 0
        if index < chars.count, chars[index] == "$" { index += 1 }
        while index < chars.count {
            switch chars[index] {
            case ".":
                index += 1
                guard index < chars.count else { return nil }
                if chars[index] == "*" {
                    steps.append(.all)
                    index += 1
                    continue
                }
                var name = ""
                while index < chars.count, chars[index] != ".", chars[index] != "[" {
                    if chars[index] == "\\", index + 1 < chars.count {
                        index += 1
                    }
                    name.append(chars[index])
                    index += 1
                }
                guard !name.isEmpty else { return nil }
                steps.append(.field(name))
            case "[":
                guard let close = closingBracket(chars, from: index) else { return nil }
                let inner = Format.trimSpace(String(chars[(index + 1)..<close]))
                guard let step = bracketStep(inner) else { return nil }
                steps.append(step)
                index = close + 1
            default:
                return nil
            }
        }
        return steps
    }

    /// The index of the "]" closing the bracket at `start`, skipping quoted text.
    private static func closingBracket(_ chars: [Character], from start: Int) -> Int? {
        var quote: Character?
        var index = start + 1
        while index < chars.count {
            let char = chars[index]
            if let open = quote {
                if char == open { quote = nil }
            } else if char == "'" || char == "\"" {
                quote = char
            } else if char == "]" {
                return index
            }
            index += 1
        }
        return nil
    }

    private static func bracketStep(_ inner: String) -> Step? {
        if inner == "*" { return .all }
        if let number = Int(inner) { return .index(number) }
        if inner.count >= 2, let first = inner.first, first == "'" || first == "\"", inner.last == first {
            return .field(String(inner.dropFirst().dropLast()))
        }
        guard inner.hasPrefix("?(") && inner.hasSuffix(")") else { return nil }
        let body = Format.trimSpace(String(inner.dropFirst(2).dropLast()))
        var op: String?
        var left = body, right = ""
        let chars = Array(body)
        for index in 0..<max(0, chars.count - 1) where chars[index + 1] == "=" && (chars[index] == "=" || chars[index] == "!") {
            op = String(chars[index...(index + 1)])
            left = Format.trimSpace(String(chars[..<index]))
            right = Format.trimSpace(String(chars[(index + 2)...]))
            break
        }
        guard left.hasPrefix("@") else { return nil }
        let path = left.dropFirst().split(separator: ".").map(String.init)
        guard op != nil else { return .filter(path: path, op: nil, value: nil) }
        return .filter(path: path, op: op, value: literal(right))
    }

    private static func literal(_ text: String) -> JSON? {
        if text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first {
            return .string(String(text.dropFirst().dropLast()))
        }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let number = Int64(text) { return .int(number) }
        if let number = Double(text) { return .double(number) }
        return text.isEmpty ? nil : .string(text)
    }
}
