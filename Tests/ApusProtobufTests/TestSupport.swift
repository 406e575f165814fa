import ApusMachinery
import Foundation
@testable import ApusProtobuf

/// Reads a captured body or its JSON twin from the `Fixtures` resource folder.
enum Fixture {
    static func bytes(_ name: String, _ ext: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures") else {
            throw FixtureMissing(name: "\(name).\(ext)")
        }
        return Array(try Data(contentsOf: url))
    }

    static func json(_ name: String) throws -> JSON {
        try JSON.parse(try bytes(name, "json"))
    }

    struct FixtureMissing: Error, CustomStringConvertible {
        let name: String
        var description: String { "fixture \(name) is missing" }
    }
}

extension JSON {
    /// Drops nulls and empty objects, recursively. Go's JSON printer writes fields the protobuf form
    /// cannot carry or that mean nothing (`"creationTimestamp": null`, `"status": {}`,
    /// `"resources": {}`, `"strategy": {}`); neither form's meaning depends on them.
    var droppingNullsAndEmptyObjects: JSON? {
        switch self {
        case .null: return nil
        case .object(let members):
            var kept: JSONObject = [:]
            for (key, value) in members {
                if let value = value.droppingNullsAndEmptyObjects { kept[key] = value }
            }
            return kept.isEmpty ? nil : .object(kept)
        case .array(let elements):
            return .array(elements.map { $0.droppingNullsAndEmptyObjects ?? .object([:]) })
        default: return self
        }
    }

    /// The paths at which two documents differ, for readable test failures.
    func differences(from other: JSON, path: String = "") -> [String] {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            var out: [String] = []
            for key in Set(a.keys).union(b.keys).sorted() {
                let child = path + "." + key
                switch (a[key], b[key]) {
                case (nil, let right?): out.append("\(child): missing here, other has \(right.serializedString)")
                case (let left?, nil): out.append("\(child): \(left.serializedString), missing in other")
                case (let left?, let right?): out += left.differences(from: right, path: child)
                default: break
                }
            }
            return out
        case (.array(let a), .array(let b)) where a.count == b.count:
            return zip(a, b).enumerated().flatMap { index, pair in pair.0.differences(from: pair.1, path: "\(path)[\(index)]") }
        default:
            return self == other ? [] : ["\(path): \(serializedString) vs \(other.serializedString)"]
        }
    }
}

/// Writes protobuf wire format for hand-made test messages.
struct ProtobufBuilder {
    var bytes: [UInt8] = []

    static func varintBytes(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    mutating func tag(_ field: Int, _ wireType: UInt8) {
        bytes += Self.varintBytes(UInt64(field) << 3 | UInt64(wireType))
    }

    mutating func varint(_ field: Int, _ value: UInt64) {
        tag(field, 0)
        bytes += Self.varintBytes(value)
    }

    /// A signed integer as protobuf's int32/int64 carry it: two's complement, sign-extended to 64 bits.
    mutating func int(_ field: Int, _ value: Int64) { varint(field, UInt64(bitPattern: value)) }

    mutating func bool(_ field: Int, _ value: Bool) { varint(field, value ? 1 : 0) }

    mutating func data(_ field: Int, _ value: [UInt8]) {
        tag(field, 2)
        bytes += Self.varintBytes(UInt64(value.count))
        bytes += value
    }

    mutating func string(_ field: Int, _ value: String) { data(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtobufBuilder) -> Void) {
        var nested = ProtobufBuilder()
        build(&nested)
        data(field, nested.bytes)
    }

    mutating func mapEntry(_ field: Int, _ key: String, _ value: String) {
        message(field) { entry in
            entry.string(1, key)
            entry.string(2, value)
        }
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, 1)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    mutating func fixed32(_ field: Int, _ value: UInt32) {
        tag(field, 5)
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }

    /// A complete request body: magic, then runtime.Unknown around `raw`.
    static func body(apiVersion: String, kind: String, contentEncoding: String = "", contentType: String = "",
                     _ build: (inout ProtobufBuilder) -> Void) -> [UInt8] {
        var raw = ProtobufBuilder()
        build(&raw)
        return envelope(apiVersion: apiVersion, kind: kind, raw: raw.bytes, contentEncoding: contentEncoding, contentType: contentType)
    }

    static func envelope(apiVersion: String, kind: String, raw: [UInt8], contentEncoding: String = "", contentType: String = "") -> [UInt8] {
        var unknown = ProtobufBuilder()
        unknown.message(1) { typeMeta in
            typeMeta.string(1, apiVersion)
            typeMeta.string(2, kind)
        }
        unknown.data(2, raw)
        unknown.string(3, contentEncoding)
        unknown.string(4, contentType)
        return KubernetesProtobuf.magic + unknown.bytes
    }
}

/// Deterministic pseudo-random numbers (xorshift64*), so fuzz failures can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
