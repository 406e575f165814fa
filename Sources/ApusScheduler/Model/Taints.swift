import ApusMachinery

/// A node taint (`spec.taints[]`).
struct Taint: Sendable, Hashable {
    var key: String
    var value: String
    var effect: String

    static let noSchedule = "NoSchedule"
    static let preferNoSchedule = "PreferNoSchedule"
    static let noExecute = "NoExecute"

    init(key: String, value: String = "", effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    init(json: JSON) {
        key = json["key"].string ?? ""
        value = json["value"].string ?? ""
        effect = json["effect"].string ?? ""
    }

    /// Taints the scheduler must not place pods over (NoSchedule and NoExecute).
    var blocksScheduling: Bool { effect == Self.noSchedule || effect == Self.noExecute }
}

/// A pod toleration (`spec.tolerations[]`), with core/v1's matching rule.
struct Toleration: Sendable, Hashable {
    var key: String
    var `operator`: String
    var value: String
    var effect: String

    init(json: JSON) {
        key = json["key"].string ?? ""
        `operator` = json["operator"].string ?? ""
        value = json["value"].string ?? ""
        effect = json["effect"].string ?? ""
    }

    /// An empty effect matches every effect, an empty key (with Exists) every key; `Equal` (the
    /// default operator) also needs the same value.
    func tolerates(_ taint: Taint) -> Bool {
        if !effect.isEmpty && effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        switch `operator` {
        case "", "Equal": return value == taint.value
        case "Exists": return true
        default: return false
        }
    }
}

extension Array where Element == Toleration {
    func tolerate(_ taint: Taint) -> Bool { contains { $0.tolerates(taint) } }

    /// The first NoSchedule/NoExecute taint none of these tolerations tolerates.
    func firstUntoleratedBlockingTaint(_ taints: [Taint]) -> Taint? {
        for taint in taints where taint.blocksScheduling && !tolerate(taint) { return taint }
        return nil
    }
}
