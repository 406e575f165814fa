import ApusMachinery

/// Namespaces, Nodes, Endpoints and Events (core validation).
enum CoreMiscValidation {
    static func namespace(_ object: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let path = FieldPath("spec").child("finalizers")
        for value in object["spec"]["finalizers"].array ?? [] {
            let name = value.string ?? ""
            errs += FieldError.invalidEach(path, string: name, NameValidation.isQualifiedName(name))
            if !name.contains("/") && !ObjectMetaValidation.standardFinalizers.contains(name) {
                errs.append(.invalid(path, string: name, "name is neither a standard finalizer name nor is it fully qualified"))
            }
        }
        return errs
    }

    static func node(_ object: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        // Kubernetes reports taint problems under metadata.taints.
        errs += taints(object["spec"]["taints"], FieldPath("metadata").child("taints"))
        for section in ["capacity", "allocatable"] {
            for (name, quantity) in ResourceValidation.quantities(object["status"][section]) where quantity.isNegative {
                errs.append(.invalid(FieldPath("status").child(section, name), string: quantity.description, Messages.isNegative))
            }
        }
        let cidrs = object["spec"]["podCIDRs"].array ?? []
        let cidrPath = FieldPath("spec").child("podCIDRs")
        for (i, value) in cidrs.enumerated() {
            let cidr = value.string ?? ""
            errs += FieldError.invalidEach(cidrPath.index(i), string: cidr, NameValidation.isValidCIDR(cidr))
        }
        if cidrs.count > 1 {
            let families = Set(cidrs.compactMap { $0.string.flatMap(IPAddress.parseCIDR)?.0.isIPv4 })
            if families.count != cidrs.count || cidrs.count > 2 {
                errs.append(.invalid(cidrPath, rendered: GoSyntax.stringSlice(object["spec"]["podCIDRs"]), "may specify no more than one CIDR for each IP family"))
            }
            var seen: Set<String> = []
            for (i, value) in cidrs.enumerated() {
                let cidr = value.string ?? ""
                if !seen.insert(cidr).inserted { errs.append(.duplicate(cidrPath.index(i), string: cidr)) }
            }
        }
        return errs
    }

    static func taints(_ list: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var seen: Set<String> = []
        for (i, taint) in (list.array ?? []).enumerated() {
            let itemPath = path.index(i)
            let key = taint["key"].string ?? ""
            let value = taint["value"].string ?? ""
            let effect = taint["effect"].string ?? ""
            errs += LabelValidation.labelName(key, itemPath.child("key"))
            let messages = NameValidation.isValidLabelValue(value)
            if !messages.isEmpty { errs.append(.invalid(itemPath.child("value"), string: value, messages.joined(separator: ";"))) }
            if effect.isEmpty {
                errs.append(.required(itemPath.child("effect")))
            } else if !PodSpecValidation.taintEffects.contains(effect) {
                errs.append(.notSupported(itemPath.child("effect"), string: effect, PodSpecValidation.taintEffects))
            }
            if !seen.insert(effect + "\u{0}" + key).inserted {
                errs.append(FieldError(.duplicate, field: itemPath.description, value: GoSyntax.json(taint),
                                       detail: "taints must be unique by key and effect pair"))
            }
        }
        return errs
    }

    static func nodeUpdate(new: JSON, old: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let oldCIDRs = old["spec"]["podCIDRs"].array ?? []
        if !oldCIDRs.isEmpty && !Semantic.equal(new["spec"]["podCIDRs"], old["spec"]["podCIDRs"]) {
            errs.append(.forbidden(FieldPath("spec").child("podCIDRs"), "node updates may not change podCIDR except from \"\" to valid"))
        }
        if let oldProvider = old["spec"]["providerID"].string, !oldProvider.isEmpty, new["spec"]["providerID"].string != oldProvider {
            errs.append(.forbidden(FieldPath("spec").child("providerID"), "node updates may not change providerID except from \"\" to valid"))
        }
        return errs
    }

