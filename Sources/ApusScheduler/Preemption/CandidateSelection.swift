/// A node where preemption would work, and the pods it would remove (most important first).
struct Candidate {
    var nodeName: String
    var victims: [SchedulingPod]

    /// Kubernetes' pickOneNodeForPreemption, each criterion breaking the previous one's ties:
    /// fewest PDB violations (always 0 here), lowest highest-victim priority, lowest sum of
    /// priorities, fewest victims, latest start of the highest-priority victims; then the first.
    static func pick(_ candidates: [Candidate], now: Double) -> Candidate? {
        if candidates.count <= 1 { return candidates.first }
        let criteria: [(Candidate) -> Int64] = [
            { -Int64($0.victims.first?.priority ?? 0) },
            { candidate in -candidate.victims.reduce(Int64(0)) { $0 + Int64($1.priority) + Int64(Int32.max) + 1 } },
            { -Int64($0.victims.count) },
            { Int64((earliestStart(of: $0.victims, now: now) * 1_000_000).rounded()) },
        ]
        var remaining = candidates
        for score in criteria {
            var best = Int64.min
            var selected: [Candidate] = []
            for candidate in remaining {
                let value = score(candidate)
                if value > best {
                    best = value
                    selected = [candidate]
                } else if value == best {
                    selected.append(candidate)
                }
            }
            if selected.count == 1 { return selected[0] }
            remaining = selected
        }
        return remaining.first
    }

    /// The earliest start time among the victims of the highest priority.
    static func earliestStart(of victims: [SchedulingPod], now: Double) -> Double {
        guard let first = victims.first else { return now }
        var highest = first.priority
        var earliest = first.startTime ?? now
        for victim in victims {
            let start = victim.startTime ?? now
            if victim.priority == highest {
                earliest = min(earliest, start)
            } else if victim.priority > highest {
                highest = victim.priority
                earliest = start
            }
        }
        return earliest
    }
}
