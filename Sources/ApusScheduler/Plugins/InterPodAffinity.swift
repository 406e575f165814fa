/// A node topology domain: a label key and one of its values.
struct TopologyPair: Hashable, Sendable {
    var key: String
    var value: String
}

/// Pod affinity and anti-affinity: required terms of the pod (and existing pods' required
/// anti-affinity against it) filter nodes by topology domain; preferred terms score them.
struct InterPodAffinityPlugin: PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    let name = "InterPodAffinity"
    static let affinityReason = "node(s) didn't match pod affinity rules"
    static let antiAffinityReason = "node(s) didn't match pod anti-affinity rules"
    static let existingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules"
    static let affinityRejection = Status(.unschedulableAndUnresolvable, affinityReason)
    static let antiAffinityRejection = Status(.unschedulable, antiAffinityReason)
    static let existingAntiAffinityRejection = Status(.unschedulable, existingAntiAffinityReason)

    /// What an existing pod's required affinity term matching the incoming pod adds to a domain.
    var hardPodAffinityWeight: Int64 = 1

    static func matchesAll(_ terms: [PodAffinityTerm], _ pod: SchedulingPod, namespaceLabels: [String: [String: String]]) -> Bool {
        !terms.isEmpty && terms.allSatisfy { $0.matches(pod, namespaceLabels: namespaceLabels) }
    }
}
