import ApusMachinery

/// The apimachinery types whose JSON form is not an object: they marshal themselves in Go.
enum WellKnownTypes {
    /// Unix seconds of 0001-01-01T00:00:00Z, Go's zero `time.Time`.
    static let goZeroTimeUnixSeconds: Int64 = -62_135_596_800
    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    static let earliestPrintable: Int64 = -62_167_219_200
    static let latestPrintable: Int64 = 253_402_300_799

    static func decode(_ type: FieldType, _ reader: WireReader, path: String) throws(APIError) -> JSON {
        switch type {
        case .time: return try time(reader, path: path)
        case .quantity: return try quantity(reader, path: path)
        case .intOrString: return try intOrString(reader, path: path)
        case .embeddedJSON: return try embeddedJSON(reader, path: path)
        default: throw APIError.internalError("\(type) is not a well-known protobuf type")
        }
    }

    /// metav1.Time {1 seconds, 2 nanos}. Kubernetes keeps whole seconds only (it drops nanos when
    /// decoding protobuf), and an empty message is the zero time, which Go prints as null.
    static func time(_ reader: WireReader, path: String) throws(APIError) -> JSON {
        var reader = reader
        var seconds: Int64?
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readTag()
            if number == 1 && wireType == .varint {
                seconds = Int64(bitPattern: try reader.readVarint())
            } else {
                try reader.skip(wireType)
            }
        }
        // Go's zero time.Time (January 1, year 1) is what an absent time decodes to; it prints null.
        guard let seconds, seconds != goZeroTimeUnixSeconds else { return .null }
        // Go refuses to print years outside 0000-9999 in JSON.
        guard seconds >= earliestPrintable, seconds <= latestPrintable else {
            throw .badRequest("invalid protobuf body: \(path): time \(seconds)s since 1970 is outside the years 0000-9999")
        }
        return .string(Timestamp.rfc3339(Double(seconds)))
    }

    /// resource.Quantity {1 string}: the canonical string Go's encoder already wrote; an empty
    /// message is the zero quantity.
    static func quantity(_ reader: WireReader, path: String) throws(APIError) -> JSON {
        var reader = reader
        var text = "0"
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readTag()
            if number == 1 && wireType == .lengthDelimited {
                text = reader.string(in: try reader.readLengthDelimited())
            } else {
                try reader.skip(wireType)
            }
        }
        return .string(text)
    }

    /// intstr.IntOrString {1 type (0 int, 1 string), 2 intVal, 3 strVal}.
    static func intOrString(_ reader: WireReader, path: String) throws(APIError) -> JSON {
        var reader = reader
        var kind: UInt64 = 0
        var intValue: Int32 = 0
        var stringValue = ""
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readTag()
            switch (number, wireType) {
            case (1, .varint): kind = try reader.readVarint()
            case (2, .varint): intValue = Int32(truncatingIfNeeded: try reader.readVarint())
            case (3, .lengthDelimited): stringValue = reader.string(in: try reader.readLengthDelimited())
            default: try reader.skip(wireType)
            }
        }
        switch kind {
        case 0: return .int(Int64(intValue))
        case 1: return .string(stringValue)
        default: throw .badRequest("invalid protobuf body: \(path): IntOrString has unknown type \(kind)")
        }
    }

    /// metav1.FieldsV1 {1 raw}: raw is a JSON document (the managed-fields set) and is embedded.
    static func embeddedJSON(_ reader: WireReader, path: String) throws(APIError) -> JSON {
        var reader = reader
        var raw: Range<Int>?
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readTag()
            if number == 1 && wireType == .lengthDelimited {
                raw = try reader.readLengthDelimited()
            } else {
                try reader.skip(wireType)
            }
        }
        guard let raw, !raw.isEmpty else { return .null }
        do {
            return try JSON.parse(reader.bytes[raw])
        } catch {
            throw .badRequest("invalid protobuf body: \(path) does not hold JSON: \(error)")
        }
    }
}
