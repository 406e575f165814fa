/// Request bodies for the 1 KiB ConfigMaps the benchmark creates.
struct ConfigMapFactory: Sendable {
    /// The annotation that carries the create's send time (monotonic ns) to the watch readers.
    static let sentAnnotation = "apus-bench/sent-ns"

    let payload: String

    init(valueBytes: Int) {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        payload = String((0..<valueBytes).map { alphabet[($0 * 7 + $0 / 62) % alphabet.count] })
    }

    func body(name: String, sentNanos: UInt64? = nil) -> [UInt8] {
        var metadata = "{\"name\":\"\(name)\""
        if let sentNanos { metadata += ",\"annotations\":{\"\(Self.sentAnnotation)\":\"\(sentNanos)\"}" }
        metadata += "}"
        return Array("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":\(metadata),\"data\":{\"value\":\"\(payload)\"}}".utf8)
    }
}

/// Finds the send time a bench create put into its annotation, in one compact watch event line,
/// without parsing the whole object.
enum SentStamp {
    static let marker = Array("\"\(ConfigMapFactory.sentAnnotation)\":\"".utf8)
    static let added = Array("{\"type\":\"ADDED\"".utf8)

    static func inAddedEvent(_ line: [UInt8]) -> UInt64? {
        guard line.starts(with: added), let at = find(marker, in: line) else { return nil }
        var value: UInt64 = 0
        var index = at + marker.count
        while index < line.count, line[index] >= UInt8(ascii: "0"), line[index] <= UInt8(ascii: "9") {
            value = value &* 10 &+ UInt64(line[index] - UInt8(ascii: "0"))
            index += 1
        }
        return index < line.count && line[index] == UInt8(ascii: "\"") ? value : nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
