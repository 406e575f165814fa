/// Per-node outcomes of a cycle: explicit statuses for nodes evaluated, and one status standing
/// for every node not listed (e.g. nodes a PreFilter excluded).
struct NodeStatuses {
    private(set) var explicit: [String: Status] = [:]
    var absent = Status(.unschedulableAndUnresolvable)

    var count: Int { explicit.count }

    mutating func set(_ node: String, _ status: Status) { explicit[node] = status }

    func status(of node: String) -> Status { explicit[node] ?? absent }
}

/// Why a pod did not fit, collected for FailedScheduling and for requeueing.
struct Diagnosis {
    var nodeStatuses = NodeStatuses()
    /// Plugins that rejected the pod on some node: their events may make it schedulable.
    var unschedulablePlugins: Set<String> = []
    var preFilterMessage = ""
    var postFilterMessage = ""

    mutating func record(_ status: Status) {
        if status.isRejected && !status.plugin.isEmpty { unschedulablePlugins.insert(status.plugin) }
    }
}

/// No node fits the pod. `message` is Kubernetes' FailedScheduling text:
/// "0/N nodes are available: <PreFilter message>. | <count reason, ...>. [<PostFilter message>]".
struct FitError: Error {
    var numAllNodes: Int
    var diagnosis: Diagnosis

    var message: String {
        var text = "0/\(numAllNodes) nodes are available:"
        if !diagnosis.preFilterMessage.isEmpty {
            text += " \(diagnosis.preFilterMessage)."
        } else {
            var counts: [String: Int] = [:]
            for status in diagnosis.nodeStatuses.explicit.values {
                for reason in status.reasons { counts[reason, default: 0] += 1 }
            }
            let absentNodes = numAllNodes - diagnosis.nodeStatuses.count
            if absentNodes > 0 {
                for reason in diagnosis.nodeStatuses.absent.reasons { counts[reason, default: 0] += absentNodes }
            }
            // Sorted as Go sorts strings: by bytes, count first ("10 x" before "3 y").
            let histogram = counts.map { "\($0.value) \($0.key)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if !histogram.isEmpty { text += " " + histogram.joined(separator: ", ") + "." }
        }
        if !diagnosis.postFilterMessage.isEmpty { text += " " + diagnosis.postFilterMessage }
        return text
    }
}
