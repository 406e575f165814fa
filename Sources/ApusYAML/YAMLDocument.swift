import ApusMachinery
import Yams

/// YAML documents (request bodies, manifests, kubeconfigs) as JSON trees, with the scalar rules
/// sigs.k8s.io/yaml applies, so `replicas: 3` is a number and `"3"` a string.
public enum YAMLDocument {
    public static func parse(_ bytes: [UInt8]) throws(APIError) -> JSON {
        // JSON is valid YAML; parse it as JSON first to keep integers and strings exact.
        if let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
           first == UInt8(ascii: "{") || first == UInt8(ascii: "["), let parsed = try? JSON.parse(bytes) {
            return parsed
        }
        do {
            guard let node = try Yams.compose(yaml: String(decoding: bytes, as: UTF8.self)) else {
                throw APIError.badRequest("the request body is empty")
            }
            return try convert(node)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("error converting YAML to JSON: \(error)")
        }
    }

    /// YAML nodes to JSON with YAML 1.2 core-schema scalars (as sigs.k8s.io/yaml resolves them).
    static func convert(_ node: Node) throws(APIError) -> JSON {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            let text = scalar.string
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: break
            }
            if let int = Int64(text) { return .int(int) }
            if text.hasPrefix("0x"), let int = Int64(text.dropFirst(2), radix: 16) { return .int(int) }
            if text.hasPrefix("0o"), let int = Int64(text.dropFirst(2), radix: 8) { return .int(int) }
            if text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true, let double = Double(text), !text.contains("_") {
                return .double(double)
            }
            return .string(text)
        case .mapping(let mapping):
            var members: [(String, JSON)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else { throw APIError.badRequest("error converting YAML to JSON: non-scalar map key") }
                members.append((keyScalar.string, try convert(value)))
            }
            return .object(JSONObject(lastValueWins: members))
        case .sequence(let sequence):
            var array: [JSON] = []
            for element in sequence { array.append(try convert(element)) }
            return .array(array)
        }
    }
}
