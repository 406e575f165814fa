import ApusControllerKit
import ApusMachinery

/// Kubernetes' node IPAM controller (range allocator): gives every node without a pod CIDR the
/// lowest free /24 of the cluster CIDR, which its kubelet hands to the CNI plugins. Nodes that
/// register with a pod CIDR of their own keep it, and it counts as taken.
public struct NodeIPAMController: ControlLoop {
    public let name = "nodeipam"
    let context: ControllerContext
    let cluster: IPv4Range
    let taken = TakenRanges()

    /// `clusterCIDR` is an IPv4 range of prefix /8 to /24 (10.42.0.0/16 by default).
    public init(context: ControllerContext, clusterCIDR: String) {
        self.context = context
        cluster = IPv4Range(cidr: clusterCIDR) ?? IPv4Range(cidr: "10.42.0.0/16")!
    }

    /// One worker: two nodes are never given a range at the same time.
    public var workers: Int { 1 }

    public var watches: [LoopWatch] { [.primary(.nodes)] }

    public func sync(_ key: String) async -> SyncResult {
        let nodes = await context.lister(.nodes).list()
        for other in nodes {
            for cidr in other["spec"]["podCIDRs"].array ?? [] {
                if let range = cidr.string.flatMap(IPv4Range.init(cidr:)) { await taken.insert(range.base) }
            }
        }
        guard let node = await context.lister(.nodes).get(key) else { return .done }
        if let existing = node["spec"]["podCIDR"].string, !existing.isEmpty { return .done }
        guard let free = await taken.reserveLowest(in: cluster) else {
            await context.events("node-controller").record(node, type: "Normal", reason: "CIDRNotAvailable",
                                                           message: "Node \(key) status is now: CIDRNotAvailable")
            return .requeue(after: 30)
        }
        let cidr = free.description
        let patch: JSON = ["spec": ["podCIDR": .string(cidr), "podCIDRs": [.string(cidr)]]]
        do {
            _ = try await context.writer.patch(.nodes, namespace: nil, name: key, type: .strategic, patch)
            return .done
        } catch {
            await taken.release(free.base)
            return error.code == 404 ? .done : .retry
        }
    }
}

/// The /24s given out, by their first address.
actor TakenRanges {
    private var bases = Set<UInt32>()

    func insert(_ base: UInt32) { bases.insert(base) }
    func release(_ base: UInt32) { bases.remove(base) }

    func reserveLowest(in cluster: IPv4Range) -> IPv4Range? {
        guard cluster.prefix <= 24 else { return nil }
        let count = UInt32(1) << UInt32(24 - cluster.prefix)
        for index in 0..<count {
            let base = cluster.base + index << 8
            if !bases.contains(base) {
                bases.insert(base)
                return IPv4Range(base: base, prefix: 24)
            }
        }
        return nil
    }
}

/// An IPv4 CIDR range.
struct IPv4Range: CustomStringConvertible, Equatable {
    var base: UInt32
    var prefix: Int

    init(base: UInt32, prefix: Int) {
        self.base = base
        self.prefix = prefix
    }

    init?(cidr: String) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix) else { return nil }
        let octets = parts[0].split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        let address = octets.reduce(0) { $0 << 8 | $1 }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
        base = address & mask
        self.prefix = prefix
    }

    var description: String {
        "\(base >> 24).\(base >> 16 & 255).\(base >> 8 & 255).\(base & 255)/\(prefix)"
    }
}
