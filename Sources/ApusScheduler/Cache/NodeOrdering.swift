/// The order nodes are examined in: round-robin over zones (as Kubernetes' node tree lists them),
/// so a partial scan of the cluster still covers every zone.
struct NodeOrdering {
    private var zones: [String] = []
    private var members: [String: [String]] = [:]
    private var zoneOfNode: [String: String] = [:]

    /// Returns whether the order changed (a new node, or one that moved zones).
    @discardableResult
    mutating func add(_ name: String, zone: String) -> Bool {
        if let current = zoneOfNode[name] {
            if current == zone { return false }
            remove(name)
        }
        if members[zone] == nil { zones.append(zone) }
        members[zone, default: []].append(name)
        zoneOfNode[name] = zone
        return true
    }

    mutating func remove(_ name: String) {
        guard let zone = zoneOfNode.removeValue(forKey: name) else { return }
        members[zone]?.removeAll { $0 == name }
        if members[zone]?.isEmpty ?? false {
            members[zone] = nil
            zones.removeAll { $0 == zone }
        }
    }

    /// Node names, one from each zone in turn.
    func list() -> [String] {
        var result: [String] = []
        result.reserveCapacity(zoneOfNode.count)
        let columns = zones.map { members[$0] ?? [] }
        var index = 0
        while result.count < zoneOfNode.count {
            var added = false
            for column in columns where index < column.count {
                result.append(column[index])
                added = true
            }
            if !added { break }
            index += 1
        }
        return result
    }
}
