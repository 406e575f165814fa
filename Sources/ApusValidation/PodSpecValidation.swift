import ApusMachinery

/// `PodSpec` and `PodTemplateSpec` (core `ValidatePodSpec`, `ValidatePodTemplateSpec`).
enum PodSpecValidation {
    static let restartPolicies = ["Always", "OnFailure", "Never"]
    static let dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
    static let taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
    static let defaultGracePeriod: Int64 = 30
    static let maxInt32: Int64 = 2_147_483_647

    /// `isPod` is Kubernetes' `ResourceIsPod`: stricter rules for a real Pod than for a template.
    static func spec(_ spec: JSON, _ path: FieldPath, isPod: Bool) -> [FieldError] {
        var errs: [FieldError] = []
        let gracePeriod = spec["terminationGracePeriodSeconds"].int ?? defaultGracePeriod
        let (volumes, volumeErrs) = VolumeValidation.volumes(spec["volumes"], path.child("volumes"))
        errs += volumeErrs
        errs += containers(spec["containers"], volumes: volumes, gracePeriod: gracePeriod, path.child("containers"))
        errs += initContainers(spec, volumes: volumes, gracePeriod: gracePeriod, path.child("initContainers"))
        errs += ephemeralContainers(spec, volumes: volumes, path.child("ephemeralContainers"))
        errs += hostNetworkPorts(spec, path)

        if let policy = spec["restartPolicy"].string, !policy.isEmpty, !restartPolicies.contains(policy) {
            errs.append(.notSupported(path.child("restartPolicy"), string: policy, restartPolicies))
        }
        if let policy = spec["dnsPolicy"].string, !policy.isEmpty, !dnsPolicies.contains(policy) {
            errs.append(.notSupported(path.child("dnsPolicy"), string: policy, dnsPolicies))
        }
        errs += LabelValidation.labels(spec["nodeSelector"], path.child("nodeSelector"))
        errs += podSecurityContext(spec["securityContext"], path.child("securityContext"))
        errs += dnsConfig(spec, path.child("dnsConfig"))
        for (i, gate) in (spec["readinessGates"].array ?? []).enumerated() {
            errs += LabelValidation.labelName(gate["conditionType"].string ?? "", path.child("readinessGates").index(i).child("conditionType"))
        }
        errs += schedulingGates(spec["schedulingGates"], path.child("schedulingGates"))
        errs += topologySpreadConstraints(spec["topologySpreadConstraints"], path.child("topologySpreadConstraints"))

        for (key, rule) in [("serviceAccountName", NameRule.dns1123Subdomain), ("nodeName", .dns1123Subdomain)] {
            if let value = spec[key].string, !value.isEmpty {
                errs += FieldError.invalidEach(path.child(key), string: value, rule.messages(for: value))
            }
        }
        if let deadline = spec["activeDeadlineSeconds"].int, deadline < 1 || deadline > maxInt32 {
            errs.append(.invalid(path.child("activeDeadlineSeconds"), int: deadline, NameValidation.inclusiveRangeError(1, maxInt32)))
        }
        for key in ["hostname", "subdomain"] {
            if let value = spec[key].string, !value.isEmpty {
                errs += FieldError.invalidEach(path.child(key), string: value, NameValidation.isDNS1123Label(value))
            }
        }
        errs += tolerations(spec["tolerations"], path.child("tolerations"))
        for (i, alias) in (spec["hostAliases"].array ?? []).enumerated() {
            let aliasPath = path.child("hostAliases").index(i)
            let ip = alias["ip"].string ?? ""
            errs += FieldError.invalidEach(aliasPath.child("ip"), string: ip, NameValidation.isValidIP(ip))
            for (j, host) in (alias["hostnames"].array ?? []).enumerated() {
                let name = host.string ?? ""
                errs += FieldError.invalidEach(aliasPath.child("hostnames").index(j), string: name, NameValidation.isDNS1123Subdomain(name))
            }
        }
        if let value = spec["priorityClassName"].string, !value.isEmpty {
            errs += FieldError.invalidEach(path.child("priorityClassName"), string: value, NameValidation.isDNS1123Subdomain(value))
        }
        // runtimeClassName is a pointer: once present, even "" must be a valid name.
        if let value = spec["runtimeClassName"].string {
            errs += FieldError.invalidEach(path.child("runtimeClassName"), string: value, NameValidation.isDNS1123Subdomain(value))
        }
        if let policy = spec["preemptionPolicy"].string {
            errs += preemptionPolicy(policy, path.child("preemptionPolicy"))
        }
        if let os = spec["os"]["name"].string, os != "linux" && os != "windows" {
            errs.append(.notSupported(path.child("os", "name"), string: os, ["linux", "windows"]))
        }
        return errs
    }

