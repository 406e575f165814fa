import ApusMachinery

/// Builds core/v1 Endpoints subsets in their canonical form (RepackSubsets): addresses that offer
/// the same set of ports share one subset; an address not ready on some port is listed as not ready.
struct EndpointsSubsets {
    private struct Entry {
        var address: JSON
        var ready: Bool
    }

    /// Per port (nil: no ports, a headless service without ports), address key → entry.
    private var byPort: [JSON?: [String: Entry]] = [:]
    private var portOrder: [JSON?] = []
    private(set) var readyCount = 0
    private(set) var notReadyCount = 0

    /// addEndpointSubset: one address offering one port (or none).
    mutating func add(_ address: JSON, port: JSON?, ready: Bool) {
        if ready { readyCount += 1 } else { notReadyCount += 1 }
        let key = Self.addressKey(address)
        if byPort[port] == nil {
            byPort[port] = [:]
            portOrder.append(port)
        }
        if let existing = byPort[port]?[key] {
            // Not ready always wins over ready.
            if existing.ready && !ready { byPort[port]?[key]?.ready = false }
        } else {
            byPort[port]?[key] = Entry(address: address, ready: ready)
        }
    }

    /// The repacked, sorted subsets.
    var subsets: [JSON] {
        var groups: [String: (entries: [String: Entry], ports: [JSON?])] = [:]
        for port in portOrder {
            guard let entries = byPort[port] else { continue }
            let signature = entries.keys.sorted().map { "\($0)=\(entries[$0]?.ready == true)" }.joined(separator: ";")
            groups[signature, default: (entries, [])].ports.append(port)
        }
        var result: [JSON] = []
        for (_, group) in groups {
            let sorted = group.entries.values.sorted { Self.lessAddress($0.address, $1.address) }
            var subset = JSON.emptyObject
            let ready = sorted.filter(\.ready).map(\.address)
            let notReady = sorted.filter { !$0.ready }.map(\.address)
            if !ready.isEmpty { subset["addresses"] = .array(ready) }
            if !notReady.isEmpty { subset["notReadyAddresses"] = .array(notReady) }
            let ports = group.ports.compactMap { $0 }.sorted { $0.serializedString < $1.serializedString }
            if !ports.isEmpty { subset["ports"] = .array(ports) }
            result.append(subset)
        }
        return result.sorted { $0.serializedString < $1.serializedString }
    }

    /// Addresses are the same endpoint when IP and target uid agree.
    private static func addressKey(_ address: JSON) -> String {
        (address["ip"].string ?? "") + "|" + (address["targetRef"]["uid"].string ?? "")
    }

    /// LessEndpointAddress: by IP bytes, then target uid.
    private static func lessAddress(_ a: JSON, _ b: JSON) -> Bool {
        let ipA = a["ip"].string ?? "", ipB = b["ip"].string ?? ""
        if ipA != ipB { return Array(ipA.utf8).lexicographicallyPrecedes(Array(ipB.utf8)) }
        return (a["targetRef"]["uid"].string ?? "") < (b["targetRef"]["uid"].string ?? "")
    }

    /// The number of addresses in `subsets`.
    static func count(_ subsets: [JSON]) -> Int {
        subsets.reduce(0) { $0 + ($1["addresses"].array?.count ?? 0) + ($1["notReadyAddresses"].array?.count ?? 0) }
    }

    /// truncateEndpoints: keeps at most `capacity` addresses, ready ones first, each subset keeping
    /// its share. Returns nil when nothing had to go.
    static func truncated(_ subsets: [JSON], capacity: Int) -> [JSON]? {
        let totalReady = subsets.reduce(0) { $0 + ($1["addresses"].array?.count ?? 0) }
        let totalNotReady = subsets.reduce(0) { $0 + ($1["notReadyAddresses"].array?.count ?? 0) }
        guard totalReady + totalNotReady > capacity else { return nil }
        let truncateReady = totalReady > capacity
        let maximum = truncateReady ? capacity : capacity - totalReady
        let total = truncateReady ? totalReady : totalNotReady
        var canBeAdded = maximum
        var result = subsets
        for index in result.indices {
            let field = truncateReady ? "addresses" : "notReadyAddresses"
            let list = result[index][field].array ?? []
            let share = Int((Double(list.count) / Double(total) * Double(maximum)).rounded(.up))
            let keep = min(share, canBeAdded, list.count)
            result[index][field] = keep > 0 ? .array(Array(list.prefix(keep))) : .null
            if truncateReady { result[index]["notReadyAddresses"] = .null }
            canBeAdded -= keep
        }
        return result
    }
}
