/// Which rule an object's `metadata.name` follows; it differs per kind (Services use DNS-1035 labels,
/// Namespaces DNS-1123 labels, RBAC objects anything usable as a path segment, most kinds subdomains).
public enum NameRule: Sendable, Hashable {
    case dns1123Subdomain, dns1123Label, dns1035Label, pathSegment

    /// The messages for `name`; with `prefix` the value is a `generateName` (a trailing '-' is fine).
    public func messages(for name: String, prefix: Bool = false) -> [String] {
        switch self {
        case .dns1123Subdomain: return NameValidation.isDNS1123Subdomain(prefix ? Self.maskTrailingDash(name) : name)
        case .dns1123Label: return NameValidation.isDNS1123Label(prefix ? Self.maskTrailingDash(name) : name)
        case .dns1035Label: return NameValidation.isDNS1035Label(prefix ? Self.maskTrailingDash(name) : name)
        case .pathSegment: return prefix ? NameValidation.isValidPathSegmentPrefix(name) : NameValidation.isValidPathSegmentName(name)
        }
    }

    /// apimachinery replaces a trailing dash of a generateName (dropping the two last characters) with
    /// a letter so that the prefix can be checked with the full-name rule.
    static func maskTrailingDash(_ name: String) -> String {
        guard name.hasSuffix("-") else { return name }
        return String(name.dropLast(2)) + "a"
    }
}
