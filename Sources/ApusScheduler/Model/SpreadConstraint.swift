import ApusMachinery

/// Which pods a topology spread constraint counts.
enum SpreadSelector: Sendable {
    /// Pods whose labels match (an explicit constraint's labelSelector, with matchLabelKeys merged).
    case labels(LabelSelector)
    /// Pods controlled by the same ReplicaSet, ReplicationController or StatefulSet: what the
    /// system default constraints select (Kubernetes derives that selector from the controller
    /// and from Services; Apus has no Service informer here, so only the controller counts).
    case controller(String)

    func matches(_ pod: SchedulingPod) -> Bool {
        switch self {
        case .labels(let selector): return selector.matches(pod.labels)
        case .controller(let uid): return pod.controllerUID == uid
        }
    }
}

/// A topology spread constraint as the plugin evaluates it: one of the pod's own, or a system default.
struct SpreadConstraint: Sendable {
    var maxSkew: Int
    var topologyKey: String
    /// whenUnsatisfiable DoNotSchedule (filters) rather than ScheduleAnyway (scores).
    var doNotSchedule: Bool
    var selector: SpreadSelector
    var minDomains: Int
    /// nodeAffinityPolicy Honor (the default): only nodes matching the pod's node affinity count.
    var honorNodeAffinity: Bool
    /// nodeTaintsPolicy Honor (default Ignore): only nodes whose taints the pod tolerates count.
    var honorNodeTaints: Bool
}

extension SpreadConstraint {
    /// `spec.topologySpreadConstraints[]`; `podLabels` supply the values of `matchLabelKeys`,
    /// which are ANDed into the selector.
    init(json: JSON, podLabels: [String: String]) {
        maxSkew = Int(json["maxSkew"].int ?? 1)
        topologyKey = json["topologyKey"].string ?? ""
        doNotSchedule = (json["whenUnsatisfiable"].string ?? "DoNotSchedule") == "DoNotSchedule"
        var selector = (try? LabelSelector.from(json["labelSelector"])) ?? .nothing
        let keys = (json["matchLabelKeys"].array ?? []).compactMap(\.string)
        if !keys.isEmpty && !selector.matchesNothing {
            for key in keys {
                if let value = podLabels[key] {
                    selector.requirements.append(.init(key: key, op: .in, values: [value]))
                }
            }
        }
        self.selector = .labels(selector)
        minDomains = max(Int(json["minDomains"].int ?? 1), 1)
        honorNodeAffinity = (json["nodeAffinityPolicy"].string ?? "Honor") == "Honor"
        honorNodeTaints = (json["nodeTaintsPolicy"].string ?? "Ignore") == "Honor"
    }
}
