import ApusMachinery

/// An RFC 6901 JSON Pointer: `""` is the whole document, `/a/0/b~1c` walks members and indices, with
/// `~1` standing for `/` and `~0` for `~`.
struct JSONPointer: Equatable, CustomStringConvertible {
    let text: String
    let tokens: [String]

    init(_ text: String) throws(APIError) {
        self.text = text
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw .patchNotApplicable("invalid JSON pointer \"\(text)\": it must be empty or start with \"/\"")
        }
        var decoded: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let token = JSONPointer.unescape(raw) else {
                throw .patchNotApplicable("invalid JSON pointer \"\(text)\": \"~\" must be followed by \"0\" or \"1\"")
            }
            decoded.append(token)
        }
        tokens = decoded
    }

    var description: String { text }

    /// Whether this pointer names a value strictly inside the one `other` names.
    func isStrictlyInside(_ other: JSONPointer) -> Bool {
        tokens.count > other.tokens.count && Array(tokens.prefix(other.tokens.count)) == other.tokens
    }

    private static func unescape(_ raw: Substring) -> String? {
        guard raw.contains("~") else { return String(raw) }
        var result = ""
        var iterator = raw.makeIterator()
        while let character = iterator.next() {
            guard character == "~" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "0": result.append("~")
            case "1": result.append("/")
            default: return nil
            }
        }
        return result
    }

    /// The array position a token names: plain decimal digits without leading zeros (RFC 6901 §4).
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if token.count > 1, token.hasPrefix("0") { return nil }
        return Int(token)
    }
}
