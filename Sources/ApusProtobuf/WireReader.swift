import ApusMachinery

/// The encodings a protobuf field value can have on the wire (the low three bits of a tag).
enum WireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5

    var name: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "64-bit"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "32-bit"
        }
    }
}

/// A cursor over one protobuf message inside a shared byte buffer. Nested messages get their own
/// reader over a sub-range of the same buffer, so nothing is copied. Every read is bounds-checked:
/// a short or malformed body becomes `APIError.badRequest`, never a trap.
struct WireReader {
    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// Reads a field tag: the field number and the wire type of the value that follows.
    mutating func readTag() throws(APIError) -> (number: Int, wireType: WireType) {
        let start = position
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw WireReader.malformed("unknown wire type \(key & 7) at byte \(start)")
        }
        let number = key >> 3
        // Field numbers are at most 2^29-1; 0 is never valid.
        guard number > 0, number <= 536_870_911 else {
            throw WireReader.malformed("invalid field number \(number) at byte \(start)")
        }
        return (Int(number), wireType)
    }

    mutating func readVarint() throws(APIError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while true {
            guard position < end else { throw WireReader.malformed("truncated varint at byte \(start)") }
            let byte = bytes[position]
            position += 1
            // The tenth byte may only contribute the top bit of a 64-bit value.
            if shift == 63 && byte > 1 { throw WireReader.malformed("varint overflows 64 bits at byte \(start)") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func readFixed64() throws(APIError) -> UInt64 {
        guard end - position >= 8 else { throw WireReader.malformed("truncated 64-bit value at byte \(position)") }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return value
    }

    mutating func readFixed32() throws(APIError) -> UInt32 {
        guard end - position >= 4 else { throw WireReader.malformed("truncated 32-bit value at byte \(position)") }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return value
    }

    /// Reads a length prefix and returns the range of the bytes it covers, moving past them.
    mutating func readLengthDelimited() throws(APIError) -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw WireReader.malformed("length \(length) at byte \(start) runs past the end of its message")
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// Moves past a value this decoder does not know, as protobuf requires for unknown fields.
    mutating func skip(_ wireType: WireType) throws(APIError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup, .endGroup:
            // Groups are a proto2 relic that Kubernetes never emits.
            throw WireReader.malformed("unsupported group field at byte \(position)")
        }
    }

    func reader(for range: Range<Int>) -> WireReader { WireReader(bytes, range: range) }

    func string(in range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    static func malformed(_ detail: String) -> APIError {
        .badRequest("invalid protobuf body: \(detail)")
    }
}
