import ApusMachinery

/// Renders values the way Go's `%q` and `%#v` print them, because Kubernetes' field errors embed the
/// Go representation of the offending value (`map[string]string{"app":"web"}`).
enum GoSyntax {
    /// `strconv.Quote`.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x80 || isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
             .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `%#v` of a `map[string]string` (Go prints map keys sorted).
    static func stringMap(_ value: JSON) -> String {
        guard let object = value.object else { return "map[string]string(nil)" }
        let entries = object.keys.sorted().map { key in
            "\(quote(key)):\(quote(object[key]?.string ?? ""))"
        }
        return "map[string]string{" + entries.joined(separator: ", ") + "}"
    }

    /// `%#v` of a `[]string`.
    static func stringSlice(_ value: JSON) -> String {
        guard let array = value.array else { return "[]string(nil)" }
        return "[]string{" + array.map { quote($0.string ?? "") }.joined(separator: ", ") + "}"
    }

    /// `%#v` of a `metav1.LabelSelector` (as printed for `spec.selector` errors).
    static func labelSelector(_ value: JSON) -> String {
        let expressions: String
        if let array = value["matchExpressions"].array {
            let items = array.map { e in
                "v1.LabelSelectorRequirement{Key:\(quote(e["key"].string ?? "")), "
                    + "Operator:\(quote(e["operator"].string ?? "")), Values:\(stringSlice(e["values"]))}"
            }
            expressions = "[]v1.LabelSelectorRequirement{" + items.joined(separator: ", ") + "}"
        } else {
            expressions = "[]v1.LabelSelectorRequirement(nil)"
        }
        return "v1.LabelSelector{MatchLabels:\(stringMap(value["matchLabels"])), MatchExpressions:\(expressions)}"
    }

    /// `%#v` of an `intstr.IntOrString`.
    static func intOrString(_ value: JSON) -> String {
        if let s = value.string { return "intstr.IntOrString{Type:1, IntVal:0, StrVal:\(quote(s))}" }
        return "intstr.IntOrString{Type:0, IntVal:\(value.int ?? 0), StrVal:\"\"}"
    }

    /// A composite value Apus cannot print in Go syntax: its compact JSON.
    static func json(_ value: JSON) -> String {
        switch value {
        case .string(let s): return quote(s)
        case .null: return "null"
        default: return value.serializedString
        }
    }
}
