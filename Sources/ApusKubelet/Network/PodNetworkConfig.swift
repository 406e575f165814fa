import ApusMachinery
import Foundation

/// The CNI network of a node's pods: a Linux bridge with host-local addresses from the node's pod
/// CIDR (the server allocates it), masquerading for traffic that leaves the pod network, and
/// portmap for hostPort. containerd reads the file from its CNI conf dir and adds the loopback
/// interface itself; until the file exists it reports NetworkReady=false.
public struct PodNetworkConfig: Sendable, Equatable {
    public static let fileName = "10-apus.conflist"

    public var podCIDR: String
    public var bridge: String
    /// Where host-local keeps its allocations (so they survive a restart).
    public var ipamDirectory: String
    /// The whole cluster's pod range: traffic inside it is not masqueraded.
    public var clusterCIDR: String

    public init(podCIDR: String, bridge: String = "apus0", ipamDirectory: String, clusterCIDR: String) {
        self.podCIDR = podCIDR
        self.bridge = bridge
        self.ipamDirectory = ipamDirectory
        self.clusterCIDR = clusterCIDR
    }

    public var json: JSON {
        [
            "cniVersion": "1.0.0",
            "name": "apus",
            "plugins": [
                ["type": "bridge", "bridge": .string(bridge), "isGateway": true, "ipMasq": true, "hairpinMode": true,
                 "ipam": ["type": "host-local", "ranges": [[["subnet": .string(podCIDR)]]],
                          "routes": [["dst": "0.0.0.0/0"]], "dataDir": .string(ipamDirectory)]],
                ["type": "portmap", "snat": true, "capabilities": ["portMappings": true]],
            ],
        ]
    }

    /// Writes the conflist into `directory` unless it already says the same.
    public func write(into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + Self.fileName
        let text = json.serializedString
        if (try? String(contentsOfFile: path, encoding: .utf8)) == text { return }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
