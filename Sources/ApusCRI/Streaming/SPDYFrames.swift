/// The few SPDY/3.1 frames a remote-command client needs, to speak to the runtime's streaming
/// server as client-go does (exec and attach over `SPDY/3.1` with `v4.channel.k8s.io`).
///
/// Header blocks are sent as zlib "stored" (uncompressed) deflate blocks without a preset
/// dictionary: a valid zlib stream every SPDY peer decodes, with no compressor needed. The
/// server's header blocks are skipped unread: nothing in them matters to the client.
package enum SPDYFrame: Equatable, Sendable {
    case data(stream: UInt32, fin: Bool, payload: [UInt8])
    case synReply(stream: UInt32)
    case rstStream(stream: UInt32, status: UInt32)
    case ping(id: UInt32)
    case goAway
    /// SETTINGS, WINDOW_UPDATE, HEADERS and anything newer: nothing a client must act on.
    case ignored(type: UInt16)

    static let version: UInt16 = 3
    static let flagFin: UInt8 = 0x01

    /// Decodes one frame from the front of `buffer`, removing it; nil until a whole frame is there.
    package static func decode(_ buffer: inout [UInt8]) -> SPDYFrame? {
        guard buffer.count >= 8 else { return nil }
        let length = Int(buffer[5]) << 16 | Int(buffer[6]) << 8 | Int(buffer[7])
        guard buffer.count >= 8 + length else { return nil }
        let first = word(buffer, 0)
        let flags = buffer[4]
        let body = Array(buffer[8..<(8 + length)])
        buffer.removeFirst(8 + length)
        guard first & 0x8000_0000 != 0 else {
            return .data(stream: first & 0x7FFF_FFFF, fin: flags & flagFin != 0, payload: body)
        }
        let type = UInt16(first & 0xFFFF)
        switch type {
        case 2: return .synReply(stream: word(body, 0) & 0x7FFF_FFFF)
        case 3: return .rstStream(stream: word(body, 0) & 0x7FFF_FFFF, status: word(body, 4))
        case 6: return .ping(id: word(body, 0))
        case 7: return .goAway
        default: return .ignored(type: type)
        }
    }

    static func word(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard bytes.count >= at + 4 else { return 0 }
        return UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func control(type: UInt16, flags: UInt8, body: [UInt8]) -> [UInt8] {
        let head = bytes(0x8000_0000 | UInt32(version) << 16 | UInt32(type))
        return head + [flags] + bytes(UInt32(body.count)).dropFirst() + body
    }

    /// A DATA frame (at most 16 MiB - 1 of payload, SPDY's length field).
    package static func encodeData(stream: UInt32, fin: Bool, payload: ArraySlice<UInt8>) -> [UInt8] {
        bytes(stream & 0x7FFF_FFFF) + [fin ? flagFin : 0] + bytes(UInt32(payload.count)).dropFirst() + payload
    }

    package static func encodePing(id: UInt32) -> [UInt8] {
        control(type: 6, flags: 0, body: bytes(id))
    }
}

/// Writes the SYN_STREAM frames of one connection: their header blocks are one zlib stream.
package struct SPDYStreamOpener: Sendable {
    private var zlibHeaderSent = false

    package init() {}

    /// A SYN_STREAM opening `stream` with `headers`; `fin` when the client will send nothing on it.
    package mutating func synStream(_ stream: UInt32, headers: [(String, String)], fin: Bool = false) -> [UInt8] {
        var block = SPDYFrame.bytes(UInt32(headers.count))
        for (name, value) in headers {
            let name = Array(name.lowercased().utf8), value = Array(value.utf8)
            block += SPDYFrame.bytes(UInt32(name.count)) + name + SPDYFrame.bytes(UInt32(value.count)) + value
        }
        var compressed: [UInt8] = []
        if !zlibHeaderSent {
            // CMF 0x78 (deflate, 32 KiB window), FLG 0x01: no preset dictionary; 0x7801 is a multiple of 31.
            compressed = [0x78, 0x01]
            zlibHeaderSent = true
        }
        var rest = block[...]
        repeat {
            let chunk = rest.prefix(65535)
            rest = rest.dropFirst(chunk.count)
            let length = UInt16(chunk.count)
            // A stored block (BFINAL 0, BTYPE 00), byte-aligned: LEN and its one's complement, little-endian.
            compressed += [0x00, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)] + chunk
        } while !rest.isEmpty
        // The empty stored block a sync flush ends with, as every SPDY sender's header block does.
        compressed += [0x00, 0x00, 0x00, 0xFF, 0xFF]
        let body = SPDYFrame.bytes(stream & 0x7FFF_FFFF) + SPDYFrame.bytes(0) + [0x00, 0x00] + compressed
        return SPDYFrame.control(type: 1, flags: fin ? SPDYFrame.flagFin : 0, body: body)
    }
}
