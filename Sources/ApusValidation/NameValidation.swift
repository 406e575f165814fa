/// apimachinery's `pkg/util/validation` checks. Each returns the messages Kubernetes reports for a
/// value (empty when valid); callers wrap them into `FieldError`s with the field path.
public enum NameValidation {
    static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
    static let dns1123SubdomainFormat = dns1123LabelFormat + "(\\." + dns1123LabelFormat + ")*"
    static let dns1123SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
    static let dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let dns1035LabelMessage = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
    static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let labelValueFormat = "(" + qualifiedNameFormat + ")?"
    static let labelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    static let wildcardFormat = "\\*\\." + dns1123SubdomainFormat
    static let wildcardMessage = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"

    public static let dns1123LabelMaxLength = 63
    public static let dns1123SubdomainMaxLength = 253
    public static let dns1035LabelMaxLength = 63
    public static let labelValueMaxLength = 63

    // MARK: Message builders

    public static func maxLenError(_ length: Int) -> String { "must be no more than \(length) characters" }

    public static func emptyError() -> String { "must be non-empty" }

    public static func inclusiveRangeError(_ lo: Int64, _ hi: Int64) -> String { "must be between \(lo) and \(hi), inclusive" }

    public static func regexError(_ message: String, _ format: String, _ examples: String...) -> String {
        if examples.isEmpty { return message + " (regex used for validation is '" + format + "')" }
        // Go joins the examples as "'a',  or 'b', " (the doubled space is Kubernetes' own).
        var text = message + " (e.g. "
        for (i, example) in examples.enumerated() {
            if i > 0 { text += " or " }
            text += "'" + example + "', "
        }
        return text + "regex used for validation is '" + format + "')"
    }

    // MARK: DNS names

    public static func isDNS1123Label(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1123LabelMaxLength { errs.append(maxLenError(dns1123LabelMaxLength)) }
        if !CharacterRules.isDNS1123Label(Array(value.utf8)) {
            if CharacterRules.isDNS1123Subdomain(value) {
                errs.append("must not contain dots")
            } else {
                errs.append(regexError(dns1123LabelMessage, dns1123LabelFormat, "my-name", "123-abc"))
            }
        }
        return errs
    }

