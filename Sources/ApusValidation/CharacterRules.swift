/// Hand-written equivalents of the regular expressions apimachinery validates names with. Each works on
/// UTF-8 bytes, like Go's regexp on a Go string.
enum CharacterRules {
    static func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || isDigit(b) }
    static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isAlnum(_ b: UInt8) -> Bool { isLowerAlnum(b) || (b >= 0x41 && b <= 0x5A) }
    static func isAlpha(_ b: UInt8) -> Bool { isLower(b) || (b >= 0x41 && b <= 0x5A) }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
    static func isDNS1123Label<S: BidirectionalCollection<UInt8>>(_ bytes: S) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isLowerAlnum(first) && isLowerAlnum(last) && bytes.allSatisfy { isLowerAlnum($0) || $0 == 0x2D }
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`
    static func isDNS1123Subdomain(_ s: String) -> Bool {
        let parts = Array(s.utf8).split(separator: 0x2E, omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { isDNS1123Label($0) }
    }

    /// `[a-z]([-a-z0-9]*[a-z0-9])?`
    static func isDNS1035Label(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first else { return false }
        return isLower(first) && isDNS1123Label(bytes)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    static func isQualifiedNamePart<S: BidirectionalCollection<UInt8>>(_ bytes: S) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlnum(first) && isAlnum(last)
            && bytes.allSatisfy { isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    /// `[-._a-zA-Z0-9]+`
    static func isConfigMapKey(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    /// `[-._a-zA-Z][-._a-zA-Z0-9]*`
    static func isStrictEnvVarName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !isDigit(first) else { return false }
        return s.utf8.allSatisfy { isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    /// `[-A-Za-z0-9]+`
    static func isHTTPHeaderName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { isAlnum($0) || $0 == 0x2D }
    }

    /// `[0-9]+%`
    static func isPercent(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.count >= 2, bytes.last == 0x25 else { return false }
        return bytes.dropLast().allSatisfy(isDigit)
    }
}
