import ApusMachinery

/// One container (core `validateContainerCommon` and the parts it calls). Values Kubernetes fills in
/// by defaulting (protocol, imagePullPolicy, terminationMessagePolicy…) are only checked when present.
enum ContainerValidation {
    static let portProtocols = ["SCTP", "TCP", "UDP"]
    static let pullPolicies = ["Always", "IfNotPresent", "Never"]
    static let terminationMessagePolicies = ["File", "FallbackToLogsOnError"]
    static let envFieldPaths = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
                                "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]
    static let convertibleFieldPaths: Set<String> = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                                                     "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
                                                     "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs",
                                                     "status.podIP", "status.podIPs", "spec.host"]
    static let resourceFieldPaths = ["limits.cpu", "limits.ephemeral-storage", "limits.memory",
                                     "requests.cpu", "requests.ephemeral-storage", "requests.memory"]
    static let mountPropagationModes = ["Bidirectional", "HostToContainer", "None"]

    static func common(_ container: JSON, volumes: JSONObject, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let name = container["name"].string ?? ""
        if name.isEmpty {
            errs.append(.required(path.child("name")))
        } else {
            errs += FieldError.invalidEach(path.child("name"), string: name, NameValidation.isDNS1123Label(name))
        }
        if (container["image"].string ?? "").isEmpty { errs.append(.required(path.child("image"))) }
        if let policy = container["terminationMessagePolicy"].string, !policy.isEmpty, !terminationMessagePolicies.contains(policy) {
            errs.append(.notSupported(path.child("terminationMessagePolicy"), string: policy, terminationMessagePolicies))
        }
        errs += ports(container["ports"], path.child("ports"))
        errs += env(container["env"], path.child("env"))
        errs += envFrom(container["envFrom"], path.child("envFrom"))
        errs += volumeMounts(container, volumes: volumes, path.child("volumeMounts"))
        errs += volumeDevices(container, volumes: volumes, path.child("volumeDevices"))
        if let policy = container["imagePullPolicy"].string, !policy.isEmpty, !pullPolicies.contains(policy) {
            errs.append(.notSupported(path.child("imagePullPolicy"), string: policy, pullPolicies))
        }
        errs += ResourceValidation.requirements(container["resources"], path.child("resources"))
        errs += securityContext(container["securityContext"], path.child("securityContext"))
        return errs
    }

    // MARK: Ports

    static func ports(_ ports: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var names: Set<String> = []
        for (i, port) in (ports.array ?? []).enumerated() {
            let portPath = path.index(i)
            if let name = port["name"].string, !name.isEmpty {
                let messages = NameValidation.isValidPortName(name)
                if !messages.isEmpty {
                    errs += FieldError.invalidEach(portPath.child("name"), string: name, messages)
                } else if names.contains(name) {
                    errs.append(.duplicate(portPath.child("name"), string: name))
                } else {
                    names.insert(name)
                }
            }
            let containerPort = port["containerPort"].int ?? 0
            if containerPort == 0 {
                errs.append(.required(portPath.child("containerPort")))
            } else {
                errs += NameValidation.isValidPortNum(containerPort).map { .invalid(portPath.child("containerPort"), int: containerPort, $0) }
            }
            if let hostPort = port["hostPort"].int, hostPort != 0 {
                errs += NameValidation.isValidPortNum(hostPort).map { .invalid(portPath.child("hostPort"), int: hostPort, $0) }
            }
            if let proto = port["protocol"].string, !proto.isEmpty, !portProtocols.contains(proto) {
                errs.append(.notSupported(portPath.child("protocol"), string: proto, portProtocols))
            }
        }
        return errs
    }

    /// Host ports must not collide within the given containers (`protocol/hostIP/port`).
    static func hostPortConflicts(_ containers: [JSON], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var seen: Set<String> = []
        for (offset, container) in containers.enumerated() {
            let containerPath = path.index(offset)
            for (j, port) in (container["ports"].array ?? []).enumerated() {
                guard let hostPort = port["hostPort"].int, hostPort != 0 else { continue }
                let proto = (port["protocol"].string ?? "").isEmpty ? "TCP" : (port["protocol"].string ?? "")
                let key = "\(proto)/\(port["hostIP"].string ?? "")/\(hostPort)"
                if seen.contains(key) {
                    errs.append(.duplicate(containerPath.child("ports").index(j).child("hostPort"), string: key))
                } else {
                    seen.insert(key)
                }
            }
        }
        return errs
    }

    // MARK: Environment

    static func env(_ vars: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, variable) in (vars.array ?? []).enumerated() {
            let varPath = path.index(i)
            let name = variable["name"].string ?? ""
            if name.isEmpty {
                errs.append(.required(varPath.child("name")))
            } else {
                errs += FieldError.invalidEach(varPath.child("name"), string: name, NameValidation.isRelaxedEnvVarName(name))
            }
            errs += valueFrom(variable, varPath.child("valueFrom"))
        }
        return errs
    }

    static func valueFrom(_ variable: JSON, _ path: FieldPath) -> [FieldError] {
        let source = variable["valueFrom"]
        guard source.object != nil else { return [] }
        var errs: [FieldError] = []
        var count = 0
        if !source["fieldRef"].isNull {
            count += 1
            errs += fieldRef(source["fieldRef"], path.child("fieldRef"))
        }
        if !source["resourceFieldRef"].isNull {
            count += 1
            let resource = source["resourceFieldRef"]["resource"].string ?? ""
            let resourcePath = path.child("resourceFieldRef", "resource")
            if resource.isEmpty {
                errs.append(.required(resourcePath))
            } else if !resourceFieldPaths.contains(resource) && !resource.hasPrefix("requests.hugepages-") && !resource.hasPrefix("limits.hugepages-") {
                errs.append(.notSupported(resourcePath, string: resource, resourceFieldPaths))
            }
        }
        for kind in ["configMapKeyRef", "secretKeyRef"] where !source[kind].isNull {
            count += 1
            let selector = source[kind]
            let name = selector["name"].string ?? ""
            errs += FieldError.invalidEach(path.child(kind, "name"), string: name, NameValidation.isDNS1123Subdomain(name))
            let key = selector["key"].string ?? ""
            if key.isEmpty {
                errs.append(.required(path.child(kind, "key")))
            } else {
                errs += FieldError.invalidEach(path.child(kind, "key"), string: key, NameValidation.isConfigMapKey(key))
            }
        }
        if count == 0 {
            errs.append(.invalid(path, string: "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
        } else if !(variable["value"].string ?? "").isEmpty {
            errs.append(.invalid(path, string: "", "may not be specified when `value` is not empty"))
        } else if count > 1 {
            errs.append(.invalid(path, string: "", "may not have more than one field specified at a time"))
        }
        return errs
    }

    /// `validateObjectFieldSelector` for env vars (`apiVersion` defaults to v1).
    static func fieldRef(_ selector: JSON, _ path: FieldPath) -> [FieldError] {
        let apiVersion = (selector["apiVersion"].string ?? "").isEmpty ? "v1" : (selector["apiVersion"].string ?? "")
        let fieldPath = selector["fieldPath"].string ?? ""
        if fieldPath.isEmpty { return [.required(path.child("fieldPath"))] }
        if apiVersion != "v1" {
            return [.invalid(path.child("fieldPath"), string: fieldPath, "error converting fieldPath: unsupported pod version: \(apiVersion)")]
        }
        if let split = splitSubscript(fieldPath) {
            let key = split.key
            switch split.base {
            case "metadata.annotations":
                return FieldError.invalidEach(path, string: key.lowercased(), NameValidation.isQualifiedName(key.lowercased()))
            case "metadata.labels":
                return FieldError.invalidEach(path, string: key, NameValidation.isQualifiedName(key))
            default:
                return [.invalid(path.child("fieldPath"), string: fieldPath, "error converting fieldPath: field label does not support subscript: \(fieldPath)")]
            }
        }
        guard convertibleFieldPaths.contains(fieldPath) else {
            return [.invalid(path.child("fieldPath"), string: fieldPath, "error converting fieldPath: field label not supported: \(fieldPath)")]
        }
        let internalPath = fieldPath == "spec.host" ? "spec.nodeName" : fieldPath
        return envFieldPaths.contains(internalPath) ? [] : [.notSupported(path.child("fieldPath"), string: internalPath, envFieldPaths)]
    }

    /// `metadata.labels['app']` → ("metadata.labels", "app").
    static func splitSubscript(_ fieldPath: String) -> (base: String, key: String)? {
        guard fieldPath.hasSuffix("']") else { return nil }
        let trimmed = Array(fieldPath.utf8.dropLast(2))
        guard let open = trimmed.indices.first(where: { $0 + 1 < trimmed.count && trimmed[$0] == 0x5B && trimmed[$0 + 1] == 0x27 }),
              open > 0 else { return nil }
        return (String(decoding: trimmed[..<open], as: UTF8.self), String(decoding: trimmed[(open + 2)...], as: UTF8.self))
    }

    static func envFrom(_ sources: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, source) in (sources.array ?? []).enumerated() {
            let sourcePath = path.index(i)
            if let prefix = source["prefix"].string, !prefix.isEmpty {
                errs += FieldError.invalidEach(sourcePath.child("prefix"), string: prefix, NameValidation.isRelaxedEnvVarName(prefix))
            }
            var count = 0
            for kind in ["configMapRef", "secretRef"] where !source[kind].isNull {
                count += 1
                let name = source[kind]["name"].string ?? ""
                if name.isEmpty {
                    errs.append(.required(sourcePath.child(kind, "name")))
                } else {
                    errs += FieldError.invalidEach(sourcePath.child(kind, "name"), string: name,
                                                   NameRule.dns1123Subdomain.messages(for: name, prefix: true))
                }
            }
            if count == 0 {
                errs.append(.invalid(path, string: "", "must specify one of: `configMapRef` or `secretRef`"))
            } else if count > 1 {
                errs.append(.invalid(path, string: "", "may not have more than one field specified at a time"))
            }
        }
        return errs
    }

    // MARK: Mounts

    static func volumeMounts(_ container: JSON, volumes: JSONObject, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var mountPaths: Set<String> = []
        let devices = container["volumeDevices"].array ?? []
        let deviceNames = Set(devices.compactMap { $0["name"].string })
        let devicePaths = Set(devices.compactMap { $0["devicePath"].string })
        for (i, mount) in (container["volumeMounts"].array ?? []).enumerated() {
            let mountPath = path.index(i)
            let name = mount["name"].string ?? ""
            let target = mount["mountPath"].string ?? ""
            if name.isEmpty { errs.append(.required(mountPath.child("name"))) }
            if volumes[name] == nil { errs.append(.notFound(mountPath.child("name"), string: name)) }
            if target.isEmpty { errs.append(.required(mountPath.child("mountPath"))) }
            if mountPaths.contains(target) { errs.append(.invalid(mountPath.child("mountPath"), string: target, "must be unique")) }
            mountPaths.insert(target)
            if deviceNames.contains(name) {
                errs.append(.invalid(mountPath.child("name"), string: name, "must not already exist in volumeDevices"))
            }
            if devicePaths.contains(target) {
                errs.append(.invalid(mountPath.child("mountPath"), string: target, "must not already exist as a path in volumeDevices"))
            }
            let subPath = mount["subPath"].string ?? ""
            let subPathExpr = mount["subPathExpr"].string ?? ""
            if let volume = volumes[name], !volume["image"].isNull {
                if !subPath.isEmpty { errs.append(.invalid(mountPath.child("subPath"), string: subPath, "not allowed in image volume sources")) }
                if !subPathExpr.isEmpty { errs.append(.invalid(mountPath.child("subPathExpr"), string: subPathExpr, "not allowed in image volume sources")) }
            }
            // Kubernetes reports subPath problems against the list path, not the item.
            if !subPath.isEmpty { errs += PathRules.localDescending(subPath, path.child("subPath")) }
            if !subPathExpr.isEmpty {
                if !subPath.isEmpty {
                    errs.append(.invalid(mountPath.child("subPathExpr"), string: subPathExpr, "subPathExpr and subPath are mutually exclusive"))
                }
                errs += PathRules.localDescending(subPathExpr, path.child("subPathExpr"))
            }
            if let propagation = mount["mountPropagation"].string, !mountPropagationModes.contains(propagation) {
                errs.append(.notSupported(path.child("mountPropagation"), string: propagation, mountPropagationModes))
            }
        }
        return errs
    }

    static func volumeDevices(_ container: JSON, volumes: JSONObject, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let mounts = container["volumeMounts"].array ?? []
        let mountNames = Set(mounts.compactMap { $0["name"].string })
        let mountPaths = Set(mounts.compactMap { $0["mountPath"].string })
        var names: Set<String> = []
        var devicePaths: Set<String> = []
        for (i, device) in (container["volumeDevices"].array ?? []).enumerated() {
            let devicePath = path.index(i)
            let name = device["name"].string ?? ""
            let target = device["devicePath"].string ?? ""
            let volume = volumes[name]
            let isClaim = volume.map { !$0["persistentVolumeClaim"].isNull || !$0["ephemeral"].isNull } ?? false
            if name.isEmpty { errs.append(.required(devicePath.child("name"))) }
            if names.contains(name) { errs.append(.invalid(devicePath.child("name"), string: name, "must be unique")) }
            if volume != nil && !isClaim {
                errs.append(.invalid(devicePath.child("name"), string: name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"))
            }
            if volume == nil { errs.append(.notFound(devicePath.child("name"), string: name)) }
            if target.isEmpty { errs.append(.required(devicePath.child("devicePath"))) }
            if devicePaths.contains(target) { errs.append(.invalid(devicePath.child("devicePath"), string: target, "must be unique")) }
            if !target.isEmpty && !PathRules.noBacksteps(target, devicePath).isEmpty {
                errs.append(.invalid(devicePath.child("devicePath"), string: target, "can not contain backsteps ('..')"))
            } else {
                devicePaths.insert(target)
            }
            if mountNames.contains(name) {
                errs.append(.invalid(devicePath.child("name"), string: name, "must not already exist in volumeMounts"))
            }
            if mountPaths.contains(target) {
                errs.append(.invalid(devicePath.child("devicePath"), string: target, "must not already exist as a path in volumeMounts"))
            }
            if !name.isEmpty { names.insert(name) }
        }
        return errs
    }

    // MARK: Security context

    static func securityContext(_ context: JSON, _ path: FieldPath) -> [FieldError] {
        guard context.object != nil else { return [] }
        var errs: [FieldError] = []
        if let uid = context["runAsUser"].int {
            errs += NameValidation.isValidUserID(uid).map { .invalid(path.child("runAsUser"), int: uid, $0) }
        }
        if let gid = context["runAsGroup"].int {
            errs += NameValidation.isValidGroupID(gid).map { .invalid(path.child("runAsGroup"), int: gid, $0) }
        }
        if let procMount = context["procMount"].string, procMount != "Default" && procMount != "Unmasked" {
            errs.append(.notSupported(path.child("procMount"), string: procMount, ["Default", "Unmasked"]))
        }
        if context["allowPrivilegeEscalation"].bool == false {
            if context["privileged"].bool == true {
                errs.append(.invalid(path, rendered: GoSyntax.json(context), "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
            }
            for capability in context["capabilities"]["add"].array ?? [] where capability.string == "CAP_SYS_ADMIN" {
                errs.append(.invalid(path, rendered: GoSyntax.json(context), "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"))
            }
        }
        return errs
    }
}
