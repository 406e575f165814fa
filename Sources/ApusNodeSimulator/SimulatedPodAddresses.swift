/// Pod IPs of simulated nodes: each node hands out addresses from its /24 of the cluster CIDR,
/// never two live pods the same one.
actor SimulatedPodAddresses {
    private var used: [Int: Set<Int>] = [:]
    private var byPod: [String: (node: Int, host: Int)] = [:]
    private var next: [Int: Int] = [:]

    /// The pod's address, assigning one on first request.
    func address(for podKey: String, node: Int) -> String {
        if let known = byPod[podKey], known.node == node { return Self.format(node: node, host: known.host) }
        var host = next[node, default: 2]
        for _ in 0..<253 where used[node, default: []].contains(host) {
            host = host >= 254 ? 2 : host + 1
        }
        used[node, default: []].insert(host)
        byPod[podKey] = (node, host)
        next[node] = host >= 254 ? 2 : host + 1
        return Self.format(node: node, host: host)
    }

    /// An address already in a pod's status (after a restart of the simulator) stays taken.
    func adopt(_ address: String, podKey: String, node: Int) {
        guard byPod[podKey] == nil, let host = address.split(separator: ".").last.flatMap({ Int($0) }) else { return }
        used[node, default: []].insert(host)
        byPod[podKey] = (node, host)
    }

    func release(_ podKey: String) {
        guard let known = byPod.removeValue(forKey: podKey) else { return }
        used[known.node]?.remove(known.host)
    }

    static func format(node: Int, host: Int) -> String { "10.42.\(node % 256).\(host)" }
}
