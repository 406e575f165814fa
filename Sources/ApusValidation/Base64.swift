/// Go's `base64.StdEncoding` decoding rules, for Secret `data` and ConfigMap `binaryData` values:
/// either the decoded length or the offset Go reports as "illegal base64 data at input byte N".
enum Base64 {
    enum Outcome: Equatable {
        case decoded(length: Int)
        case illegal(offset: Int)
    }

    static func isAlphabet(_ c: UInt8) -> Bool {
        CharacterRules.isAlnum(c) || c == 0x2B || c == 0x2F
    }

    static func check(_ text: String) -> Outcome {
        let src = Array(text.utf8)
        var si = 0
        var length = 0
        let isNewline: (UInt8) -> Bool = { $0 == 0x0A || $0 == 0x0D }
        while true {
            // One quantum of up to four symbols; newlines are skipped as Go does.
            var j = 0
            var quantumEnded = false
            while j < 4 {
                if si == src.count {
                    if j == 0 { return .decoded(length: length) }
                    return .illegal(offset: si - j)
                }
                let c = src[si]
                si += 1
                if isAlphabet(c) { j += 1; continue }
                if isNewline(c) { continue }
                guard c == 0x3D else { return .illegal(offset: si - 1) }
                // Padding: "=" may only appear in the last two positions of the final quantum.
                switch j {
                case 0, 1:
                    return .illegal(offset: si - 1)
                case 2:
                    while si < src.count && isNewline(src[si]) { si += 1 }
                    if si == src.count { return .illegal(offset: src.count) }
                    if src[si] != 0x3D { return .illegal(offset: si - 1) }
                    si += 1
                default:
                    break
                }
                while si < src.count && isNewline(src[si]) { si += 1 }
                if si < src.count { return .illegal(offset: si) }
                length += j - 1
                quantumEnded = true
                break
            }
            if quantumEnded { return .decoded(length: length) }
            length += 3
        }
    }
}
