import ApusMachinery

/// spec.successPolicy of Indexed Jobs: the first rule met by the succeeded indexes (all of its
/// succeededIndexes, or succeededCount of them, or succeededCount indexes at all) makes the Job
/// succeed early, with reason SuccessPolicy.
enum JobSuccessPolicy {
    /// "Matched rules at index <n>" for the first rule met, nil when none is.
    static func match(_ policy: JSON, completions: Int, succeeded: JobIndexIntervals) -> String? {
        guard let rules = policy["rules"].array, !succeeded.isEmpty else { return nil }
        for (position, rule) in rules.enumerated() {
            let count = rule["succeededCount"].int.map { Int($0) }
            if let text = rule["succeededIndexes"].string {
                let required = JobIndexIntervals(parsing: text, completions: completions)
                if required.isEmpty { continue }
                let overlap = overlapCount(required, succeeded)
                if overlap == required.total || (count.map { overlap >= $0 } ?? false) {
                    return "Matched rules at index \(position)"
                }
            } else if let count, succeeded.total >= count {
                return "Matched rules at index \(position)"
            }
        }
        return nil
    }

    /// How many indexes the two sets share.
    private static func overlapCount(_ a: JobIndexIntervals, _ b: JobIndexIntervals) -> Int {
        var shared = 0
        var i = 0
        var j = 0
        let x = a.intervals
        let y = b.intervals
        while i < x.count, j < y.count {
            let overlap = min(x[i].last, y[j].last) - max(x[i].first, y[j].first) + 1
            if overlap > 0 { shared += overlap }
            if y[j].last < x[i].last { j += 1 } else if y[j].last > x[i].last { i += 1 } else { i += 1; j += 1 }
        }
        return shared
    }
}
