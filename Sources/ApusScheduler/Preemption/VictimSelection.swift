extension DefaultPreemption {
    enum VictimSearch {
        case success([SchedulingPod])
        case failure(Status)
    }

    /// The fewest lower-priority pods to remove from `node` (a copy) for `pod` to fit: remove them
    /// all, check the pod fits, then give back as many as possible, most important first.
    func selectVictims(_ pod: SchedulingPod, state original: CycleState, node: NodeInfo, nominator: Nominator, now: Double) -> VictimSearch {
        var state = original
        var potential = node.pods.filter { $0.priority < pod.priority }
        if potential.isEmpty { return .failure(Status(.unschedulableAndUnresolvable, Self.noVictims)) }
        for victim in potential {
            node.remove(uid: victim.uid)
            framework.removePod(&state, pod: pod, removing: victim, from: node)
        }
        let nominated = nominator.pods(on: node.name)
        let fits = framework.runFilters(state, pod: pod, node: node, nominated: nominated)
        if !fits.isSuccess { return .failure(fits) }

        potential.sort { SchedulingPod.isMoreImportant($0, than: $1, now: now) }
        var victims: [SchedulingPod] = []
        for candidate in potential {
            node.add(candidate)
            framework.addPod(&state, pod: pod, adding: candidate, on: node)
            if !framework.runFilters(state, pod: pod, node: node, nominated: nominated).isSuccess {
                node.remove(uid: candidate.uid)
                framework.removePod(&state, pod: pod, removing: candidate, from: node)
                victims.append(candidate)
            }
        }
        return .success(victims)
    }
}
