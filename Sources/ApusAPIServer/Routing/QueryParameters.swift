/// The query string, decoded as Go's url.ParseQuery does (`+` is a space, `%XX` a byte).
public struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    public init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[key, default: []].append(value)
        }
    }

    public subscript(_ key: String) -> String? { values[key]?.first }
    public func all(_ key: String) -> [String] { values[key] ?? [] }

    public func bool(_ key: String) -> Bool {
        guard let value = self[key] else { return false }
        return value == "true" || value == "1" || value == "True"
    }

    public func int(_ key: String) -> Int? { self[key].flatMap { Int($0) } }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8).makeIterator()
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: return b - 48
            case 65...70: return b - 55
            case 97...102: return b - 87
            default: return nil
            }
        }
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%") {
                let high = iterator.next(), low = iterator.next()
                if let high, let low, let h = hex(high), let l = hex(low) {
                    bytes.append(h << 4 | l)
                } else {
                    bytes.append(byte)
                    if let high { bytes.append(high) }
                    if let low { bytes.append(low) }
                }
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
