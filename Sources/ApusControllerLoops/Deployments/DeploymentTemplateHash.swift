import ApusControllerKit
import ApusMachinery
import ApusValidation

/// The `pod-template-hash` of a Deployment's pod template, and the template equality the controller
/// uses to find "its" ReplicaSet.
///
/// Kubernetes hashes its Go structs (FNV-32a over a printed form), which cannot be reproduced over
/// JSON; this hashes a canonical JSON form with the same FNV-32a, appends the collision count the
/// same way, and encodes the decimal result with the same safe alphabet, so names look alike
/// (`web-7c5ddbdf54`) and a collision count change gives a new name.
public enum DeploymentTemplateHash {
    public static let labelKey = "pod-template-hash"

    /// The hash of `template` (spec.template of a Deployment) with `collisionCount` (status.collisionCount).
    public static func compute(_ template: JSON, collisionCount: Int64?) -> String {
        TemplateHashing.computeHash(canonical(template).serialized(), collisionCount: collisionCount)
    }

    /// Whether two pod templates are the same apart from their pod-template-hash label, compared
    /// semantically (absent, null and empty values alike; quantities by amount), as
    /// Kubernetes' EqualIgnoreHash does after the API server has normalised both.
    public static func equalIgnoringHash(_ a: JSON, _ b: JSON) -> Bool { canonical(a) == canonical(b) }

    /// The template without its hash label, nulls, empty strings, empty maps and lists, with
    /// integral numbers as integers and resource quantities in canonical form.
    static func canonical(_ template: JSON) -> JSON {
        var copy = template
        copy[path: ["metadata", "labels", labelKey]] = .null
        return normalize(copy, key: "")
    }

    private static let quantityMaps: Set<String> = ["limits", "requests", "overhead"]

    private static func normalize(_ value: JSON, key: String) -> JSON {
        switch value {
        case .object(let members):
            var out: [String: JSON] = [:]
            for (name, child) in members {
                var normalized = normalize(child, key: name)
                if quantityMaps.contains(key), let text = normalized.string ?? normalized.int.map(String.init),
                   let quantity = try? Quantity.parse(text) {
                    normalized = .string(quantity.description)
                }
                if !isVoid(normalized) { out[name] = normalized }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { normalize($0, key: "") })
        case .double(let number) where number.rounded() == number && abs(number) < 9.2e18:
            return .int(Int64(number))
        default:
            return value
        }
    }

    private static func isVoid(_ value: JSON) -> Bool {
        switch value {
        case .null: true
        case .string(let text): text.isEmpty
        case .object(let members): members.isEmpty
        case .array(let items): items.isEmpty
        default: false
        }
    }
}
