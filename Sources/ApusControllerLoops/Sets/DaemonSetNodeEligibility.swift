import ApusControllerKit
import ApusMachinery

/// Which nodes a DaemonSet runs on (NodeShouldRunDaemonPod). A node qualifies when the template's
/// `nodeName` (if any) is this node, the pod's node selector and required node affinity match it, and
/// the pod, with the default daemon tolerations added, tolerates its NoSchedule and NoExecute taints.
/// A pod already there may stay when only NoSchedule taints are untolerated.
public enum DaemonSetNodeEligibility {
    public struct Verdict: Sendable, Equatable {
        /// A daemon pod should be created on the node.
        public var shouldRun: Bool
        /// A daemon pod already on the node may keep running.
        public var shouldContinueRunning: Bool

        public init(shouldRun: Bool, shouldContinueRunning: Bool) {
            self.shouldRun = shouldRun
            self.shouldContinueRunning = shouldContinueRunning
        }
    }

    public static func evaluate(node: JSON, daemonSet: JSON) -> Verdict {
        let nodeName = node["metadata"]["name"].string ?? ""
        let spec = withDaemonTolerations(daemonSet["spec"]["template"]["spec"])
        if let bound = spec["nodeName"].string, !bound.isEmpty, bound != nodeName {
            return Verdict(shouldRun: false, shouldContinueRunning: false)
        }
        guard DaemonSetNodeAffinity.matches(podSpec: spec, node: node) else {
            return Verdict(shouldRun: false, shouldContinueRunning: false)
        }
        let taints = node["spec"]["taints"].array ?? []
        let tolerations = spec["tolerations"].array ?? []
        if untoleratedTaint(taints, tolerations, effects: ["NoSchedule", "NoExecute"]) != nil {
            let evicting = untoleratedTaint(taints, tolerations, effects: ["NoExecute"]) != nil
            return Verdict(shouldRun: false, shouldContinueRunning: !evicting)
        }
        return Verdict(shouldRun: true, shouldContinueRunning: true)
    }

    /// The tolerations every daemon pod gets (util.AddOrUpdateDaemonPodTolerations): node problems must
    /// not evict or keep out a daemon, and host-network daemons ignore an unavailable pod network.
    public static func defaultTolerations(hostNetwork: Bool) -> [JSON] {
        var tolerations: [JSON] = [
            ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"],
            ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"],
            ["key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"],
            ["key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"],
            ["key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"],
            ["key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"],
        ]
        if hostNetwork {
            tolerations.append(["key": "node.kubernetes.io/network-unavailable", "operator": "Exists", "effect": "NoSchedule"])
        }
        return tolerations
    }

    /// `spec` with the default tolerations added; one with the same key, operator, value and effect
    /// is replaced (v1helper.AddOrUpdateTolerationInPodSpec).
    public static func withDaemonTolerations(_ spec: JSON) -> JSON {
        var tolerations = spec["tolerations"].array ?? []
        for toleration in defaultTolerations(hostNetwork: spec["hostNetwork"].bool == true) {
            if tolerations.contains(where: { sameIdentity($0, toleration) }) {
                tolerations = tolerations.map { sameIdentity($0, toleration) ? toleration : $0 }
            } else {
                tolerations.append(toleration)
            }
        }
        var spec = spec
        spec["tolerations"] = .array(tolerations)
        return spec
    }

    private static func sameIdentity(_ lhs: JSON, _ rhs: JSON) -> Bool {
        ["key", "operator", "value", "effect"].allSatisfy { (lhs[$0].string ?? "") == (rhs[$0].string ?? "") }
    }

    /// The first taint with one of `effects` that no toleration tolerates.
    static func untoleratedTaint(_ taints: [JSON], _ tolerations: [JSON], effects: Set<String>) -> JSON? {
        taints.first { taint in
            effects.contains(taint["effect"].string ?? "") && !tolerations.contains { Tolerations.tolerates($0, taint) }
        }
    }

}