    public static func isDNS1123Subdomain(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errs.append(maxLenError(dns1123SubdomainMaxLength)) }
        if !CharacterRules.isDNS1123Subdomain(value) {
            errs.append(regexError(dns1123SubdomainMessage, dns1123SubdomainFormat, "example.com"))
        }
        return errs
    }

    public static func isDNS1035Label(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1035LabelMaxLength { errs.append(maxLenError(dns1035LabelMaxLength)) }
        if !CharacterRules.isDNS1035Label(value) {
            errs.append(regexError(dns1035LabelMessage, dns1035LabelFormat, "my-name", "abc-123"))
        }
        return errs
    }

    /// `*.example.com`
    public static func isWildcardDNS1123Subdomain(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errs.append(maxLenError(dns1123SubdomainMaxLength)) }
        if !(value.hasPrefix("*.") && CharacterRules.isDNS1123Subdomain(String(value.dropFirst(2)))) {
            errs.append(regexError(wildcardMessage, wildcardFormat, "*.example.com"))
        }
        return errs
    }

    // MARK: Labels

    /// A label key, annotation key or finalizer: `[prefix/]name`.
    public static func isQualifiedName(_ value: String) -> [String] {
        var errs: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = String(parts[0])
            name = parts[1]
            if prefix.isEmpty {
                errs.append("prefix part " + emptyError())
            } else {
                errs += isDNS1123Subdomain(prefix).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name " + regexError(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errs.append("name part " + emptyError())
        } else if name.utf8.count > 63 {
            errs.append("name part " + maxLenError(63))
        }
        if !CharacterRules.isQualifiedNamePart(Array(name.utf8)) {
            errs.append("name part " + regexError(qualifiedNameMessage, qualifiedNameFormat, "MyName", "my.name", "123-abc"))
        }
        return errs
    }

    public static func isValidLabelValue(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > labelValueMaxLength { errs.append(maxLenError(labelValueMaxLength)) }
        if !value.isEmpty && !CharacterRules.isQualifiedNamePart(Array(value.utf8)) {
            errs.append(regexError(labelValueMessage, labelValueFormat, "MyValue", "my_value", "12345"))
        }
        return errs
    }

    // MARK: Ports

    /// IANA_SVC_NAME: at most 15 of `[-a-z0-9]`, at least one letter, no leading, trailing or double hyphen.
    public static func isValidPortName(_ port: String) -> [String] {
        var errs: [String] = []
        let bytes = Array(port.utf8)
        if bytes.count > 15 { errs.append(maxLenError(15)) }
        if bytes.isEmpty || !bytes.allSatisfy({ CharacterRules.isLowerAlnum($0) || $0 == 0x2D }) {
            errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !bytes.contains(where: CharacterRules.isLower) { errs.append("must contain at least one letter (a-z)") }
        if port.contains("--") { errs.append("must not contain consecutive hyphens") }
        if let first = bytes.first, let last = bytes.last, first == 0x2D || last == 0x2D {
            errs.append("must not begin or end with a hyphen")
        }
        return errs
    }

    public static func isValidPortNum(_ port: Int64) -> [String] {
        (1...65535).contains(port) ? [] : [inclusiveRangeError(1, 65535)]
    }

    public static func isInRange(_ value: Int64, _ lo: Int64, _ hi: Int64) -> [String] {
        (lo...hi).contains(value) ? [] : [inclusiveRangeError(lo, hi)]
    }

    public static func isValidUserID(_ uid: Int64) -> [String] { isInRange(uid, 0, 4_294_967_295) }

    public static func isValidGroupID(_ gid: Int64) -> [String] { isInRange(gid, 0, 4_294_967_295) }

    // MARK: Other formats

    /// A name usable as one REST path segment (RBAC objects and other loosely named kinds).
    public static func isValidPathSegmentName(_ name: String) -> [String] {
        for illegal in [".", ".."] where name == illegal { return ["may not be '\(illegal)'"] }
        return isValidPathSegmentPrefix(name)
    }

    public static func isValidPathSegmentPrefix(_ name: String) -> [String] {
        ["/", "%"].filter { name.contains($0) }.map { "may not contain '\($0)'" }
    }

    /// A ConfigMap or Secret data key.
    public static func isConfigMapKey(_ value: String) -> [String] {
        var errs: [String] = []
        if value.utf8.count > dns1123SubdomainMaxLength { errs.append(maxLenError(dns1123SubdomainMaxLength)) }
        if !CharacterRules.isConfigMapKey(value) {
            errs.append(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                   "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name"))
        }
        return errs + chDirPrefixErrors(value)
    }

    /// The strict environment variable rule (before the RelaxedEnvironmentVariableValidation feature).
    public static func isEnvVarName(_ value: String) -> [String] {
        var errs: [String] = []
        if !CharacterRules.isStrictEnvVarName(value) {
            errs.append(regexError("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
                                   "[-._a-zA-Z][-._a-zA-Z0-9]*", "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
        }
        return errs + chDirPrefixErrors(value)
    }

    /// The rule Kubernetes 1.32 applies by default: printable ASCII except '='.
    public static func isRelaxedEnvVarName(_ value: String) -> [String] {
        var errs: [String] = []
        if value.isEmpty { errs.append("environment variable name " + emptyError()) }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value > 0x7E || $0 == "=" }) {
            errs.append("a valid environment variable name must consist only of printable ASCII characters other than '='")
        }
        return errs
    }

    public static func isHTTPHeaderName(_ value: String) -> [String] {
        CharacterRules.isHTTPHeaderName(value) ? []
            : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", "[-A-Za-z0-9]+", "X-Header-Name")]
    }

    public static func isValidPercent(_ value: String) -> [String] {
        CharacterRules.isPercent(value) ? []
            : [regexError("a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%", "1%", "93%")]
    }

    static func chDirPrefixErrors(_ value: String) -> [String] {
        if value == "." { return ["must not be '.'"] }
        if value == ".." { return ["must not be '..'"] }
        if value.hasPrefix("..") { return ["must not start with '..'"] }
        return []
    }
}
