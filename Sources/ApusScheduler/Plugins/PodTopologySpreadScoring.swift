import Foundation

/// Matching pods per topology domain for each ScheduleAnyway constraint (hostname domains are
/// counted per node), and how much each constraint's counts weigh. Domains are numbered: zones by
/// the cache's zone numbers (nodes without the label share one extra number), other keys per cycle.
struct TopologySpreadScoreState {
    var constraints: [SpreadConstraint]
    /// Nodes lacking a topology label of an explicit constraint: they score 0.
    var ignoredNodes: Set<String> = []
    var zoneCount = 0
    /// Per constraint (other than zone and hostname): topology value → domain number.
    var domainNumbers: [[String: Int]]
    /// Per constraint: matching pods per domain, and whether a candidate node is in the domain.
    var domainCounts: [[Int64]]
    var candidateDomains: [[Bool]]
    /// Per constraint, the domain number of each scored node (by position; -1 for none).
    var nodeDomains: [[Int]]
    var weights: [Double]
    /// For the default constraints: live pods of the pod's controller per node slot.
    var controllerPodsBySlot: [Int32] = []

    /// The domain of `node` for constraint `index`; `create` numbers values not seen yet.
    mutating func domain(_ index: Int, of node: NodeInfo, create: Bool) -> Int? {
        let key = constraints[index].topologyKey
        if key == SchedulingNode.zoneLabel { return node.zoneNumber >= 0 ? node.zoneNumber : zoneCount }
        let value = node.node.label(key) ?? ""
        if let number = domainNumbers[index][value] { return number }
        guard create else { return nil }
        let number = domainCounts[index].count
        domainNumbers[index][value] = number
        domainCounts[index].append(0)
        candidateDomains[index].append(false)
        return number
    }

    func domainCount(_ index: Int, of node: NodeInfo) -> Int64 {
        let number: Int?
        if constraints[index].topologyKey == SchedulingNode.zoneLabel {
            number = node.zoneNumber >= 0 ? node.zoneNumber : zoneCount
        } else {
            number = domainNumbers[index][node.node.label(constraints[index].topologyKey) ?? ""]
        }
        guard let number, candidateDomains[index][number] else { return 0 }
        return domainCounts[index][number]
    }
}

extension PodTopologySpreadPlugin {
    func preScore(_ state: inout CycleState, pod: SchedulingPod, nodes: [NodeInfo], cache: SchedulerCache) -> Status {
        if cache.nodeCount == 0 { return .skip }
        let constraints = constraints(for: pod, doNotSchedule: false)
        if constraints.isEmpty { return .skip }
        let hostname = SchedulingNode.hostnameLabel
        // Only explicit constraints need every topology label on a node (the system defaults do not).
        let requireAllTopologies = !pod.spreadConstraints.isEmpty
        let count = constraints.count
        let zoneSlots = constraints.map { $0.topologyKey == SchedulingNode.zoneLabel ? cache.zoneCount + 1 : 0 }
        var score = TopologySpreadScoreState(constraints: constraints, zoneCount: cache.zoneCount,
                                             domainNumbers: Array(repeating: [:], count: count),
                                             domainCounts: zoneSlots.map { Array(repeating: 0, count: $0) },
                                             candidateDomains: zoneSlots.map { Array(repeating: false, count: $0) },
                                             nodeDomains: Array(repeating: Array(repeating: -1, count: nodes.count), count: count),
                                             weights: Array(repeating: 0, count: count))
        var domainSizes = Array(repeating: 0, count: count)
        for (position, node) in nodes.enumerated() {
            if requireAllTopologies && !Self.hasAllTopologyKeys(node.node, constraints) {
                score.ignoredNodes.insert(node.name)
                continue
            }
            for index in 0..<count where constraints[index].topologyKey != hostname {
                guard let number = score.domain(index, of: node, create: true) else { continue }
                if !score.candidateDomains[index][number] {
                    score.candidateDomains[index][number] = true
                    domainSizes[index] += 1
                }
                if node.node.label(constraints[index].topologyKey) != nil { score.nodeDomains[index][position] = number }
            }
        }
        for index in 0..<count {
            let size = constraints[index].topologyKey == hostname ? nodes.count - score.ignoredNodes.count : domainSizes[index]
            score.weights[index] = log(Double(size + 2))
        }

        // Count matching pods of every node into the domains the candidate nodes span.
        func add(_ node: NodeInfo, pods: (SpreadConstraint) -> Int) {
            if requireAllTopologies && !Self.hasAllTopologyKeys(node.node, constraints) { return }
            for index in 0..<count where constraints[index].topologyKey != hostname {
                guard Self.includes(node.node, for: constraints[index], pod: pod),
                      let number = score.domain(index, of: node, create: false), score.candidateDomains[index][number] else { continue }
                score.domainCounts[index][number] += Int64(pods(constraints[index]))
            }
        }
        let needsDomainCounts = constraints.contains { $0.topologyKey != hostname }
        if pod.spreadConstraints.isEmpty, let controller = pod.controllerUID {
            // Default constraints select the controller's pods: only nodes holding some matter.
            score.controllerPodsBySlot = Array(repeating: 0, count: cache.slotCapacity)
            for (nodeName, pods) in cache.controllerPlacement[controller] ?? [:] {
                guard let info = cache.nodeInfo(nodeName) else { continue }
                score.controllerPodsBySlot[info.slot] = Int32(clamping: pods)
                if needsDomainCounts { add(info) { _ in pods } }
            }
        } else if needsDomainCounts {
            for info in cache.nodeList {
                add(info) { Self.countMatching(info, $0.selector, namespace: pod.namespace) }
            }
        }
        state.topologySpreadScore = score
        return .success
    }

