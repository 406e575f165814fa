import ApusMachinery

/// ConfigMaps and Secrets: valid keys, at most 1 MiB of data, Secret types with their required keys,
/// and the `immutable` flag.
enum ConfigDataValidation {
    static let maxSize = 1024 * 1024

    static func decodedLength(_ value: JSON) -> Int {
        guard let text = value.string, case .decoded(let length) = Base64.check(text) else { return 0 }
        return length
    }

    static func configMap(_ object: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        var total = 0
        let data = object["data"].object ?? [:]
        let binary = object["binaryData"].object ?? [:]
        for key in data.keys.sorted() {
            let path = FieldPath("data").key(key)
            errs += FieldError.invalidEach(path, string: key, NameValidation.isConfigMapKey(key))
            if binary[key] != nil { errs.append(.invalid(path, string: key, "duplicate of key present in binaryData")) }
            total += data[key]?.string?.utf8.count ?? 0
        }
        for key in binary.keys.sorted() {
            errs += FieldError.invalidEach(FieldPath("binaryData").key(key), string: key, NameValidation.isConfigMapKey(key))
            total += decodedLength(binary[key] ?? .null)
        }
        // The error names the whole object: its path is empty.
        if total > maxSize { errs.append(.tooLong(FieldPath(""), maxSize)) }
        return errs
    }

    /// `stringData` is merged into `data` before validation, so both count.
    static func secret(_ object: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let dataPath = FieldPath("data")
        var data: [String: Int] = [:]
        for (key, value) in object["data"].object ?? [:] { data[key] = decodedLength(value) }
        for (key, value) in object["stringData"].object ?? [:] { data[key] = value.string?.utf8.count ?? 0 }
        for key in data.keys.sorted() {
            errs += FieldError.invalidEach(dataPath.key(key), string: key, NameValidation.isConfigMapKey(key))
        }
        if data.values.reduce(0, +) > maxSize { errs.append(.tooLong(dataPath, maxSize)) }

        switch object["type"].string ?? "" {
        case "kubernetes.io/service-account-token":
            if (object["metadata"]["annotations"]["kubernetes.io/service-account.name"].string ?? "").isEmpty {
                errs.append(.required(FieldPath("metadata").child("annotations").key("kubernetes.io/service-account.name")))
            }
        case "kubernetes.io/dockercfg":
            errs += requiredJSONKey(".dockercfg", object, dataPath)
        case "kubernetes.io/dockerconfigjson":
            errs += requiredJSONKey(".dockerconfigjson", object, dataPath)
        case "kubernetes.io/basic-auth":
            if data["username"] == nil && data["password"] == nil {
                errs.append(.required(dataPath.key("username")))
                errs.append(.required(dataPath.key("password")))
            }
        case "kubernetes.io/ssh-auth":
            if (data["ssh-privatekey"] ?? 0) == 0 { errs.append(.required(dataPath.key("ssh-privatekey"))) }
        case "kubernetes.io/tls":
            if data["tls.crt"] == nil { errs.append(.required(dataPath.key("tls.crt"))) }
            if data["tls.key"] == nil { errs.append(.required(dataPath.key("tls.key"))) }
        default:
            break
        }
        return errs
    }

    /// Docker config secrets need their key, holding a JSON object.
    static func requiredJSONKey(_ key: String, _ object: JSON, _ dataPath: FieldPath) -> [FieldError] {
        let encoded = object["data"][key]
        let plain = object["stringData"][key]
        if encoded.isNull && plain.isNull { return [.required(dataPath.key(key))] }
        var bytes: [UInt8] = []
        if let text = plain.string {
            bytes = Array(text.utf8)
        } else if let text = encoded.string, let decoded = decode(text) {
            bytes = decoded
        } else {
            return []
        }
        if case .object? = try? JSON.parse(bytes) { return [] }
        return [.invalid(dataPath.key(key), string: "<secret contents redacted>", "invalid character in JSON content")]
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard case .decoded = Base64.check(text) else { return nil }
        var values: [UInt8] = []
        for c in text.utf8 {
            switch c {
            case 0x41...0x5A: values.append(c - 0x41)
            case 0x61...0x7A: values.append(c - 0x61 + 26)
            case 0x30...0x39: values.append(c - 0x30 + 52)
            case 0x2B: values.append(62)
            case 0x2F: values.append(63)
            default: continue
            }
        }
        var out: [UInt8] = []
        var i = 0
        while i + 1 < values.count {
            out.append(values[i] << 2 | values[i + 1] >> 4)
            if i + 2 < values.count { out.append(values[i + 1] << 4 | values[i + 2] >> 2) }
            if i + 3 < values.count { out.append(values[i + 2] << 6 | values[i + 3]) }
            i += 4
        }
        return out
    }

    static func immutableUpdate(new: JSON, old: JSON, keys: [String]) -> [FieldError] {
        guard old["immutable"].bool == true else { return [] }
        var errs: [FieldError] = []
        if new["immutable"].bool != true {
            errs.append(.forbidden(FieldPath("immutable"), "field is immutable when `immutable` is set"))
        }
        for key in keys where !Semantic.equal(new[key], old[key]) {
            errs.append(.forbidden(FieldPath(key), "field is immutable when `immutable` is set"))
        }
        return errs
    }

    static func secretUpdate(new: JSON, old: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        // An absent type is defaulted to Opaque.
        let newType = (new["type"].string ?? "").isEmpty ? "Opaque" : (new["type"].string ?? "")
        let oldType = (old["type"].string ?? "").isEmpty ? "Opaque" : (old["type"].string ?? "")
        if newType != oldType { errs.append(.invalid(FieldPath("type"), string: newType, Messages.fieldImmutable)) }
        return errs + immutableUpdate(new: new, old: old, keys: ["data"])
    }
}
