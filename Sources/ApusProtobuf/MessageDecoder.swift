import ApusMachinery

/// Turns one protobuf message into the JSON object Go's encoder would print for the same Go value,
/// driven by the descriptor tables.
enum MessageDecoder {
    /// Far deeper than any Kubernetes type nests; a guard against schema mistakes, not input.
    static let maxDepth = 64

    static func decodeObject(_ reader: WireReader, as messageName: String, path: String, depth: Int) throws(APIError) -> JSONObject {
        var object: JSONObject = [:]
        try decode(reader, as: messageName, into: &object, path: path, depth: depth)
        return object
    }

    /// Decodes into an existing object: protobuf merges a repeated occurrence of a singular message,
    /// and inline (embedded) messages share their parent's object.
    static func decode(_ reader: WireReader, as messageName: String, into object: inout JSONObject, path: String, depth: Int) throws(APIError) {
        guard depth <= maxDepth else { throw WireReader.malformed("\(path) is nested too deeply") }
        guard let descriptor = ProtobufSchema.messages[messageName] else {
            throw APIError.internalError("protobuf schema has no message \(messageName)")
        }
        var reader = reader
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readTag()
            guard let field = descriptor.fieldsByNumber[number] else {
                try reader.skip(wireType)
                continue
            }
            try decodeField(field, wireType: wireType, reader: &reader, into: &object, path: path, depth: depth)
        }
    }

    private static func decodeField(_ field: Field, wireType: WireType, reader: inout WireReader,
                                    into object: inout JSONObject, path: String, depth: Int) throws(APIError) {
        let fieldPath = path.isEmpty ? field.jsonName : path + "." + field.jsonName
        let key = field.jsonName

        if field.rule == .repeated {
            // Take the array out of the object so appending does not copy it each time.
            var array = object.removeValue(forKey: key)?.array ?? []
            if wireType == .lengthDelimited && field.type.wireType == .varint {
                // A packed run of numbers; Go's decoder accepts it for any repeated numeric field.
                var packed = reader.reader(for: try reader.readLengthDelimited())
                while !packed.isAtEnd { array.append(varintValue(field.type, try packed.readVarint())) }
            } else {
                try expect(wireType, for: field, path: fieldPath)
                array.append(try decodeValue(field.type, reader: &reader, path: fieldPath, depth: depth))
            }
            object[key] = .array(array)
            return
        }

        try expect(wireType, for: field, path: fieldPath)
        switch field.type {
        case .message(let name) where field.rule == .inline:
            try decode(reader.reader(for: try reader.readLengthDelimited()), as: name, into: &object, path: path, depth: depth + 1)
        case .message(let name):
            var nested = object.removeValue(forKey: key)?.object ?? [:]
            try decode(reader.reader(for: try reader.readLengthDelimited()), as: name, into: &nested, path: fieldPath, depth: depth + 1)
            object[key] = .object(nested)
        case .map(let valueType):
            var map = object.removeValue(forKey: key)?.object ?? [:]
            let entry = reader.reader(for: try reader.readLengthDelimited())
            let (entryKey, entryValue) = try decodeMapEntry(entry, valueType: valueType, path: fieldPath, depth: depth)
            map[entryKey] = entryValue
            object[key] = .object(map)
        default:
            let value = try decodeValue(field.type, reader: &reader, path: fieldPath, depth: depth)
            if value.isNull || (field.rule == .omitEmpty && field.type.isScalar && isZeroScalar(value)) {
                object.removeValue(forKey: key)
            } else {
                object[key] = value
            }
        }
    }

    private static func expect(_ wireType: WireType, for field: Field, path: String) throws(APIError) {
        let expected = field.type.wireType
        guard wireType == expected else {
            throw WireReader.malformed("field \(path) (number \(field.number)) has wire type \(wireType.name), expected \(expected.name)")
        }
    }

    /// One value of a field; the reader is positioned just after the tag.
    private static func decodeValue(_ type: FieldType, reader: inout WireReader, path: String, depth: Int) throws(APIError) -> JSON {
        switch type {
        case .bool, .int32, .int64:
            return varintValue(type, try reader.readVarint())
        case .string:
            return .string(reader.string(in: try reader.readLengthDelimited()))
        case .bytes:
            return .string(Base64.encode(reader.bytes[try reader.readLengthDelimited()]))
        case .message(let name):
            let nested = reader.reader(for: try reader.readLengthDelimited())
            return .object(try decodeObject(nested, as: name, path: path, depth: depth + 1))
        case .map:
            throw APIError.internalError("protobuf schema lists a map as a value at \(path)")
        case .time, .quantity, .intOrString, .embeddedJSON:
            return try WellKnownTypes.decode(type, reader.reader(for: try reader.readLengthDelimited()), path: path)
        }
    }

    private static func varintValue(_ type: FieldType, _ raw: UInt64) -> JSON {
        switch type {
        case .bool: .bool(raw != 0)
        // int32 travels sign-extended to 64 bits; Go keeps the low 32 bits.
        case .int32: .int(Int64(Int32(truncatingIfNeeded: raw)))
        default: .int(Int64(bitPattern: raw))
        }
    }

    /// A map entry is a message {1: key, 2: value}; either may be missing and then takes its zero value.
    private static func decodeMapEntry(_ entry: WireReader, valueType: FieldType, path: String, depth: Int) throws(APIError) -> (String, JSON) {
        var reader = entry
        var key = ""
        var value: JSON?
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readTag()
            switch number {
            case 1:
                guard wireType == .lengthDelimited else { throw WireReader.malformed("map key of \(path) is not a string") }
                key = reader.string(in: try reader.readLengthDelimited())
            case 2:
                guard wireType == valueType.wireType else {
                    throw WireReader.malformed("map value of \(path) has wire type \(wireType.name), expected \(valueType.wireType.name)")
                }
                value = try decodeValue(valueType, reader: &reader, path: path + "[" + key + "]", depth: depth)
            default:
                try reader.skip(wireType)
            }
        }
        return (key, value ?? zeroValue(valueType))
    }

    private static func zeroValue(_ type: FieldType) -> JSON {
        switch type {
        case .string, .bytes: .string("")
        case .bool: .bool(false)
        case .int32, .int64, .intOrString: .int(0)
        case .quantity: .string("0")
        case .message, .map: .object([:])
        case .time, .embeddedJSON: .null
        }
    }

    private static func isZeroScalar(_ value: JSON) -> Bool {
        switch value {
        case .string(let s): s.isEmpty
        case .int(let i): i == 0
        case .bool(let b): !b
        default: false
        }
    }
}
