import ApusMachinery

/// Hands out service cluster IPs from the service CIDR and node ports from their range.
///
/// What is in use is read from the stored services each time (so a deleted service frees its
/// addresses with no bookkeeping), plus addresses handed out in the last minute that the store has
/// not shown yet (so two concurrent creates never get the same one).
public actor ServiceAllocator {
    public struct InUse: Sendable {
        public var clusterIPs: Set<UInt32>
        public var nodePorts: Set<Int>
        public init(clusterIPs: Set<UInt32> = [], nodePorts: Set<Int> = []) {
            self.clusterIPs = clusterIPs
            self.nodePorts = nodePorts
        }
    }

    public let network: UInt32
    public let prefixLength: Int
    public let nodePortRange: ClosedRange<Int>
    private let inUse: @Sendable () async -> InUse
    private var recentIPs: [UInt32: Double] = [:]
    private var recentPorts: [Int: Double] = [:]
    private let clock: any WallClock

    public init(cidr: String, nodePortRange: ClosedRange<Int> = 30000...32767, clock: any WallClock,
                inUse: @escaping @Sendable () async -> InUse) throws(APIError) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let address = IPv4.parse(String(parts[0])), let length = Int(parts[1]), (8...30).contains(length) else {
            throw APIError.badRequest("invalid service CIDR \(cidr)")
        }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << (32 - UInt32(length))
        network = address & mask
        prefixLength = length
        self.nodePortRange = nodePortRange
        self.clock = clock
        self.inUse = inUse
    }

    /// The first address of the range, kept for the `kubernetes` service.
    public nonisolated var apiServiceIP: String { IPv4.format(network + 1) }

    public nonisolated func contains(_ ip: String) -> Bool {
        guard let value = IPv4.parse(ip) else { return false }
        let mask: UInt32 = ~UInt32(0) << (32 - UInt32(prefixLength))
        return value & mask == network
    }

    private func expireRecent() {
        let cutoff = clock.now() - 60
        recentIPs = recentIPs.filter { $0.value > cutoff }
        recentPorts = recentPorts.filter { $0.value > cutoff }
    }

    /// Reserves `requested` if free, or the next free address when nil.
    public func allocateClusterIP(requested: String?) async throws(APIError) -> String {
        expireRecent()
        let used = await inUse().clusterIPs.union(recentIPs.keys)
        let size = UInt32(1) << (32 - UInt32(prefixLength))
        if let requested {
            guard let value = IPv4.parse(requested), contains(requested) else {
                throw APIError.invalid(kind: "Service", group: "", name: "", errors: [
                    .invalid("spec.clusterIPs", .string(requested), "failed to allocate IP \(requested): the provided IP (\(requested)) is not in the valid range. The range of valid IPs is \(IPv4.format(network))/\(prefixLength)")])
            }
            if used.contains(value) {
                throw APIError.invalid(kind: "Service", group: "", name: "", errors: [
                    .invalid("spec.clusterIPs", .string(requested), "failed to allocate IP \(requested): provided IP is already allocated")])
            }
            recentIPs[value] = clock.now()
            return requested
        }
        // Skip the network address, the API service address and the broadcast address.
        let start = UInt32.random(in: 2..<(size - 1))
        for offset in 0..<(size - 3) {
            let candidate = network + 2 + (start - 2 + offset) % (size - 3)
            if !used.contains(candidate) {
                recentIPs[candidate] = clock.now()
                return IPv4.format(candidate)
            }
        }
        throw APIError.internalError("failed to allocate a serviceIP: range is full")
    }

    public func allocateNodePort(requested: Int?) async throws(APIError) -> Int {
        expireRecent()
        let used = await inUse().nodePorts.union(recentPorts.keys)
        if let requested {
            guard nodePortRange.contains(requested) else {
                throw APIError.invalid(kind: "Service", group: "", name: "", errors: [
                    .invalid("spec.ports[0].nodePort", .int(Int64(requested)), "provided port is not in the valid range. The range of valid ports is \(nodePortRange.lowerBound)-\(nodePortRange.upperBound)")])
            }
            if used.contains(requested) {
                throw APIError.invalid(kind: "Service", group: "", name: "", errors: [
                    .invalid("spec.ports[0].nodePort", .int(Int64(requested)), "provided port is already allocated")])
            }
            recentPorts[requested] = clock.now()
            return requested
        }
        let count = nodePortRange.count
        let start = Int.random(in: 0..<count)
        for offset in 0..<count {
            let candidate = nodePortRange.lowerBound + (start + offset) % count
            if !used.contains(candidate) {
                recentPorts[candidate] = clock.now()
                return candidate
            }
        }
        throw APIError.internalError("range is full: no node port available")
    }
}

public enum IPv4 {
    public static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    public static func format(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}
