import ApusMachinery

/// Service write defaults and address allocation (core/v1 defaults.go and the service REST storage).
enum ServiceDefaults {
    static func defaults(_ service: inout JSON, _: WriteContext) {
        var spec = service["spec"]
        guard case .object = spec else { return }
        setIfMissing(&spec, "type", "ClusterIP")
        let type = spec["type"].string ?? "ClusterIP"
        setIfMissing(&spec, "sessionAffinity", "None")
        if type != "ExternalName" {
            setIfMissing(&spec, "internalTrafficPolicy", "Cluster")
        }
        if type == "NodePort" || type == "LoadBalancer" {
            setIfMissing(&spec, "externalTrafficPolicy", "Cluster")
        }
        if type == "LoadBalancer" { setIfMissing(&spec, "allocateLoadBalancerNodePorts", .bool(true)) }
        if let ports = spec["ports"].array {
            spec["ports"] = .array(ports.map { port in
                var p = port
                guard case .object = p else { return p }
                setIfMissing(&p, "protocol", "TCP")
                if p["targetPort"].isNull { p["targetPort"] = p["port"] }
                return p
            })
        }
        service["spec"] = spec
    }

    static func allocateOnCreate(_ service: inout JSON, _ context: WriteContext) async throws(APIError) {
        guard let allocator = context.allocator else { return }
        var spec = service["spec"]
        guard case .object = spec else { return }
        let type = spec["type"].string ?? "ClusterIP"
        if type != "ExternalName" {
            let requested = spec["clusterIP"].string ?? spec["clusterIPs"][0].string
            if requested == "None" {
                spec["clusterIPs"] = ["None"]
            } else {
                let ip = try await allocator.allocateClusterIP(requested: requested.flatMap { $0.isEmpty ? nil : $0 })
                spec["clusterIP"] = .string(ip)
                spec["clusterIPs"] = [.string(ip)]
            }
            setIfMissing(&spec, "ipFamilies", ["IPv4"])
            setIfMissing(&spec, "ipFamilyPolicy", "SingleStack")
        }
        if type == "NodePort" || type == "LoadBalancer" {
            try await allocateNodePorts(&spec, allocator: allocator, previous: nil)
        }
        service["spec"] = spec
        service["status"] = ["loadBalancer": .emptyObject]
    }

    static func prepareUpdate(_ service: inout JSON, _ old: JSON, _ context: WriteContext) async throws(APIError) {
        var spec = service["spec"]
        guard case .object = spec else { return }
        let type = spec["type"].string ?? "ClusterIP"
        dropTypeDependentFields(&spec, old: old["spec"], type: type)
        // Addresses are kept from the stored object when the client leaves them out.
        if type != "ExternalName" {
            if spec["clusterIP"].string?.isEmpty ?? true, let oldIP = old["spec"]["clusterIP"].string {
                spec["clusterIP"] = .string(oldIP)
            }
            if spec["clusterIPs"].isNull { spec["clusterIPs"] = old["spec"]["clusterIPs"] }
            if spec["ipFamilies"].isNull { spec["ipFamilies"] = old["spec"]["ipFamilies"] }
            if spec["ipFamilyPolicy"].isNull { spec["ipFamilyPolicy"] = old["spec"]["ipFamilyPolicy"] }
            if spec["clusterIP"].isNull, let allocator = context.allocator {
                let ip = try await allocator.allocateClusterIP(requested: nil)
                spec["clusterIP"] = .string(ip)
                spec["clusterIPs"] = [.string(ip)]
            }
        } else {
            spec["clusterIP"] = .null
            spec["clusterIPs"] = .null
        }
        if type == "NodePort" || type == "LoadBalancer", let allocator = context.allocator {
            try await allocateNodePorts(&spec, allocator: allocator, previous: old["spec"]["ports"].array ?? [])
        } else if let ports = spec["ports"].array {
            spec["ports"] = .array(ports.map { p in var p = p; p["nodePort"] = .null; return p })
        }
        service["spec"] = spec
    }

    /// A type change drops what only the old type uses, when the client left it as it was
    /// (Kubernetes' dropTypeDependentFields), so `kubectl patch` of `spec.type` alone works.
    static func dropTypeDependentFields(_ spec: inout JSON, old: JSON, type: String) {
        let oldType = old["type"].string ?? "ClusterIP"
        guard type != oldType else { return }
        let external = type == "NodePort" || type == "LoadBalancer"
        if !external {
            if spec["externalTrafficPolicy"] == old["externalTrafficPolicy"] { spec["externalTrafficPolicy"] = .null }
            if let ports = spec["ports"].array {
                spec["ports"] = .array(ports.map { port in
                    var p = port
                    let previous = (old["ports"].array ?? []).first { $0["port"] == port["port"] }
                    if p["nodePort"] == previous?["nodePort"] { p["nodePort"] = .null }
                    return p
                })
            }
        }
        if type != "LoadBalancer" {
            for field in ["allocateLoadBalancerNodePorts", "loadBalancerClass", "healthCheckNodePort"] where spec[field] == old[field] {
                spec[field] = .null
            }
        }
        if type == "ExternalName" {
            for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"] where spec[field] == old[field] {
                spec[field] = .null
            }
        }
    }

    /// Gives every port a node port, reusing the stored one for the same port and protocol.
    static func allocateNodePorts(_ spec: inout JSON, allocator: ServiceAllocator, previous: [JSON]?) async throws(APIError) {
        guard let ports = spec["ports"].array else { return }
        var out: [JSON] = []
        for port in ports {
            var p = port
            if p["nodePort"].int == nil || p["nodePort"].int == 0 {
                let reused = previous?.first { $0["port"] == p["port"] && ($0["protocol"].string ?? "TCP") == (p["protocol"].string ?? "TCP") }?["nodePort"].int
                if let reused {
                    p["nodePort"] = .int(reused)
                } else {
                    p["nodePort"] = .int(Int64(try await allocator.allocateNodePort(requested: nil)))
                }
            } else if let requested = p["nodePort"].int, previous?.contains(where: { $0["nodePort"].int == requested }) != true {
                p["nodePort"] = .int(Int64(try await allocator.allocateNodePort(requested: Int(requested))))
            }
            out.append(p)
        }
        spec["ports"] = .array(out)
    }
}
