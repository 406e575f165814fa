import ApusMachinery

/// PriorityClasses, PodDisruptionBudgets, HorizontalPodAutoscalers and Leases.
enum PolicyValidation {
    static let highestUserPriority: Int64 = 1_000_000_000
    static let systemPriorityClasses: [String: Int64] = ["system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000]

    static func priorityClass(_ object: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        let name = object["metadata"]["name"].string ?? ""
        let value = object["value"].int ?? 0
        if name.hasPrefix("system-") {
            if let expected = systemPriorityClasses[name] {
                let prefix = "priority class names with 'system-' prefix are reserved for system use only. error: "
                if expected != value {
                    errs.append(.forbidden(FieldPath("metadata").child("name"), prefix + "value of \(name) PriorityClass must be \(expected)"))
                } else if object["globalDefault"].bool == true {
                    errs.append(.forbidden(FieldPath("metadata").child("name"), prefix + "globalDefault of \(name) PriorityClass must be false"))
                }
            } else {
                errs.append(.forbidden(FieldPath("metadata").child("name"),
                                       "priority class names with 'system-' prefix are reserved for system use only. error: \(name) is not a known system priority class"))
            }
        } else if value > highestUserPriority {
            errs.append(.forbidden(FieldPath("value"), "maximum allowed value of a user defined priority is \(highestUserPriority)"))
        }
        if let policy = object["preemptionPolicy"].string {
            errs += PodSpecValidation.preemptionPolicy(policy, FieldPath("preemptionPolicy"))
        }
        return errs
    }

    static func priorityClassUpdate(new: JSON, old: JSON) -> [FieldError] {
        var errs: [FieldError] = []
        if (new["value"].int ?? 0) != (old["value"].int ?? 0) {
            errs.append(.forbidden(FieldPath("value"), "may not be changed in an update."))
        }
        // preemptionPolicy defaults to PreemptLowerPriority.
        let newPolicy = new["preemptionPolicy"].string ?? "PreemptLowerPriority"
        if newPolicy != (old["preemptionPolicy"].string ?? "PreemptLowerPriority") {
            errs.append(.invalid(FieldPath("preemptionPolicy"), string: newPolicy, Messages.fieldImmutable))
        }
        return errs
    }

    static func podDisruptionBudget(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        let path = FieldPath("spec")
        var errs: [FieldError] = []
        if !spec["minAvailable"].isNull && !spec["maxUnavailable"].isNull {
            errs.append(.invalid(path, rendered: GoSyntax.json(spec), "minAvailable and maxUnavailable cannot be both set"))
        }
        for key in ["minAvailable", "maxUnavailable"] where !spec[key].isNull {
            errs += IntOrPercent.positiveIntOrPercent(spec[key], path.child(key))
            errs += IntOrPercent.notMoreThan100Percent(spec[key], path.child(key))
        }
        errs += LabelValidation.selector(spec["selector"], path.child("selector"))
        if let policy = spec["unhealthyPodEvictionPolicy"].string, policy != "IfHealthyBudget" && policy != "AlwaysAllow" {
            errs.append(.notSupported(path.child("unhealthyPodEvictionPolicy"), string: policy, ["AlwaysAllow", "IfHealthyBudget"]))
        }
        return errs
    }

    static func horizontalPodAutoscaler(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        let path = FieldPath("spec")
        var errs: [FieldError] = []
        let minReplicas = spec["minReplicas"].int
        let maxReplicas = spec["maxReplicas"].int ?? 0
        if let minimum = minReplicas, minimum < 1 {
            errs.append(.invalid(path.child("minReplicas"), int: minimum, "must be greater than or equal to 1"))
        }
        if maxReplicas < 1 { errs.append(.invalid(path.child("maxReplicas"), int: maxReplicas, "must be greater than 0")) }
        if let minimum = minReplicas, maxReplicas < minimum {
            errs.append(.invalid(path.child("maxReplicas"), int: maxReplicas, "must be greater than or equal to `minReplicas`"))
        }
        let ref = spec["scaleTargetRef"]
        for key in ["kind", "name"] {
            let value = ref[key].string ?? ""
            let refPath = path.child("scaleTargetRef", key)
            if value.isEmpty {
                errs.append(.required(refPath))
            } else {
                errs += FieldError.invalidEach(refPath, string: value, NameValidation.isValidPathSegmentName(value))
            }
        }
        // autoscaling/v1 only knows a CPU target.
        if let target = spec["targetCPUUtilizationPercentage"].int, target < 1 {
            errs.append(.invalid(path.child("targetCPUUtilizationPercentage"), int: target, "must be greater than 0"))
        }
        for (i, metric) in (spec["metrics"].array ?? []).enumerated() {
            let metricPath = path.child("metrics").index(i)
            let type = metric["type"].string ?? ""
            let types = ["ContainerResource", "External", "Object", "Pods", "Resource"]
            if type.isEmpty { errs.append(.required(metricPath.child("type"), "must specify a metric source type")) }
            if !types.contains(type) { errs.append(.notSupported(metricPath.child("type"), string: type, types)) }
        }
        return errs
    }

    static func lease(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        let path = FieldPath("spec")
        var errs: [FieldError] = []
        if let duration = spec["leaseDurationSeconds"].int, duration <= 0 {
            errs.append(.invalid(path.child("leaseDurationSeconds"), int: duration, "must be greater than 0"))
        }
        if let transitions = spec["leaseTransitions"].int, transitions < 0 {
            errs.append(.invalid(path.child("leaseTransitions"), int: transitions, Messages.isNegative))
        }
        return errs
    }
}