    /// Σ over constraints of (matching pods in the node's domain × weight + maxSkew − 1); lower is
    /// better (normalized in reverse).
    func score(_ state: CycleState, pod: SchedulingPod, node: NodeInfo) -> Int64 {
        guard let spread = state.topologySpreadScore else { return 0 }
        if !spread.ignoredNodes.isEmpty && spread.ignoredNodes.contains(node.name) { return 0 }
        var total = 0.0
        for (index, constraint) in spread.constraints.enumerated() {
            guard node.node.label(constraint.topologyKey) != nil else { continue }
            let count = constraint.topologyKey == SchedulingNode.hostnameLabel
                ? hostCount(spread, constraint, pod: pod, node: node) : spread.domainCount(index, of: node)
            total += Double(count) * spread.weights[index] + Double(constraint.maxSkew - 1)
        }
        return Int64(total.rounded())
    }

    /// The same as `score` per node, reading the domains PreScore resolved for these positions.
    func score(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], into scores: inout [Int64]) {
        guard let spread = state.topologySpreadScore, spread.nodeDomains.first?.count == nodes.count else {
            for index in nodes.indices { scores[index] = score(state, pod: pod, node: nodes[index]) }
            return
        }
        let hostname = SchedulingNode.hostnameLabel
        for (position, node) in nodes.enumerated() {
            if !spread.ignoredNodes.isEmpty && spread.ignoredNodes.contains(node.name) {
                scores[position] = 0
                continue
            }
            var total = 0.0
            for (index, constraint) in spread.constraints.enumerated() {
                let count: Int64
                if constraint.topologyKey == hostname {
                    guard node.node.hostnameValue != nil else { continue }
                    count = hostCount(spread, constraint, pod: pod, node: node)
                } else {
                    let domain = spread.nodeDomains[index][position]
                    guard domain >= 0 else { continue }
                    count = spread.domainCounts[index][domain]
                }
                total += Double(count) * spread.weights[index] + Double(constraint.maxSkew - 1)
            }
            scores[position] = Int64(total.rounded())
        }
    }

    private func hostCount(_ spread: TopologySpreadScoreState, _ constraint: SpreadConstraint, pod: SchedulingPod, node: NodeInfo) -> Int64 {
        if case .controller = constraint.selector {
            return node.slot < spread.controllerPodsBySlot.count ? Int64(spread.controllerPodsBySlot[node.slot]) : 0
        }
        return Int64(Self.countMatching(node, constraint.selector, namespace: pod.namespace))
    }

    func normalize(_ state: CycleState, pod: SchedulingPod, nodes: [NodeInfo], scores: inout [Int64]) {
        guard let spread = state.topologySpreadScore else { return }
        var lowest = Int64.max
        var highest: Int64 = 0
        var ignored = [Bool](repeating: false, count: scores.count)
        for index in scores.indices {
            if !spread.ignoredNodes.isEmpty && spread.ignoredNodes.contains(nodes[index].name) {
                ignored[index] = true
                continue
            }
            lowest = min(lowest, scores[index])
            highest = max(highest, scores[index])
        }
        for index in scores.indices {
            if ignored[index] {
                scores[index] = 0
            } else if highest == 0 {
                scores[index] = NodeScore.max
            } else {
                scores[index] = NodeScore.max * (highest + lowest - scores[index]) / highest
            }
        }
    }
}
