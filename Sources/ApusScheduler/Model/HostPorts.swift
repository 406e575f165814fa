import ApusMachinery

/// A container port bound on the node (`hostPort` > 0).
struct HostPort: Sendable, Hashable {
    var ip: String
    var `protocol`: String
    var port: Int32

    static let anyIP = "0.0.0.0"

    init(ip: String = "", protocol: String = "", port: Int32) {
        self.ip = ip.isEmpty ? Self.anyIP : ip
        self.protocol = `protocol`.isEmpty ? "TCP" : `protocol`
        self.port = port
    }
}

/// The host ports pods on a node use, to find conflicts as Kubernetes' HostPortInfo does:
/// 0.0.0.0 conflicts with every address on the same protocol and port.
struct HostPortUsage: Sendable, Equatable {
    private struct ProtocolPort: Hashable {
        var proto: String
        var port: Int32
    }

    /// For each protocol/port, how many pods use it per address.
    private var used: [ProtocolPort: [String: Int]] = [:]

    var isEmpty: Bool { used.isEmpty }

    mutating func add(_ port: HostPort) {
        used[ProtocolPort(proto: port.protocol, port: port.port), default: [:]][port.ip, default: 0] += 1
    }

    mutating func remove(_ port: HostPort) {
        let key = ProtocolPort(proto: port.protocol, port: port.port)
        guard var addresses = used[key], let count = addresses[port.ip] else { return }
        addresses[port.ip] = count > 1 ? count - 1 : nil
        used[key] = addresses.isEmpty ? nil : addresses
    }

    func conflicts(with port: HostPort) -> Bool {
        guard port.port > 0, let addresses = used[ProtocolPort(proto: port.protocol, port: port.port)] else { return false }
        if port.ip == HostPort.anyIP { return !addresses.isEmpty }
        return addresses[port.ip] != nil || addresses[HostPort.anyIP] != nil
    }
}
