import ApusMachinery

/// Kubernetes' toleration rules, shared by every loop that weighs taints.
public enum Tolerations {
    /// Toleration.ToleratesTaint: an empty effect or key matches any; `Exists` ignores the value.
    public static func tolerates(_ toleration: JSON, _ taint: JSON) -> Bool {
        if let effect = toleration["effect"].string, !effect.isEmpty, effect != taint["effect"].string { return false }
        if let key = toleration["key"].string, !key.isEmpty, key != taint["key"].string { return false }
        switch toleration["operator"].string ?? "" {
        case "", "Equal": return (toleration["value"].string ?? "") == (taint["value"].string ?? "")
        case "Exists": return true
        default: return false
        }
    }
}
