/// The DefaultPreemption PostFilter: when no node fits, find nodes where removing lower-priority
/// pods would let the pod fit, pick the node whose victims matter least, and plan their deletion.
/// (PodDisruptionBudgets are not consulted: every victim counts as not violating one.)
struct DefaultPreemption {
    /// What to do to make room: delete `victims` on `nodeName`, nominate the pod there, and clear
    /// the nominations of lower-priority pods nominated to the same node.
    struct Plan {
        var nodeName: String
        var victims: [SchedulingPod]
        var nominationsToClear: [SchedulingPod]
    }

    enum Outcome {
        case preempt(Plan)
        /// No preemption. `clearNomination`: drop the pod's nominated node (it cannot help).
        case failed(message: String, clearNomination: Bool)
    }

    static let minCandidateNodesPercentage = 10
    static let minCandidateNodesAbsolute = 100
    static let notHelpful = "Preemption is not helpful for scheduling"
    static let noVictims = "No preemption victims found for incoming pod"

    let framework: SchedulingFramework

    func preempt(_ pod: SchedulingPod, state: CycleState, statuses: NodeStatuses, cache: SchedulerCache, nominator: Nominator,
                 now: Double, random: inout SplitMix64) -> Outcome {
        if let reason = ineligibility(pod, statuses: statuses, cache: cache, nominator: nominator) {
            return .failed(message: reason, clearNomination: false)
        }
        let allNodes = cache.nodeList
        // Only nodes that rejected the pod as Unschedulable can be helped by removing pods.
        let potential = allNodes.filter { statuses.status(of: $0.name).code == .unschedulable }
        var dryRun = NodeStatuses()
        dryRun.absent = Status(.unschedulableAndUnresolvable, Self.notHelpful)
        var candidates: [Candidate] = []
        if !potential.isEmpty {
            let offset = Int.random(in: 0..<potential.count, using: &random)
            let wanted = Self.candidateCount(potential.count)
            for step in 0..<potential.count {
                let node = potential[(offset + step) % potential.count]
                let result = selectVictims(pod, state: state, node: node.clone(), nominator: nominator, now: now)
                switch result {
                case .success(let victims) where !victims.isEmpty:
                    candidates.append(Candidate(nodeName: node.name, victims: victims))
                case .success:
                    dryRun.set(node.name, Status(.error, "expected at least one victim pod on node \"\(node.name)\""))
                case .failure(let status):
                    dryRun.set(node.name, status)
                }
                if candidates.count >= wanted { break }
            }
        }
        guard let chosen = Candidate.pick(candidates, now: now) else {
            var diagnosis = Diagnosis()
            diagnosis.nodeStatuses = dryRun
            return .failed(message: FitError(numAllNodes: allNodes.count, diagnosis: diagnosis).message, clearNomination: true)
        }
        let lowerNominated = nominator.pods(on: chosen.nodeName).filter { $0.priority < pod.priority && $0.uid != pod.uid }
        return .preempt(Plan(nodeName: chosen.nodeName, victims: chosen.victims, nominationsToClear: lowerNominated))
    }

    /// Why the pod may not preempt: preemptionPolicy Never, or victims it already chose on its
    /// nominated node are still terminating.
    func ineligibility(_ pod: SchedulingPod, statuses: NodeStatuses, cache: SchedulerCache, nominator: Nominator) -> String? {
        if !pod.preemptsLowerPriority { return "not eligible due to preemptionPolicy=Never." }
        let nominated = nominator.node(of: pod.uid) ?? pod.nominatedNodeName
        guard !nominated.isEmpty else { return nil }
        // The nominated node cannot take the pod anyway: look elsewhere.
        if statuses.status(of: nominated).code == .unschedulableAndUnresolvable { return nil }
        if let node = cache.nodeInfo(nominated),
           node.pods.contains(where: { $0.priority < pod.priority && $0.isTerminatingByPreemption }) {
            return "not eligible due to a terminating pod on the nominated node."
        }
        return nil
    }

    /// How many candidate nodes the dry run looks for: 10% of the potential nodes, at least 100.
    static func candidateCount(_ potential: Int) -> Int {
        let count = max(potential * minCandidateNodesPercentage / 100, minCandidateNodesAbsolute)
        return min(count, potential)
    }
}
