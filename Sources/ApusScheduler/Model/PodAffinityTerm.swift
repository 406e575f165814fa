import ApusMachinery

/// A parsed `podAffinityTerm`: which pods (namespaces and labels) it selects, and over which node
/// topology it applies.
struct PodAffinityTerm: Sendable {
    var namespaces: Set<String>
    /// nil when the term has no namespaceSelector; `{}` selects every namespace.
    var namespaceSelector: LabelSelector?
    var selector: LabelSelector
    var topologyKey: String

    /// Terms without namespaces and without a namespace selector mean the owning pod's namespace.
    init(json: JSON, ownerNamespace: String) {
        let listed = (json["namespaces"].array ?? []).compactMap(\.string)
        let nsSelectorJSON = json["namespaceSelector"]
        namespaceSelector = nsSelectorJSON.isNull ? nil : ((try? LabelSelector.from(nsSelectorJSON)) ?? .nothing)
        namespaces = listed.isEmpty && namespaceSelector == nil ? [ownerNamespace] : Set(listed)
        selector = (try? LabelSelector.from(json["labelSelector"])) ?? .nothing
        topologyKey = json["topologyKey"].string ?? ""
    }

    /// Whether `pod` is selected; `namespaceLabels` are the labels of namespaces by name.
    func matches(_ pod: SchedulingPod, namespaceLabels: [String: [String: String]]) -> Bool {
        if !namespaces.contains(pod.namespace) {
            guard let namespaceSelector, !namespaceSelector.matchesNothing else { return false }
            if !namespaceSelector.isEmpty {
                guard let labels = namespaceLabels[pod.namespace], namespaceSelector.matches(labels) else { return false }
            }
        }
        return selector.matches(pod.labels)
    }
}

struct WeightedPodAffinityTerm: Sendable {
    var weight: Int64
    var term: PodAffinityTerm
}
