import ApusControllerKit
import ApusMachinery
import ApusPatch

/// The node controller's well-known taints, Kubernetes' taint/toleration matching, and how the
/// node controller writes a node's taint list.
enum NodeTaintRules {
    static let notReady = "node.kubernetes.io/not-ready"
    static let unreachable = "node.kubernetes.io/unreachable"
    static let unschedulable = "node.kubernetes.io/unschedulable"
    static let memoryPressure = "node.kubernetes.io/memory-pressure"
    static let diskPressure = "node.kubernetes.io/disk-pressure"
    static let networkUnavailable = "node.kubernetes.io/network-unavailable"
    static let pidPressure = "node.kubernetes.io/pid-pressure"

    static let noExecute = "NoExecute"
    static let noSchedule = "NoSchedule"

    /// Which node condition in which status maps to which taint key (taint-nodes-by-condition).
    static func taintKey(forCondition type: String, status: String) -> String? {
        switch (type, status) {
        case ("Ready", "False"): notReady
        case ("Ready", "Unknown"): unreachable
        case ("MemoryPressure", "True"): memoryPressure
        case ("DiskPressure", "True"): diskPressure
        case ("NetworkUnavailable", "True"): networkUnavailable
        case ("PIDPressure", "True"): pidPressure
        default: nil
        }
    }

    /// Taint keys that stand for a node condition.
    static let conditionKeys: Set<String> = [notReady, unreachable, memoryPressure, diskPressure, networkUnavailable, pidPressure]

    static func taints(of node: JSON) -> [JSON] { node["spec"]["taints"].array ?? [] }

    static func noExecuteTaints(of node: JSON) -> [JSON] {
        taints(of: node).filter { $0["effect"].string == noExecute }
    }

    /// Taints match when key and effect are equal (value and timeAdded do not count).
    static func matches(_ a: JSON, _ b: JSON) -> Bool {
        a["key"].string == b["key"].string && a["effect"].string == b["effect"].string
    }

    static func contains(_ taints: [JSON], key: String, effect: String) -> Bool {
        taints.contains { $0["key"].string == key && $0["effect"].string == effect }
    }

    static func taint(key: String, effect: String, timeAdded: Double? = nil) -> JSON {
        var taint: JSON = ["key": .string(key), "effect": .string(effect)]
        if let timeAdded { taint["timeAdded"] = ClusterLoopSupport.time(timeAdded) }
        return taint
    }

    /// The node's taints with `add` put in (replacing a taint with the same key and effect) and
    /// `remove` taken out, as SwapNodeControllerTaint does; nil when nothing changes.
    static func swapped(_ current: [JSON], add: [JSON], remove: [JSON]) -> [JSON]? {
        var result = current
        var changed = false
        for taint in add {
            if let index = result.firstIndex(where: { matches($0, taint) }) {
                if result[index] != taint { result[index] = taint; changed = true }
            } else {
                result.append(taint)
                changed = true
            }
        }
        let kept = result.filter { existing in !remove.contains { matches($0, existing) } }
        if kept.count != result.count { changed = true }
        return changed ? kept : nil
    }

    /// Writes a node's taint list with a strategic merge patch carrying the resourceVersion it was
    /// computed from, so a concurrent change makes it fail with a conflict (PatchNodeTaints).
    static func write(_ taints: [JSON], to node: JSON, writer: any ClusterWriter) async throws(ClientError) -> JSON {
        var spec = JSON.emptyObject
        if taints.isEmpty { spec.setExplicitNull("taints") } else { spec["taints"] = .array(taints) }
        var patch: JSON = ["spec": spec]
        if let version = node["metadata"]["resourceVersion"].string {
            patch["metadata"] = ["resourceVersion": .string(version)]
        }
        return try await writer.patch(.nodes, namespace: nil, name: node["metadata"]["name"].string ?? "", type: .strategic, patch)
    }

    // MARK: Tolerations


    /// GetMatchingTolerations: whether every taint is tolerated, and the toleration used for each.
    static func matchingTolerations(_ taints: [JSON], _ tolerations: [JSON]) -> (all: Bool, used: [JSON]) {
        if taints.isEmpty { return (true, []) }
        var used: [JSON] = []
        for taint in taints {
            guard let toleration = tolerations.first(where: { Tolerations.tolerates($0, taint) }) else { return (false, []) }
            used.append(toleration)
        }
        return (true, used)
    }

    /// The shortest tolerationSeconds among `tolerations`: 0 when none or one is <= 0, nil when all
    /// tolerate forever (getMinTolerationTime).
    static func minimumTolerationSeconds(_ tolerations: [JSON]) -> Int64? {
        if tolerations.isEmpty { return 0 }
        var minimum: Int64?
        for toleration in tolerations {
            guard let seconds = toleration["tolerationSeconds"].int else { continue }
            if seconds <= 0 { return 0 }
            minimum = min(minimum ?? seconds, seconds)
        }
        return minimum
    }
}
