import ApusControllerKit
import ApusMachinery

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

    /// The template without its hash label, in the kit's canonical form.
    static func canonical(_ template: JSON) -> JSON {
        var copy = template
        copy[path: ["metadata", "labels", labelKey]] = .null
        return TemplateHashing.canonical(copy)
    }
}
