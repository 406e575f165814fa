/// A set of completion indexes kept as sorted, disjoint, non-adjacent intervals: the form of an
/// Indexed Job's `status.completedIndexes` ("1,3-5,7").
struct JobIndexIntervals: Sendable, Equatable, CustomStringConvertible {
    struct Interval: Sendable, Equatable {
        var first: Int
        var last: Int
    }

    private(set) var intervals: [Interval] = []

    init(_ intervals: [Interval] = []) { self.intervals = intervals }

    /// Parses the status text, dropping indexes at or above `completions` and skipping malformed parts,
    /// as the Job controller does when it reads its own status back.
    init(parsing text: String, completions: Int) {
        guard !text.isEmpty else { return }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let limits = part.split(separator: "-", omittingEmptySubsequences: false)
            guard let first = Int(limits[0]) else { continue }
            if first >= completions { break }
            var last = first
            if limits.count > 1 {
                guard let parsed = Int(limits[1]) else { continue }
                last = min(parsed, completions - 1)
            }
            if let previous = intervals.last, previous.last == first - 1 {
                intervals[intervals.count - 1].last = last
            } else {
                intervals.append(Interval(first: first, last: last))
            }
        }
    }

    /// How many indexes the set holds.
    var total: Int { intervals.reduce(0) { $0 + $1.last - $1.first + 1 } }

    var isEmpty: Bool { intervals.isEmpty }

    func contains(_ index: Int) -> Bool {
        var low = 0
        var high = intervals.count
        while high > low {
            let mid = low + (high - low) / 2
            if intervals[mid].last >= index { high = mid } else { low = mid + 1 }
        }
        return high < intervals.count && intervals[high].first <= index
    }

    /// The set with `indexes` (in increasing order) added.
    func adding(sorted indexes: [Int]) -> JobIndexIntervals {
        merging(JobIndexIntervals(indexes.map { Interval(first: $0, last: $0) }))
    }

    func merging(_ other: JobIndexIntervals) -> JobIndexIntervals {
        var result: [Interval] = []
        func append(_ interval: Interval) {
            if let last = result.last, interval.first <= last.last + 1 {
                if last.last < interval.last { result[result.count - 1].last = interval.last }
            } else {
                result.append(interval)
            }
        }
        var i = 0
        var j = 0
        let a = intervals
        let b = other.intervals
        while i < a.count, j < b.count {
            if a[i].first < b[j].first { append(a[i]); i += 1 } else { append(b[j]); j += 1 }
        }
        while i < a.count { append(a[i]); i += 1 }
        while j < b.count { append(b[j]); j += 1 }
        return JobIndexIntervals(result)
    }

    /// Kubernetes' compressed text: a pair of neighbours is written "3,4", longer runs "3-7".
    var description: String {
        intervals.map { interval in
            if interval.last == interval.first { return "\(interval.first)" }
            let separator = interval.last == interval.first + 1 ? "," : "-"
            return "\(interval.first)\(separator)\(interval.last)"
        }.joined(separator: ",")
    }

    /// The lowest `count` indexes below `completions` that are not in the set.
    func firstMissing(count: Int, below completions: Int) -> [Int] {
        guard count > 0 else { return [] }
        var result: [Int] = []
        var candidate = 0
        for interval in intervals {
            while candidate < completions, result.count < count, candidate < interval.first {
                result.append(candidate)
                candidate += 1
            }
            if candidate < interval.last + 1 { candidate = interval.last + 1 }
        }
        while candidate < completions, result.count < count {
            result.append(candidate)
            candidate += 1
        }
        return result
    }
}