    static func endpoints(_ object: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, subset) in (object["subsets"].array ?? []).enumerated() {
            let subsetPath = FieldPath("subsets").index(i)
            let addresses = subset["addresses"].array ?? []
            let notReady = subset["notReadyAddresses"].array ?? []
            if addresses.isEmpty && notReady.isEmpty {
                errs.append(.required(subsetPath, "must specify `addresses` or `notReadyAddresses`"))
            }
            for (key, list) in [("addresses", addresses), ("notReadyAddresses", notReady)] {
                for (j, address) in list.enumerated() { errs += endpointAddress(address, subsetPath.child(key).index(j)) }
            }
            let ports = subset["ports"].array ?? []
            for (j, port) in ports.enumerated() {
                let portPath = subsetPath.child("ports").index(j)
                let name = port["name"].string ?? ""
                if ports.count > 1 && name.isEmpty {
                    errs.append(.required(portPath.child("name")))
                } else if !name.isEmpty {
                    errs += FieldError.invalidEach(portPath.child("name"), string: name, NameValidation.isDNS1123Label(name))
                }
                let number = port["port"].int ?? 0
                errs += NameValidation.isValidPortNum(number).map { .invalid(portPath.child("port"), int: number, $0) }
                if let proto = port["protocol"].string, !proto.isEmpty, !ContainerValidation.portProtocols.contains(proto) {
                    errs.append(.notSupported(portPath.child("protocol"), string: proto, ContainerValidation.portProtocols))
                }
                if let appProtocol = port["appProtocol"].string {
                    errs += LabelValidation.labelName(appProtocol, portPath.child("appProtocol"))
                }
            }
        }
        return errs
    }

    static func endpointAddress(_ address: JSON, _ path: FieldPath) -> [FieldError] {
        let ip = address["ip"].string ?? ""
        var errs = FieldError.invalidEach(path.child("ip"), string: ip, NameValidation.isValidIP(ip))
        if let hostname = address["hostname"].string, !hostname.isEmpty {
            errs += FieldError.invalidEach(path.child("hostname"), string: hostname, NameValidation.isDNS1123Label(hostname))
        }
        if let nodeName = address["nodeName"].string {
            errs += FieldError.invalidEach(path.child("nodeName"), string: nodeName, NameValidation.isDNS1123Subdomain(nodeName))
        }
        return errs + NameValidation.nonSpecialIPErrors(ip, path.child("ip"))
    }

    /// core/v1 Events: the involved object's namespace must match the event's.
    static func event(_ object: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let namespace = object["metadata"]["namespace"].string ?? ""
        let involvedNamespace = object["involvedObject"]["namespace"].string ?? ""
        let involvedPath = FieldPath("involvedObject").child("namespace")
        let eventTime = object["eventTime"].string ?? ""
        if eventTime.isEmpty {
            if involvedNamespace.isEmpty {
                if !namespace.isEmpty && namespace != "default" {
                    errs.append(.invalid(involvedPath, string: involvedNamespace, "does not match event.namespace"))
                }
            } else if namespace != involvedNamespace {
                errs.append(.invalid(involvedPath, string: involvedNamespace, "does not match event.namespace"))
            }
        } else {
            if involvedNamespace.isEmpty && namespace != "default" && namespace != "kube-system" {
                errs.append(.invalid(involvedPath, string: involvedNamespace, "does not match event.namespace"))
            }
            let controller = object["reportingComponent"].string ?? ""
            let controllerPath = FieldPath("reportingComponent")
            if controller.isEmpty { errs.append(.required(controllerPath)) }
            errs += LabelValidation.labelName(controller, controllerPath)
            let instance = object["reportingInstance"].string ?? ""
            if instance.isEmpty { errs.append(.required(FieldPath("reportingInstance"))) }
            if instance.utf8.count > 128 { errs.append(.invalid(FieldPath("reportingInstance"), string: "", "can have at most 128 characters")) }
            let action = object["action"].string ?? ""
            if action.isEmpty { errs.append(.required(FieldPath("action"))) }
            if action.utf8.count > 128 { errs.append(.invalid(FieldPath("action"), string: "", "can have at most 128 characters")) }
            let reason = object["reason"].string ?? ""
            if reason.isEmpty { errs.append(.required(FieldPath("reason"))) }
            if reason.utf8.count > 128 { errs.append(.invalid(FieldPath("reason"), string: "", "can have at most 128 characters")) }
            if (object["message"].string ?? "").utf8.count > 1024 {
                errs.append(.invalid(FieldPath("message"), string: "", "can have at most 1024 characters"))
            }
        }
        errs += FieldError.invalidEach(FieldPath("namespace"), string: namespace, NameValidation.isDNS1123Subdomain(namespace))
        return errs
    }
}
