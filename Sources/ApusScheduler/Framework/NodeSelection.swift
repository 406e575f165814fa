/// How many nodes to examine, and which scored node wins.
enum NodeSelection {
    static let minFeasibleNodesToFind = 100
    static let minFeasibleNodesPercentageToFind = 5

    /// Kubernetes' adaptive percentageOfNodesToScore: with `percentage` 0, 50% minus 1% per 125
    /// nodes, at least 5%; never fewer than 100 nodes.
    static func numFeasibleNodesToFind(percentage configured: Int, numAllNodes: Int) -> Int {
        if numAllNodes < minFeasibleNodesToFind { return numAllNodes }
        var percentage = configured
        if percentage <= 0 {
            percentage = 50 - numAllNodes / 125
            if percentage < minFeasibleNodesPercentageToFind { percentage = minFeasibleNodesPercentageToFind }
        }
        if percentage >= 100 { return numAllNodes }
        let count = numAllNodes * percentage / 100
        return count < minFeasibleNodesToFind ? minFeasibleNodesToFind : count
    }

    /// The index of the highest total score; ties are broken uniformly at random (reservoir
    /// sampling, as selectHost does).
    static func selectHost(_ totals: [Int64], using random: inout some RandomNumberGenerator) -> Int? {
        guard var best = totals.first else { return nil }
        var selected = 0
        var ties = 1
        for index in totals.indices.dropFirst() {
            let score = totals[index]
            if score > best {
                best = score
                selected = index
                ties = 1
            } else if score == best {
                ties += 1
                if Int.random(in: 0..<ties, using: &random) == 0 { selected = index }
            }
        }
        return selected
    }
}
