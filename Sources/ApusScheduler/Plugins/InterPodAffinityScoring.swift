/// Topology key → value → summed weights of matching preferred (and existing required) terms.
struct InterPodAffinityScoreState {
    var topologyScore: [String: [String: Int64]] = [:]

    mutating func add(_ term: PodAffinityTerm, weight: Int64, ifSelects pod: SchedulingPod, nodeLabels: [String: String],
                      namespaceLabels: [String: [String: String]]) {
        guard let value = nodeLabels[term.topologyKey], term.matches(pod, namespaceLabels: namespaceLabels) else { return }
        topologyScore[term.topologyKey, default: [:]][value, default: 0] += weight
    }
}

extension InterPodAffinityPlugin {
    func preScore(_ state: inout CycleState, pod: SchedulingPod, nodes: [NodeInfo], cache: SchedulerCache) -> Status {
        let hasPreferences = !pod.preferredAffinityTerms.isEmpty || !pod.preferredAntiAffinityTerms.isEmpty
        if !hasPreferences && cache.podsWithAffinityCount == 0 { return .skip }
        let namespaceLabels = state.namespaceLabels
        var score = InterPodAffinityScoreState()
        for node in cache.nodeList {
            let labels = node.node.labels
            // Without own preferences only existing pods' affinity can matter.
            let existingPods = hasPreferences ? node.pods : node.podsWithAffinity
            if labels.isEmpty || existingPods.isEmpty { continue }
            for existing in existingPods {
                for preferred in pod.preferredAffinityTerms {
                    score.add(preferred.term, weight: preferred.weight, ifSelects: existing, nodeLabels: labels, namespaceLabels: namespaceLabels)
                }
                for preferred in pod.preferredAntiAffinityTerms {
                    score.add(preferred.term, weight: -preferred.weight, ifSelects: existing, nodeLabels: labels, namespaceLabels: namespaceLabels)
                }
                if hardPodAffinityWeight > 0 {
                    for term in existing.requiredAffinityTerms {
                        score.add(term, weight: hardPodAffinityWeight, ifSelects: pod, nodeLabels: labels, namespaceLabels: namespaceLabels)
                    }
                }
                for preferred in existing.preferredAffinityTerms {
                    score.add(preferred.term, weight: preferred.weight, ifSelects: pod, nodeLabels: labels, namespaceLabels: namespaceLabels)
                }
                for preferred in existing.preferredAntiAffinityTerms {
                    score.add(preferred.term, weight: -preferred.weight, ifSelects: pod, nodeLabels: labels, namespaceLabels: namespaceLabels)
                }
            }
        }
        if score.topologyScore.isEmpty { return .skip }
        state.interPodAffinityScore = score
        return .success
    }

    func score(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Int64 {
        guard let affinity = state.interPodAffinityScore else { return 0 }
        var total: Int64 = 0
        for (key, values) in affinity.topologyScore {
            if let value = node.node.labels[key] { total += values[value] ?? 0 }
        }
        return total
    }

    /// Min–max scaling onto 0...100.
    func normalize(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], scores: inout [Int64]) {
        guard let affinity = state.interPodAffinityScore, !affinity.topologyScore.isEmpty,
              let lowest = scores.min(), let highest = scores.max() else { return }
        let spread = highest - lowest
        for index in scores.indices {
            scores[index] = spread > 0 ? Int64(Double(NodeScore.max) * (Double(scores[index] - lowest) / Double(spread))) : 0
        }
    }
}
