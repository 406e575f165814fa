import ApusMachinery

/// Comparison in the sense of Kubernetes' `apiequality.Semantic.DeepEqual` on decoded objects: a field
/// that is absent equals its Go zero value (`""`, `0`, `false`, `[]`, `{}`), and resource quantities
/// compare by amount ("1000m" == "1").
enum Semantic {
    static func equal(_ a: JSON, _ b: JSON) -> Bool { normalize(a) == normalize(b) }

    static func normalize(_ value: JSON, parentKey: String = "") -> JSON {
        switch value {
        case .object(let object):
            var out: JSONObject = [:]
            for (key, child) in object {
                let normalized = normalize(child, parentKey: key)
                if !normalized.isEmptyValue { out[key] = normalized }
            }
            return .object(quantityList(parentKey) ? canonicalQuantities(out) : out)
        case .array(let array):
            return .array(array.map { normalize($0) })
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18:
            return .int(Int64(d))
        default:
            return value
        }
    }

    private static func quantityList(_ key: String) -> Bool {
        ["limits", "requests", "overhead", "capacity", "allocatable", "hard"].contains(key)
    }

    private static func canonicalQuantities(_ object: JSONObject) -> JSONObject {
        object.mapValues { value in
            if case .success(let quantity) = Quantity.from(value) { return .string(quantity.description) }
            return value
        }
    }

    /// Lines describing how `new` differs from `old`, one `-`/`+` pair per changed leaf.
    static func diff(old: JSON, new: JSON, path: String) -> [String] {
        let a = normalize(old)
        let b = normalize(new)
        var lines: [String] = []
        collect(a, b, path, into: &lines)
        return lines
    }

    private static func collect(_ a: JSON, _ b: JSON, _ path: String, into lines: inout [String]) {
        if a == b { return }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                collect(x[key] ?? .null, y[key] ?? .null, path.isEmpty ? key : path + "." + key, into: &lines)
            }
        case (.array(let x), .array(let y)) where x.count == y.count:
            for i in x.indices { collect(x[i], y[i], path + "[\(i)]", into: &lines) }
        default:
            if !a.isNull { lines.append("- \(path): \(GoSyntax.json(a))") }
            if !b.isNull { lines.append("+ \(path): \(GoSyntax.json(b))") }
        }
    }
}
