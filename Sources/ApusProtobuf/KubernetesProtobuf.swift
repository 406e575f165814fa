import ApusMachinery

/// Decoding of `application/vnd.kubernetes.protobuf` request bodies.
///
/// kubectl's typed clients (`kubectl create deployment|namespace|configmap|secret|service|job|...`)
/// POST protobuf and do not fall back to JSON. Such a body is the magic `k8s\0` followed by a
/// `runtime.Unknown` {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType},
/// where `raw` is the object's own protobuf message. The decoder turns it into the JSON object the
/// same request would have carried as `application/json`.
public enum KubernetesProtobuf {
    public static let contentType = "application/vnd.kubernetes.protobuf"

    /// "k8s" and a zero byte: the prefix of every Kubernetes protobuf body.
    public static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    /// The full object ("apiVersion" and "kind" from the envelope, then the decoded fields).
    /// Malformed input throws 400 BadRequest; a kind without a descriptor table, or an envelope
    /// with an unsupported encoding, throws 415 UnsupportedMediaType.
    public static func decode(_ body: [UInt8]) throws(APIError) -> JSON {
        guard body.starts(with: magic) else {
            throw APIError.badRequest("invalid protobuf body: it does not start with the Kubernetes magic prefix \"k8s\\x00\"")
        }
        let envelope = try Envelope(WireReader(body, range: magic.count..<body.count))

        guard envelope.contentEncoding.isEmpty else {
            throw unsupported("the protobuf envelope's content encoding \"\(envelope.contentEncoding)\" is not supported")
        }
        let innerType = MediaType.essence(of: envelope.contentType)
        if innerType == "application/json" {
            return try embeddedJSON(envelope)
        }
        guard innerType.isEmpty || innerType == contentType else {
            throw unsupported("the protobuf envelope carries content type \"\(envelope.contentType)\", which is not supported")
        }
        guard !envelope.kind.isEmpty else {
            throw APIError.badRequest("invalid protobuf body: the envelope does not name the object's kind")
        }
        guard let entry = ProtobufSchema.kind(apiVersion: envelope.apiVersion, kind: envelope.kind) else {
            throw unsupported("protobuf bodies of kind \"\(envelope.kind)\" (apiVersion \"\(envelope.apiVersion)\") are not supported by this server; send the object as application/json")
        }
        var object = try MessageDecoder.decodeObject(envelope.raw, as: entry.message, path: "", depth: 0)
        object["apiVersion"] = .string(envelope.apiVersion)
        object["kind"] = .string(envelope.kind)
        return .object(object)
    }

    /// Whether a Content-Type header names this format (parameters and case are ignored).
    public static func isProtobuf(contentType header: String) -> Bool {
        MediaType.essence(of: header) == contentType
    }

    /// Whether `decode` has a descriptor table for this kind.
    public static func supports(apiVersion: String, kind: String) -> Bool {
        ProtobufSchema.kind(apiVersion: apiVersion, kind: kind) != nil
    }

    /// Every (apiVersion, kind) that `decode` understands.
    public static var supportedKinds: [(apiVersion: String, kind: String)] {
        ProtobufSchema.kinds.map { ($0.apiVersion, $0.kind) }
    }

    /// An envelope whose raw bytes are JSON (Unknown.contentType "application/json").
    private static func embeddedJSON(_ envelope: Envelope) throws(APIError) -> JSON {
        let raw = envelope.raw
        var object: JSON
        do {
            object = try JSON.parse(raw.bytes[raw.position..<raw.end])
        } catch {
            throw APIError.badRequest("invalid protobuf body: its embedded JSON object is malformed: \(error)")
        }
        guard object.object != nil else {
            throw APIError.badRequest("invalid protobuf body: its embedded JSON is not an object")
        }
        if object["apiVersion"].string == nil && !envelope.apiVersion.isEmpty { object["apiVersion"] = .string(envelope.apiVersion) }
        if object["kind"].string == nil && !envelope.kind.isEmpty { object["kind"] = .string(envelope.kind) }
        return object
    }

    private static func unsupported(_ message: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: message)
    }
}

/// runtime.Unknown, the wrapper around every protobuf body.
private struct Envelope {
    var apiVersion = ""
    var kind = ""
    var raw: WireReader
    var contentEncoding = ""
    var contentType = ""

    init(_ reader: WireReader) throws(APIError) {
        var reader = reader
        raw = reader.reader(for: reader.end..<reader.end)
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readTag()
            guard number <= 4 else {
                try reader.skip(wireType)
                continue
            }
            guard wireType == .lengthDelimited else {
                throw WireReader.malformed("envelope field \(number) has wire type \(wireType.name), expected length-delimited")
            }
            let range = try reader.readLengthDelimited()
            switch number {
            case 1: try readTypeMeta(reader.reader(for: range))
            case 2: raw = reader.reader(for: range)
            case 3: contentEncoding = reader.string(in: range)
            default: contentType = reader.string(in: range)
            }
        }
    }

    private mutating func readTypeMeta(_ reader: WireReader) throws(APIError) {
        var reader = reader
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readTag()
            guard number <= 2 else {
                try reader.skip(wireType)
                continue
            }
            guard wireType == .lengthDelimited else {
                throw WireReader.malformed("envelope typeMeta field \(number) has wire type \(wireType.name), expected length-delimited")
            }
            let value = reader.string(in: try reader.readLengthDelimited())
            if number == 1 { apiVersion = value } else { kind = value }
        }
    }
}