    static func preemptionPolicy(_ policy: String, _ path: FieldPath) -> [FieldError] {
        switch policy {
        case "PreemptLowerPriority", "Never": return []
        case "": return [.required(path)]
        default: return [.notSupported(path, string: policy, ["PreemptLowerPriority", "Never"])]
        }
    }

    /// `ValidatePodTemplateSpec`: the template's labels and annotations, then its pod spec.
    static func template(_ template: JSON, _ path: FieldPath) -> [FieldError] {
        var errs = LabelValidation.labels(template["metadata"]["labels"], path.child("metadata", "labels"))
        errs += LabelValidation.annotations(template["metadata"]["annotations"], path.child("metadata", "annotations"))
        errs += spec(template["spec"], path.child("spec"), isPod: false)
        if !(template["spec"]["ephemeralContainers"].array ?? []).isEmpty {
            errs.append(.forbidden(path.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"))
        }
        return errs
    }

    /// Pods only: image names may not be padded with spaces.
    static func podOnlyContainerChecks(_ spec: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for key in ["containers", "initContainers"] {
            for (i, container) in (spec[key].array ?? []).enumerated() {
                let image = container["image"].string ?? ""
                if image != image.trimmingASCIISpaces() {
                    errs.append(.invalid(path.child(key).index(i).child("image"), string: image, "must not have leading or trailing whitespace"))
                }
            }
        }
        return errs
    }

    // MARK: Containers

    static func containers(_ list: JSON, volumes: JSONObject, gracePeriod: Int64, _ path: FieldPath) -> [FieldError] {
        let containers = list.array ?? []
        if containers.isEmpty { return [.required(path)] }
        var errs: [FieldError] = []
        var names: Set<String> = []
        for (i, container) in containers.enumerated() {
            let containerPath = path.index(i)
            errs += ContainerValidation.common(container, volumes: volumes, containerPath)
            let name = container["name"].string ?? ""
            if names.contains(name) { errs.append(.duplicate(containerPath.child("name"), string: name)) } else { names.insert(name) }
            if container["lifecycle"].object != nil {
                errs += ProbeValidation.lifecycle(container["lifecycle"], gracePeriod: gracePeriod, containerPath.child("lifecycle"))
            }
            errs += ProbeValidation.probe(container["livenessProbe"], kind: .liveness, gracePeriod: gracePeriod, containerPath.child("livenessProbe"))
            errs += ProbeValidation.probe(container["readinessProbe"], kind: .readiness, gracePeriod: gracePeriod, containerPath.child("readinessProbe"))
            errs += ProbeValidation.probe(container["startupProbe"], kind: .startup, gracePeriod: gracePeriod, containerPath.child("startupProbe"))
            if !container["restartPolicy"].isNull {
                errs.append(.forbidden(containerPath.child("restartPolicy"), "may not be set for non-init containers"))
            }
        }
        errs += ContainerValidation.hostPortConflicts(containers, path)
        return errs
    }

    static func initContainers(_ spec: JSON, volumes: JSONObject, gracePeriod: Int64, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var names = Set((spec["containers"].array ?? []).map { $0["name"].string ?? "" })
        for (i, container) in (spec["initContainers"].array ?? []).enumerated() {
            let containerPath = path.index(i)
            errs += ContainerValidation.common(container, volumes: volumes, containerPath)
            var restartAlways = false
            if let policy = container["restartPolicy"].string {
                if policy != "Always" { errs.append(.notSupported(containerPath.child("restartPolicy"), string: policy, ["Always"])) }
                restartAlways = policy == "Always"
            }
            let name = container["name"].string ?? ""
            if names.contains(name) {
                errs.append(.duplicate(containerPath.child("name"), string: name))
            } else if !name.isEmpty {
                names.insert(name)
            }
            // Init containers run one at a time, so host ports only clash within one (reported at index 0).
            errs += ContainerValidation.hostPortConflicts([container], path)
            if restartAlways {
                if container["lifecycle"].object != nil {
                    errs += ProbeValidation.lifecycle(container["lifecycle"], gracePeriod: gracePeriod, containerPath.child("lifecycle"))
                }
                errs += ProbeValidation.probe(container["livenessProbe"], kind: .liveness, gracePeriod: gracePeriod, containerPath.child("livenessProbe"))
                errs += ProbeValidation.probe(container["readinessProbe"], kind: .readiness, gracePeriod: gracePeriod, containerPath.child("readinessProbe"))
                errs += ProbeValidation.probe(container["startupProbe"], kind: .startup, gracePeriod: gracePeriod, containerPath.child("startupProbe"))
            } else {
                for key in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] where !container[key].isNull {
                    errs.append(.forbidden(containerPath.child(key), "may not be set for init containers without restartPolicy=Always"))
                }
            }
        }
        return errs
    }

    static func ephemeralContainers(_ spec: JSON, volumes: JSONObject, _ path: FieldPath) -> [FieldError] {
        let list = spec["ephemeralContainers"].array ?? []
        if list.isEmpty { return [] }
        var errs: [FieldError] = []
        let others = Set(((spec["containers"].array ?? []) + (spec["initContainers"].array ?? [])).map { $0["name"].string ?? "" })
        var names = others
        for (i, container) in list.enumerated() {
            let containerPath = path.index(i)
            errs += ContainerValidation.common(container, volumes: volumes, containerPath)
            let name = container["name"].string ?? ""
            if names.contains(name) { errs.append(.duplicate(containerPath.child("name"), string: name)) } else { names.insert(name) }
            if let target = container["targetContainerName"].string, !target.isEmpty, !others.contains(target) {
                errs.append(.notFound(containerPath.child("targetContainerName"), string: target))
            }
            for key in ["ports", "resources", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle"]
            where !container[key].isEmptyValue {
                errs.append(.forbidden(containerPath.child(key), "cannot be set for an Ephemeral Container"))
            }
        }
        return errs
    }

    /// With `hostNetwork`, a given host port must equal the container port.
    static func hostNetworkPorts(_ spec: JSON, _ path: FieldPath) -> [FieldError] {
        guard spec["hostNetwork"].bool == true else { return [] }
        var errs: [FieldError] = []
        for (i, container) in (spec["containers"].array ?? []).enumerated() {
            for (j, port) in (container["ports"].array ?? []).enumerated() {
                guard let hostPort = port["hostPort"].int, hostPort != 0, hostPort != port["containerPort"].int ?? 0 else { continue }
                errs.append(.invalid(path.child("containers").index(i).child("ports").index(j).child("hostPort"), int: hostPort,
                                     "must match `containerPort` when `hostNetwork` is true"))
            }
        }
        return errs
    }

    // MARK: Scheduling

    static func tolerations(_ list: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, toleration) in (list.array ?? []).enumerated() {
            let itemPath = path.index(i)
            let key = toleration["key"].string ?? ""
            let op = toleration["operator"].string ?? ""
            let effect = toleration["effect"].string ?? ""
            let value = toleration["value"].string ?? ""
            if !key.isEmpty { errs += LabelValidation.labelName(key, itemPath.child("key")) }
            if key.isEmpty && op != "Exists" {
                errs.append(.invalid(itemPath.child("operator"), string: op,
                                     "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
            }
            if !toleration["tolerationSeconds"].isNull && effect != "NoExecute" {
                errs.append(.invalid(itemPath.child("effect"), string: effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
            }
            switch op {
            case "Equal", "":
                let messages = NameValidation.isValidLabelValue(value)
                if !messages.isEmpty { errs.append(.invalid(itemPath.child("operator"), string: value, messages.joined(separator: ";"))) }
            case "Exists":
                if !value.isEmpty { errs.append(.invalid(itemPath.child("operator"), string: value, "value must be empty when `operator` is 'Exists'")) }
            default:
                errs.append(.notSupported(itemPath.child("operator"), string: op, ["Equal", "Exists"]))
            }
            if !effect.isEmpty && !taintEffects.contains(effect) {
                errs.append(.notSupported(itemPath.child("effect"), string: effect, taintEffects))
            }
        }
        return errs
    }

    static func schedulingGates(_ list: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var seen: Set<String> = []
        for (i, gate) in (list.array ?? []).enumerated() {
            let name = gate["name"].string ?? ""
            errs += LabelValidation.labelName(name, path.index(i))
            if seen.contains(name) { errs.append(.duplicate(path.index(i), string: name)) }
            seen.insert(name)
        }
        return errs
    }

    static func topologySpreadConstraints(_ list: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, constraint) in (list.array ?? []).enumerated() {
            let itemPath = path.index(i)
            let skew = constraint["maxSkew"].int ?? 0
            if skew <= 0 { errs.append(.invalid(itemPath.child("maxSkew"), int: skew, "must be greater than zero")) }
            let key = constraint["topologyKey"].string ?? ""
            if key.isEmpty {
                errs.append(.required(itemPath.child("topologyKey"), "can not be empty"))
            } else {
                errs += LabelValidation.labelName(key, itemPath.child("topologyKey"))
            }
            let when = constraint["whenUnsatisfiable"].string ?? ""
            if when != "DoNotSchedule" && when != "ScheduleAnyway" {
                errs.append(.notSupported(itemPath.child("whenUnsatisfiable"), string: when, ["DoNotSchedule", "ScheduleAnyway"]))
            }
            errs += LabelValidation.selector(constraint["labelSelector"], itemPath.child("labelSelector"))
        }
        return errs
    }

    // MARK: Pod-level settings

    static func podSecurityContext(_ context: JSON, _ path: FieldPath) -> [FieldError] {
        guard context.object != nil else { return [] }
        var errs: [FieldError] = []
        if let gid = context["fsGroup"].int {
            errs += NameValidation.isValidGroupID(gid).map { .invalid(path.child("fsGroup"), int: gid, $0) }
        }
        if let uid = context["runAsUser"].int {
            errs += NameValidation.isValidUserID(uid).map { .invalid(path.child("runAsUser"), int: uid, $0) }
        }
        if let gid = context["runAsGroup"].int {
            errs += NameValidation.isValidGroupID(gid).map { .invalid(path.child("runAsGroup"), int: gid, $0) }
        }
        for (i, group) in (context["supplementalGroups"].array ?? []).enumerated() {
            if let gid = group.int {
                errs += NameValidation.isValidGroupID(gid).map { .invalid(path.child("supplementalGroups").index(i), int: gid, $0) }
            }
        }
        if let policy = context["fsGroupChangePolicy"].string, policy != "OnRootMismatch" && policy != "Always" {
            errs.append(.notSupported(path.child("fsGroupChangePolicy"), string: policy, ["Always", "OnRootMismatch"]))
        }
        return errs
    }

    static func dnsConfig(_ spec: JSON, _ path: FieldPath) -> [FieldError] {
        let config = spec["dnsConfig"]
        if spec["dnsPolicy"].string == "None" {
            if config.object == nil { return [.required(path, "must provide `dnsConfig` when `dnsPolicy` is None")] }
            if (config["nameservers"].array ?? []).isEmpty {
                return [.required(path.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")]
            }
        }
        guard config.object != nil else { return [] }
        var errs: [FieldError] = []
        let nameservers = config["nameservers"].array ?? []
        if nameservers.count > 3 {
            errs.append(.invalid(path.child("nameservers"), rendered: GoSyntax.stringSlice(config["nameservers"]), "must not have more than 3 nameservers"))
        }
        for (i, server) in nameservers.enumerated() {
            let ip = server.string ?? ""
            errs += FieldError.invalidEach(path.child("nameservers").index(i), string: ip, NameValidation.isValidIP(ip))
        }
        let searches = (config["searches"].array ?? []).map { $0.string ?? "" }
        if searches.count > 32 {
            errs.append(.invalid(path.child("searches"), rendered: GoSyntax.stringSlice(config["searches"]), "must not have more than 32 search paths"))
        }
        if searches.joined(separator: " ").utf8.count > 2048 {
            errs.append(.invalid(path.child("searches"), rendered: GoSyntax.stringSlice(config["searches"]),
                                 "must not have more than 2048 characters (including spaces) in the search list"))
        }
        for (i, search) in searches.enumerated() {
            let trimmed = search.hasSuffix(".") ? String(search.dropLast()) : search
            errs += FieldError.invalidEach(path.child("searches").index(i), string: trimmed, NameValidation.isDNS1123Subdomain(trimmed))
        }
        for (i, option) in (config["options"].array ?? []).enumerated() where (option["name"].string ?? "").isEmpty {
            errs.append(.required(path.child("options").index(i), "must not be empty"))
        }
        return errs
    }
}
