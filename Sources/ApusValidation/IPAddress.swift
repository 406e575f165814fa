import ApusMachinery

/// IP and CIDR parsing with the leniency of `k8s.io/utils/net.ParseIPSloppy` (IPv4 octets may have
/// leading zeros), plus the address-class checks Endpoints and Services validate against.
struct IPAddress: Sendable, Equatable {
    /// 4 bytes for IPv4 (also for IPv4-mapped IPv6), 16 for IPv6.
    let bytes: [UInt8]

    var isIPv4: Bool { bytes.count == 4 }

    static func parse(_ text: String) -> IPAddress? {
        let chars = Array(text.utf8)
        if chars.contains(0x3A) { return parseIPv6(chars) }
        return parseIPv4(chars[...]).map { IPAddress(bytes: $0) }
    }

    /// Parses `a.b.c.d` exactly (the whole slice must be consumed).
    private static func parseIPv4(_ s: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        var rest = s
        for i in 0..<4 {
            if i > 0 {
                guard rest.first == 0x2E else { return nil }
                rest = rest.dropFirst()
            }
            var value = 0
            var digits = 0
            while let c = rest.first, CharacterRules.isDigit(c) {
                value = value * 10 + Int(c - 0x30)
                digits += 1
                rest = rest.dropFirst()
                if value > 0xFF { return nil }
            }
            guard digits > 0 else { return nil }
            out.append(UInt8(value))
        }
        return rest.isEmpty ? out : nil
    }

    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        default: return nil
        }
    }

    private static func parseIPv6(_ chars: [UInt8]) -> IPAddress? {
        var groups: [UInt8] = []
        var ellipsis: Int? = nil
        var i = 0
        if chars.starts(with: [0x3A, 0x3A]) {
            ellipsis = 0
            i = 2
            if i == chars.count { return IPAddress(bytes: [UInt8](repeating: 0, count: 16)) }
        }
        while i < chars.count {
            // Either an embedded IPv4 tail or a hex group of at most four digits.
            var j = i
            var value = 0
            while j < chars.count, let h = hexValue(chars[j]) {
                value = value * 16 + h
                j += 1
                if j - i > 4 { return nil }
            }
            guard j > i else { return nil }
            if j < chars.count, chars[j] == 0x2E {
                guard ellipsis != nil || groups.count == 12, groups.count <= 12,
                      let v4 = parseIPv4(chars[i...]) else { return nil }
                groups += v4
                i = chars.count
                break
            }
            groups.append(UInt8(value >> 8))
            groups.append(UInt8(value & 0xFF))
            i = j
            if i == chars.count { break }
            guard chars[i] == 0x3A else { return nil }
            i += 1
            if i < chars.count, chars[i] == 0x3A {
                guard ellipsis == nil else { return nil }
                ellipsis = groups.count
                i += 1
                if i == chars.count { break }
            } else if i == chars.count {
                return nil
            }
            if groups.count >= 16 { return nil }
        }
        if let at = ellipsis {
            guard groups.count < 16 else { return nil }
            let fill = [UInt8](repeating: 0, count: 16 - groups.count)
            groups.insert(contentsOf: fill, at: at)
        }
        guard groups.count == 16 else { return nil }
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        if Array(groups.prefix(12)) == mapped { return IPAddress(bytes: Array(groups.suffix(4))) }
        return IPAddress(bytes: groups)
    }

    /// Parses `ip/prefix`; nil when malformed.
    static func parseCIDR(_ text: String) -> (IPAddress, Int)? {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let addressText = String(text[..<slash])
        let prefixText = text[text.index(after: slash)...]
        guard let address = parse(addressText), !prefixText.isEmpty,
              prefixText.utf8.allSatisfy(CharacterRules.isDigit), prefixText.utf8.count <= 3,
              let prefix = Int(prefixText) else { return nil }
        let bits = addressText.contains(":") ? 128 : 32
        return prefix <= bits ? (address, prefix) : nil
    }

    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }

    var isLoopback: Bool { isIPv4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1] }

    var isLinkLocalUnicast: Bool {
        isIPv4 ? (bytes[0] == 169 && bytes[1] == 254) : (bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80)
    }

    var isLinkLocalMulticast: Bool {
        isIPv4 ? (bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0) : (bytes[0] == 0xFF && bytes[1] & 0x0F == 0x02)
    }
}

extension NameValidation {
    public static func isValidIP(_ value: String) -> [String] {
        IPAddress.parse(value) == nil ? ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"] : []
    }

    public static func isValidCIDR(_ value: String) -> [String] {
        IPAddress.parseCIDR(value) == nil ? ["must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"] : []
    }

    /// Endpoints, EndpointSlices and external IPs may not use unspecified, loopback or link-local addresses.
    static func nonSpecialIPErrors(_ value: String, _ path: FieldPath) -> [FieldError] {
        guard let ip = IPAddress.parse(value) else {
            return [.invalid(path, string: value, "must be a valid IP address")]
        }
        var errs: [FieldError] = []
        if ip.isUnspecified { errs.append(.invalid(path, string: value, "may not be unspecified (\(value))")) }
        if ip.isLoopback { errs.append(.invalid(path, string: value, "may not be in the loopback range (127.0.0.0/8, ::1/128)")) }
        if ip.isLinkLocalUnicast { errs.append(.invalid(path, string: value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)")) }
        if ip.isLinkLocalMulticast { errs.append(.invalid(path, string: value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")) }
        return errs
    }
}
