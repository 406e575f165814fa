import ApusMachinery

/// Compute resource names and `resources.{limits,requests}` (core `validateResourceRequirements`).
enum ResourceValidation {
    static let standardResources: Set<String> = [
        "cpu", "memory", "ephemeral-storage", "storage",
        "requests.cpu", "requests.memory", "requests.ephemeral-storage", "requests.storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage",
        "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
        "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
    ]
    static let standardContainerResources: Set<String> = ["cpu", "memory", "ephemeral-storage"]

    static func isHugePages(_ name: String) -> Bool { name.hasPrefix("hugepages-") }

    /// Unprefixed names and `kubernetes.io/` names belong to Kubernetes.
    static func isNative(_ name: String) -> Bool { !name.contains("/") || name.contains("kubernetes.io/") }

    /// Vendor resources such as `nvidia.com/gpu`: whole units only, requests must equal limits.
    static func isExtended(_ name: String) -> Bool {
        if isNative(name) || name.hasPrefix("requests.") { return false }
        return NameValidation.isQualifiedName("requests." + name).isEmpty
    }

    static func isOvercommitAllowed(_ name: String) -> Bool { isNative(name) && !isHugePages(name) }

    static func resourceNameErrors(_ name: String, _ path: FieldPath) -> [FieldError] {
        let errs = FieldError.invalidEach(path, string: name, NameValidation.isQualifiedName(name))
        if !errs.isEmpty { return errs }
        if !name.contains("/") && !standardResources.contains(name) && !isHugePages(name) && !name.hasPrefix("requests.hugepages-") {
            return [.invalid(path, string: name, "must be a standard resource type or fully qualified")]
        }
        return []
    }

    static func containerResourceNameErrors(_ name: String, _ path: FieldPath) -> [FieldError] {
        var errs = resourceNameErrors(name, path)
        if !name.contains("/") {
            if !standardContainerResources.contains(name) && !isHugePages(name) {
                errs.append(.invalid(path, string: name, "must be a standard resource for containers"))
            }
        } else if !isNative(name) && !isExtended(name) {
            errs.append(.invalid(path, string: name, "doesn't follow extended resource name standard"))
        }
        return errs
    }

    /// `ValidateResourceQuantityValue`: never negative, whole numbers for extended resources.
    static func quantityValueErrors(_ name: String, _ quantity: Quantity, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if quantity.isNegative { errs.append(.invalid(path, string: quantity.description, Messages.isNegative)) }
        if isExtended(name) && !quantity.isInteger {
            errs.append(.invalid(path, rendered: quantity.description, Messages.notInteger))
        }
        return errs
    }

    static func requirements(_ resources: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let limitsPath = path.child("limits")
        let requestsPath = path.child("requests")
        let limits = quantities(resources["limits"])
        let requests = quantities(resources["requests"])
        var hasCPUOrMemory = false
        var hasHugePages = false
        for (name, quantity) in limits {
            let itemPath = limitsPath.key(name)
            errs += containerResourceNameErrors(name, itemPath)
            errs += quantityValueErrors(name, quantity, itemPath)
            if isHugePages(name) { hasHugePages = true }
            if name == "cpu" || name == "memory" { hasCPUOrMemory = true }
        }
        for (name, quantity) in requests {
            let itemPath = requestsPath.key(name)
            errs += containerResourceNameErrors(name, itemPath)
            errs += quantityValueErrors(name, quantity, itemPath)
            if let limit = limits.first(where: { $0.name == name })?.quantity {
                if quantity != limit && !isOvercommitAllowed(name) {
                    errs.append(.invalid(requestsPath, string: quantity.description, "must be equal to \(name) limit of \(limit)"))
                } else if quantity > limit {
                    errs.append(.invalid(requestsPath, string: quantity.description, "must be less than or equal to \(name) limit of \(limit)"))
                }
            } else if !isOvercommitAllowed(name) {
                errs.append(.required(limitsPath, "Limit must be set for non overcommitable resources"))
            }
            if isHugePages(name) { hasHugePages = true }
            if name == "cpu" || name == "memory" { hasCPUOrMemory = true }
        }
        if hasHugePages && !hasCPUOrMemory { errs.append(.forbidden(path, "HugePages require cpu or memory")) }
        return errs
    }

    /// The parsable entries of a resource list, sorted by name (unparsable ones are TypeCheck's to report).
    static func quantities(_ list: JSON) -> [(name: String, quantity: Quantity)] {
        guard let object = list.object else { return [] }
        return object.keys.sorted().compactMap { name in
            guard let value = object[name], case .success(let quantity) = Quantity.from(value) else { return nil }
            return (name, quantity)
        }
    }
}
