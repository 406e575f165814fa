import GRPCCore

/// The one call of gRPC's health protocol (grpc.health.v1.Health/Check) the kubelet's gRPC probe
/// makes. Each of its two messages has a single field (the service name; the serving status), so
/// they are encoded here by hand rather than generated.
enum HealthCheck {
    static let method = MethodDescriptor(fullyQualifiedService: "grpc.health.v1.Health", method: "Check")

    struct Request: Sendable {
        var service: String
    }

    struct Response: Sendable {
        var status: ServingStatus
    }

    enum ServingStatus: Int, Sendable {
        case unknown = 0, serving = 1, notServing = 2, serviceUnknown = 3

        /// The enum value's name in the .proto, as Kubernetes' probe message shows it.
        var name: String {
            switch self {
            case .unknown: "UNKNOWN"
            case .serving: "SERVING"
            case .notServing: "NOT_SERVING"
            case .serviceUnknown: "SERVICE_UNKNOWN"
            }
        }
    }

    /// `string service = 1`: tag 0x0A, the length as a varint, the UTF-8 bytes; nothing when empty.
    struct RequestSerializer: MessageSerializer {
        func serialize<Bytes: GRPCContiguousBytes>(_ message: Request) throws -> Bytes {
            let name = Array(message.service.utf8)
            guard !name.isEmpty else { return Bytes([]) }
            return Bytes([0x0A] + Varint.encode(UInt64(name.count)) + name)
        }
    }

    /// `ServingStatus status = 1`: tag 0x08 and a varint; other fields are skipped.
    struct ResponseDeserializer: MessageDeserializer {
        func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Response {
            let bytes = serializedMessageBytes.withUnsafeBytes { Array($0) }
            var index = 0
            var status = ServingStatus.unknown
            while index < bytes.count {
                let key = try Varint.decode(bytes, &index)
                switch key & 7 {
                case 0:
                    let value = try Varint.decode(bytes, &index)
                    if key >> 3 == 1 { status = ServingStatus(rawValue: Int(value)) ?? .unknown }
                case 2:
                    let length = Int(try Varint.decode(bytes, &index))
                    guard length >= 0, index + length <= bytes.count else { throw RPCError(code: .internalError, message: "malformed health response") }
                    index += length
                case 1: index += 8
                case 5: index += 4
                default: throw RPCError(code: .internalError, message: "malformed health response")
                }
            }
            return Response(status: status)
        }
    }

    enum Varint {
        static func encode(_ value: UInt64) -> [UInt8] {
            var value = value
            var out: [UInt8] = []
            repeat {
                var byte = UInt8(value & 0x7F)
                value >>= 7
                if value != 0 { byte |= 0x80 }
                out.append(byte)
            } while value != 0
            return out
        }

        static func decode(_ bytes: [UInt8], _ index: inout Int) throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            throw RPCError(code: .internalError, message: "malformed health response")
        }
    }
}
