import ApusMachinery

/// Text helpers shared by the printers; each mirrors a Kubernetes formatting rule.
enum Format {
    /// `labels.FormatLabels`: sorted "k=v" pairs joined by ",", or "<none>".
    static func labels(_ labels: [String: String]) -> String {
        let text = labels.keys.sorted().map { "\($0)=\(labels[$0] ?? "")" }.joined(separator: ",")
        return text.isEmpty ? "<none>" : text
    }

    /// `metav1.FormatLabelSelector`: the selector string, "<none>" when empty, "<error>" when invalid.
    static func labelSelector(_ selector: JSON) -> String {
        guard let text = LabelSelectorText.render(selector) else { return "<error>" }
        return text.isEmpty ? "<none>" : text
    }

    /// Container names and images, each joined by ",".
    static func containerCells(_ containers: [JSON]) -> (names: String, images: String) {
        let names = containers.map { Read.string($0, "name") }.joined(separator: ",")
        let images = containers.map { Read.string($0, "image") }.joined(separator: ",")
        return (names, images)
    }

    /// The first `max` items joined by ",", with " + N more..." when there were more; "<unset>" when empty.
    static func listWithMore(_ items: [String], max: Int = 3) -> String {
        let shown = items.prefix(max).joined(separator: ",")
        if items.count > max { return "\(shown) + \(items.count - max) more..." }
        return shown.isEmpty ? "<unset>" : shown
    }

    /// `GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order, each once.
    static func accessModes(_ modes: [JSON]) -> String {
        let present = Set(modes.compactMap(\.string))
        let ordered: [(String, String)] = [
            ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"),
        ]
        return ordered.filter { present.contains($0.0) }.map(\.1).joined(separator: ",")
    }

    /// A resource quantity as text. Stored quantities are strings ("10Gi"); numbers are accepted too.
    /// A missing quantity prints as the zero quantity, "0".
    static func quantity(_ value: JSON) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        default: return "0"
        }
    }

    /// An IntOrString as text.
    static func intOrString(_ value: JSON) -> String? {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double: return value.int.map { String($0) }
        default: return nil
        }
    }

    /// Go's `strings.TrimSpace`.
    static func trimSpace(_ text: String) -> String {
        guard let start = text.firstIndex(where: { !$0.isWhitespace }),
              let end = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[start...end])
    }

    /// Go's bool formatting for `printBool`.
    static func bool(_ value: Bool) -> String { value ? "True" : "False" }

    /// `"kind.group/name"` in lower case, as `formatResourceName` prints a controller reference.
    static func groupKindName(apiVersion: String, kind: String, name: String) -> String {
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/", maxSplits: 1)[0]) : ""
        if kind.isEmpty && group.isEmpty { return name }
        let groupKind = group.isEmpty ? kind : "\(kind).\(group)"
        return groupKind.lowercased() + "/" + name
    }

    /// `net.JoinHostPort`: brackets around IPv6 addresses.
    static func hostPort(_ host: String, _ port: Int64) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// `metav1.LabelSelectorAsSelector(...).String()`: requirements sorted by key, values sorted.
enum LabelSelectorText {
    /// nil when the selector is invalid (unknown operator, missing or extra values).
    static func render(_ selector: JSON) -> String? {
        guard case .object = selector else { return "" }
        var requirements: [(key: String, text: String)] = []
        for (key, value) in Read.object(selector, "matchLabels") {
            guard let text = value.string else { return nil }
            requirements.append((key, "\(key)=\(text)"))
        }
        for expression in Read.array(selector, "matchExpressions") {
            let key = Read.string(expression, "key")
            let values = Read.array(expression, "values").compactMap(\.string).sorted()
            switch Read.string(expression, "operator") {
            case "In", "NotIn":
                guard !values.isEmpty else { return nil }
                let op = Read.string(expression, "operator") == "In" ? "in" : "notin"
                requirements.append((key, "\(key) \(op) (\(values.joined(separator: ",")))"))
            case "Exists":
                guard values.isEmpty else { return nil }
                requirements.append((key, key))
            case "DoesNotExist":
                guard values.isEmpty else { return nil }
                requirements.append((key, "!" + key))
            default:
                return nil
            }
        }
        return requirements.enumerated()
            .sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
            .map(\.element.text)
            .joined(separator: ",")
    }
}
