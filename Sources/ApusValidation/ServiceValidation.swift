import ApusMachinery

/// Services (core `ValidateService`, `ValidateServiceUpdate`). Node ports are left to the allocator.
enum ServiceValidation {
    static let specPath = FieldPath("spec")
    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    static let affinities = ["ClientIP", "None"]
    static let maxAffinityTimeout: Int64 = 86400

    /// `clusterIPs`, or `[clusterIP]` when only the singular field is given (the strategy syncs them).
    static func clusterIPs(_ spec: JSON) -> [String] {
        if let list = spec["clusterIPs"].array, !list.isEmpty { return list.map { $0.string ?? "" } }
        if let ip = spec["clusterIP"].string, !ip.isEmpty { return [ip] }
        return []
    }

    static func isHeadless(_ spec: JSON) -> Bool { clusterIPs(spec) == ["None"] }

    static func validate(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        let type = (spec["type"].string ?? "").isEmpty ? "ClusterIP" : (spec["type"].string ?? "")
        let ports = spec["ports"].array ?? []
        let headless = isHeadless(spec)
        var errs: [FieldError] = []
        if ports.isEmpty && !headless && type != "ExternalName" { errs.append(.required(specPath.child("ports"))) }
        switch type {
        case "LoadBalancer", "NodePort":
            if headless {
                errs.append(.invalid(specPath.child("clusterIPs").index(0), string: "None", "may not be set to 'None' for \(type) services"))
            }
        case "ExternalName":
            if !clusterIPs(spec).isEmpty { errs.append(.forbidden(specPath.child("clusterIPs"), "may not be set for ExternalName services")) }
            if !(spec["ipFamilies"].array ?? []).isEmpty { errs.append(.forbidden(specPath.child("ipFamilies"), "may not be set for ExternalName services")) }
            if !spec["ipFamilyPolicy"].isNull { errs.append(.forbidden(specPath.child("ipFamilyPolicy"), "may not be set for ExternalName services")) }
            var cname = spec["externalName"].string ?? ""
            if cname.hasSuffix(".") { cname.removeLast() }
            if cname.isEmpty {
                errs.append(.required(specPath.child("externalName")))
            } else {
                errs += FieldError.invalidEach(specPath.child("externalName"), string: cname, NameValidation.isDNS1123Subdomain(cname))
            }
        default:
            break
        }

        var names: Set<String> = []
        for (i, port) in ports.enumerated() {
            errs += servicePort(port, requireName: ports.count > 1, names: &names, specPath.child("ports").index(i))
        }
        if spec["selector"].object != nil { errs += LabelValidation.labels(spec["selector"], specPath.child("selector")) }

        let affinity = spec["sessionAffinity"].string ?? ""
        if !affinity.isEmpty && !affinities.contains(affinity) {
            errs.append(.notSupported(specPath.child("sessionAffinity"), string: affinity, affinities))
        }
        let affinityPath = specPath.child("sessionAffinityConfig")
        if affinity == "ClientIP" {
            // Kubernetes defaults the ClientIP timeout to 3 hours when the config is missing.
            if let timeout = spec["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"].int, timeout <= 0 || timeout > maxAffinityTimeout {
                errs.append(.invalid(affinityPath.child("clientIP", "timeoutSeconds"), int: timeout,
                                     "must be greater than 0 and less than \(maxAffinityTimeout)"))
            }
        } else if !spec["sessionAffinityConfig"].isNull && affinity == "None" {
            errs.append(.forbidden(affinityPath, "must not be set when session affinity is None"))
        }

        errs += clusterIPErrors(spec)
        for (i, value) in (spec["externalIPs"].array ?? []).enumerated() {
            let ip = value.string ?? ""
            let ipPath = specPath.child("externalIPs").index(i)
            let invalid = FieldError.invalidEach(ipPath, string: ip, NameValidation.isValidIP(ip))
            errs += invalid.isEmpty ? NameValidation.nonSpecialIPErrors(ip, ipPath) : invalid
        }
        if let given = spec["type"].string, !given.isEmpty, !types.contains(given) {
            errs.append(.notSupported(specPath.child("type"), string: given, types))
        }
        if type == "ClusterIP" {
            for (i, port) in ports.enumerated() where (port["nodePort"].int ?? 0) != 0 {
                errs.append(.forbidden(specPath.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
            }
        }
        var nodePorts: Set<String> = []
        var portKeys: Set<String> = []
        for (i, port) in ports.enumerated() {
            let proto = protocolOf(port)
            if let nodePort = port["nodePort"].int, nodePort != 0 {
                if !nodePorts.insert("\(proto)/\(nodePort)").inserted {
                    errs.append(FieldError(.duplicate, field: specPath.child("ports").index(i).child("nodePort").description, value: String(nodePort)))
                }
            }
            let number = port["port"].int ?? 0
            if !portKeys.insert("\(proto)/\(number)").inserted {
                errs.append(.duplicate(specPath.child("ports").index(i), rendered:
                    "core.ServicePort{Name:\"\", Protocol:\(GoSyntax.quote(proto)), AppProtocol:(*string)(nil), Port:\(number), TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"))
            }
        }
        let ranges = spec["loadBalancerSourceRanges"].array ?? []
        if !ranges.isEmpty {
            let rangesPath = specPath.child("LoadBalancerSourceRanges")
            if type != "LoadBalancer" { errs.append(.forbidden(rangesPath, "may only be used when `type` is 'LoadBalancer'")) }
            for (i, value) in ranges.enumerated() {
                let cidr = (value.string ?? "").trimmingASCIISpaces()
                errs += FieldError.invalidEach(rangesPath.index(i), string: cidr, NameValidation.isValidCIDR(cidr))
            }
        }
        if !spec["allocateLoadBalancerNodePorts"].isNull && type != "LoadBalancer" {
            errs.append(.forbidden(specPath.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"))
        }
        if let lbClass = spec["loadBalancerClass"].string {
            if type == "LoadBalancer" {
                errs += LabelValidation.labelName(lbClass, specPath.child("loadBalancerClass"))
            } else {
                errs.append(.forbidden(specPath.child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"))
            }
        }
        errs += trafficPolicies(spec, type: type)
        return errs
    }

    static func protocolOf(_ port: JSON) -> String {
        let proto = port["protocol"].string ?? ""
        return proto.isEmpty ? "TCP" : proto
    }

    static func servicePort(_ port: JSON, requireName: Bool, names: inout Set<String>, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let name = port["name"].string ?? ""
        if requireName && name.isEmpty {
            errs.append(.required(path.child("name")))
        } else if !name.isEmpty {
            errs += FieldError.invalidEach(path.child("name"), string: name, NameValidation.isDNS1123Label(name))
            if names.contains(name) { errs.append(.duplicate(path.child("name"), string: name)) } else { names.insert(name) }
        }
        let number = port["port"].int ?? 0
        errs += NameValidation.isValidPortNum(number).map { .invalid(path.child("port"), int: number, $0) }
        if let proto = port["protocol"].string, !proto.isEmpty, !ContainerValidation.portProtocols.contains(proto) {
            errs.append(.notSupported(path.child("protocol"), string: proto, ContainerValidation.portProtocols))
        }
        // A missing, zero or empty targetPort defaults to the port.
        let target = port["targetPort"]
        if !(target.isNull || target.int == 0 || target.string == "") {
            errs += ProbeValidation.portNumOrName(target, path.child("targetPort"))
        }
        if let appProtocol = port["appProtocol"].string {
            errs += LabelValidation.labelName(appProtocol, path.child("appProtocol"))
        }
        return errs
    }

    static func clusterIPErrors(_ spec: JSON) -> [FieldError] {
        let ips = clusterIPs(spec)
        let path = specPath.child("clusterIPs")
        var errs: [FieldError] = []
        for (i, ip) in ips.enumerated() {
            if i == 0 && ip == "None" {
                if ips.count > 1 {
                    errs.append(.invalid(path, rendered: GoSyntax.stringSlice(.array(ips.map { .string($0) })), "'None' must be the first and only value"))
                }
                continue
            }
            errs += FieldError.invalidEach(path.index(i), string: ip, NameValidation.isValidIP(ip))
        }
        if ips.count > 2 {
            errs.append(.invalid(path, rendered: GoSyntax.stringSlice(.array(ips.map { .string($0) })), "may only hold up to 2 values"))
        }
        if let single = spec["clusterIP"].string, !single.isEmpty, let first = ips.first, single != first {
            errs.append(.invalid(path, rendered: GoSyntax.stringSlice(.array(ips.map { .string($0) })), "first value must match `clusterIP`"))
        }
        return errs
    }

    static func trafficPolicies(_ spec: JSON, type: String) -> [FieldError] {
        var errs: [FieldError] = []
        let externallyAccessible = type == "LoadBalancer" || type == "NodePort" || (type == "ClusterIP" && !(spec["externalIPs"].array ?? []).isEmpty)
        let external = spec["externalTrafficPolicy"].string ?? ""
        if !externallyAccessible {
            if !external.isEmpty {
                errs.append(.invalid(specPath.child("externalTrafficPolicy"), string: external, "may only be set for externally-accessible services"))
            }
        } else if !external.isEmpty && external != "Cluster" && external != "Local" {
            errs.append(.notSupported(specPath.child("externalTrafficPolicy"), string: external, ["Cluster", "Local"]))
        }
        let needsHealthCheck = type == "LoadBalancer" && external == "Local"
        if let healthPort = spec["healthCheckNodePort"].int, healthPort != 0 {
            if !needsHealthCheck {
                errs.append(.invalid(specPath.child("healthCheckNodePort"), int: healthPort,
                                     "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
            } else {
                errs += NameValidation.isValidPortNum(healthPort).map { .invalid(specPath.child("healthCheckNodePort"), int: healthPort, $0) }
            }
        }
        if let policy = spec["internalTrafficPolicy"].string, policy != "Cluster" && policy != "Local" {
            errs.append(.notSupported(specPath.child("internalTrafficPolicy"), string: policy, ["Cluster", "Local"]))
        }
        if let distribution = spec["trafficDistribution"].string, distribution != "PreferClose" {
            errs.append(.notSupported(specPath.child("trafficDistribution"), string: distribution, ["PreferClose"]))
        }
        return errs
    }

    /// Cluster IPs cannot change (except to, from or on ExternalName); a missing one keeps the allocated value.
    static func update(new: JSON, old: JSON) -> [FieldError] {
        let spec = new["spec"]
        let oldSpec = old["spec"]
        if spec["type"].string == "ExternalName" || oldSpec["type"].string == "ExternalName" { return [] }
        let newIPs = clusterIPs(spec)
        let oldIPs = clusterIPs(oldSpec)
        if newIPs.isEmpty || (newIPs == ["None"] && oldIPs == ["None"]) { return [] }
        let rendered = GoSyntax.stringSlice(.array(newIPs.map { .string($0) }))
        let path = specPath.child("clusterIPs")
        var errs: [FieldError] = []
        if newIPs.count == oldIPs.count {
            for i in oldIPs.indices where oldIPs[i] != newIPs[i] {
                errs.append(.invalid(path.index(i), rendered: rendered, "may not change once set"))
            }
        } else if let oldFirst = oldIPs.first, newIPs[0] != oldFirst {
            errs.append(.invalid(path.index(0), rendered: rendered, "may not change once set"))
        }
        if let lbOld = oldSpec["loadBalancerClass"].string, oldSpec["type"].string == "LoadBalancer", spec["type"].string == "LoadBalancer",
           spec["loadBalancerClass"].string != lbOld {
            errs.append(FieldError(.invalid, field: specPath.child("loadBalancerClass").description,
                                   value: spec["loadBalancerClass"].string.map(GoSyntax.quote) ?? "null", detail: "may not change once set"))
        }
        return errs
    }
}
