import ApusMachinery

/// Services: TYPE, CLUSTER-IP, EXTERNAL-IP ("<none>", "<pending>", load-balancer addresses), PORT(S).
enum ServicePrinter {
    static let printer = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Type", "type determines how the Service is exposed."),
            Columns.string("Cluster-IP", "clusterIP is the IP address of the service."),
            Columns.string("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            Columns.string("Port(s)", "The list of ports that are exposed by this service."),
            Columns.age,
            Columns.string("Selector", "Route service traffic to pods with label keys and values matching this selector.", priority: 1),
        ],
        cells: { service, now in
            let spec = service["spec"]
            let type = Read.optionalString(spec, "type") ?? "ClusterIP"
            var clusterIPs = Read.array(spec, "clusterIPs").compactMap(\.string)
            if clusterIPs.isEmpty, let single = Read.optionalString(spec, "clusterIP"), !single.isEmpty {
                clusterIPs = [single]
            }
            let ports = portString(Read.array(spec, "ports"))
            return [
                .string(Read.name(service)),
                .string(type),
                .string(clusterIPs.first ?? "<none>"),
                .string(externalIP(service, type: type)),
                .string(ports.isEmpty ? "<none>" : ports),
                .string(Read.age(service, now: now)),
                .string(Format.labels(Read.stringMap(spec, "selector"))),
            ]
        })

    static func externalIP(_ service: JSON, type: String) -> String {
        let externalIPs = Read.array(service, "spec", "externalIPs").compactMap(\.string)
        switch type {
        case "ClusterIP", "NodePort":
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let balancer = loadBalancerAddresses(Read.array(service, "status", "loadBalancer", "ingress"))
            if !externalIPs.isEmpty { return (balancer + externalIPs).joined(separator: ",") }
            return balancer.isEmpty ? "<pending>" : balancer.joined(separator: ",")
        case "ExternalName":
            return Read.string(service, "spec", "externalName")
        default:
            return "<unknown>"
        }
    }

    /// Ingress points (IP, else hostname), sorted and de-duplicated; the server prints them unclipped.
    static func loadBalancerAddresses(_ ingress: [JSON]) -> [String] {
        var result = Set<String>()
        for point in ingress {
            let ip = Read.string(point, "ip")
            let hostname = Read.string(point, "hostname")
            if !ip.isEmpty { result.insert(ip) } else if !hostname.isEmpty { result.insert(hostname) }
        }
        return result.sorted()
    }

    /// "80/TCP" or "80:31234/TCP" per port, joined by ",". Protocol defaults to TCP as the API does.
    static func portString(_ ports: [JSON]) -> String {
        ports.map { port in
            let number = Read.int(port, "port")
            let proto = Read.optionalString(port, "protocol") ?? "TCP"
            let nodePort = Read.int(port, "nodePort")
            return nodePort > 0 ? "\(number):\(nodePort)/\(proto)" : "\(number)/\(proto)"
        }.joined(separator: ",")
    }
}
