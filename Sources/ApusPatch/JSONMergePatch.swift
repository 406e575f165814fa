import ApusMachinery

/// JSON merge patch (RFC 7386), the format of `kubectl label`, `kubectl scale` and
/// `application/merge-patch+json` requests.
public enum JSONMergePatch {
    /// Applies `patch` to `target`: members of a patch object merge recursively into the target object,
    /// a `null` member deletes, and any other value (arrays included) replaces the target whole.
    public static func apply(_ patch: JSON, to target: JSON) -> JSON {
        guard case .object(let patchMembers) = patch else { return patch }
        var result: JSONObject
        if case .object(let existing) = target { result = existing } else { result = [:] }
        for (name, value) in patchMembers {
            if value.isNull {
                result.removeValue(forKey: name)
            } else {
                // Taking the member out first keeps the nested value uniquely referenced while it is rebuilt.
                let current = result.removeValue(forKey: name) ?? .null
                result[name] = apply(value, to: current)
            }
        }
        return .object(result)
    }
}
