import ApusMachinery

/// Deployments, ReplicaSets, StatefulSets, DaemonSets and ReplicationControllers
/// (`pkg/apis/apps/validation`). Defaults Kubernetes would fill in are assumed where fields are absent.
enum WorkloadValidation {
    static let specPath = FieldPath("spec")

    static func nonNegative(_ value: JSON, _ path: FieldPath) -> [FieldError] {
        guard let number = value.int, number < 0 else { return [] }
        return [.invalid(path, int: number, Messages.isNegative)]
    }

    /// Selector required, valid and non-empty; its errors then the template checks.
    static func selectorAndTemplate(_ spec: JSON, emptyMessage: String, requireSelector: Bool = true) -> (errors: [FieldError], convertible: Bool) {
        var errs: [FieldError] = []
        let selector = spec["selector"]
        if selector.isNull {
            if requireSelector { errs.append(.required(specPath.child("selector"))) }
        } else {
            errs += LabelValidation.selector(selector, specPath.child("selector"))
            if LabelValidation.isEmptySelector(selector) {
                errs.append(.invalid(specPath.child("selector"), rendered: GoSyntax.labelSelector(selector), emptyMessage))
            }
        }
        return (errs, LabelValidation.isConvertible(selector))
    }

    /// The template's labels must be selected by a non-empty selector (a missing one selects nothing).
    static func templateMatchErrors(_ spec: JSON) -> [FieldError] {
        let selector = spec["selector"]
        if !selector.isNull && LabelValidation.isEmptySelector(selector) { return [] }
        let labels = spec["template"]["metadata"]["labels"]
        if LabelValidation.matches(selector, labels: labels) { return [] }
        return [.invalid(specPath.child("template", "metadata", "labels"), rendered: GoSyntax.stringMap(labels),
                         "`selector` does not match template `labels`")]
    }

    /// Controllers of long-running pods: restartPolicy Always, no activeDeadlineSeconds.
    static func alwaysRestartErrors(_ template: JSON, _ path: FieldPath, kindName: String, deadlineAsInvalid: Bool = false) -> [FieldError] {
        var errs: [FieldError] = []
        let policy = template["spec"]["restartPolicy"].string ?? ""
        if !policy.isEmpty && policy != "Always" {
            errs.append(.notSupported(path.child("spec", "restartPolicy"), string: policy, ["Always"]))
        }
        if let deadline = template["spec"]["activeDeadlineSeconds"].int {
            errs.append(deadlineAsInvalid
                ? .invalid(path.child("spec", "activeDeadlineSeconds"), int: deadline, "must not be specified")
                : .forbidden(path.child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in \(kindName) is not Supported"))
        }
        return errs
    }

    /// `ValidatePodTemplateSpecForReplicaSet` (also used by Deployments).
    static func replicaSetTemplate(_ spec: JSON, convertible: Bool) -> [FieldError] {
        let templatePath = specPath.child("template")
        if !convertible {
            return [.invalid(specPath.child("selector"), rendered: GoSyntax.labelSelector(spec["selector"]), "invalid label selector")]
        }
        let template = spec["template"]
        var errs = templateMatchErrors(spec)
        errs += PodSpecValidation.template(template, templatePath)
        errs += alwaysRestartErrors(template, templatePath, kindName: "ReplicaSet")
        return errs
    }

    // MARK: Deployment

    static func deployment(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        var errs = nonNegative(spec["replicas"], specPath.child("replicas"))
        let (selectorErrs, convertible) = selectorAndTemplate(spec, emptyMessage: "empty selector is invalid for deployment")
        errs += selectorErrs
        errs += replicaSetTemplate(spec, convertible: convertible)
        errs += deploymentStrategy(spec["strategy"], specPath.child("strategy"))
        errs += nonNegative(spec["minReadySeconds"], specPath.child("minReadySeconds"))
        errs += nonNegative(spec["revisionHistoryLimit"], specPath.child("revisionHistoryLimit"))
        let progressDeadline = spec["progressDeadlineSeconds"].int ?? 600
        errs += nonNegative(spec["progressDeadlineSeconds"], specPath.child("progressDeadlineSeconds"))
        if progressDeadline <= (spec["minReadySeconds"].int ?? 0) {
            errs.append(.invalid(specPath.child("progressDeadlineSeconds"), int: progressDeadline, "must be greater than minReadySeconds"))
        }
        return errs
    }

    static func deploymentStrategy(_ strategy: JSON, _ path: FieldPath) -> [FieldError] {
        let type = strategy["type"].string ?? ""
        let rollingUpdate = strategy["rollingUpdate"]
        switch type {
        case "Recreate":
            return rollingUpdate.isNull ? [] : [.forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")]
        case "RollingUpdate", "":
            // A missing budget defaults to 25%.
            let maxUnavailable = rollingUpdate["maxUnavailable"].isNull ? JSON.string("25%") : rollingUpdate["maxUnavailable"]
            let maxSurge = rollingUpdate["maxSurge"].isNull ? JSON.string("25%") : rollingUpdate["maxSurge"]
            let rollingPath = path.child("rollingUpdate")
            var errs = IntOrPercent.positiveIntOrPercent(maxUnavailable, rollingPath.child("maxUnavailable"))
            errs += IntOrPercent.positiveIntOrPercent(maxSurge, rollingPath.child("maxSurge"))
            if IntOrPercent.value(maxUnavailable) == 0 && IntOrPercent.value(maxSurge) == 0 {
                errs.append(.invalid(rollingPath.child("maxUnavailable"), rendered: GoSyntax.intOrString(maxUnavailable),
                                     "may not be 0 when `maxSurge` is 0"))
            }
            errs += IntOrPercent.notMoreThan100Percent(maxUnavailable, rollingPath.child("maxUnavailable"))
            return errs
        default:
            let rendered = "apps.DeploymentStrategy{Type:\(GoSyntax.quote(type)), RollingUpdate:"
                + (rollingUpdate.isNull ? "(*apps.RollingUpdateDeployment)(nil)}" : "\(GoSyntax.json(rollingUpdate))}")
            return [.notSupported(path, rendered: rendered, ["Recreate", "RollingUpdate"])]
        }
    }

    // MARK: ReplicaSet

    static func replicaSet(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        var errs = nonNegative(spec["replicas"], specPath.child("replicas"))
        errs += nonNegative(spec["minReadySeconds"], specPath.child("minReadySeconds"))
        let (selectorErrs, convertible) = selectorAndTemplate(spec, emptyMessage: "empty selector is invalid for deployment")
        errs += selectorErrs
        errs += replicaSetTemplate(spec, convertible: convertible)
        return errs
    }

    // MARK: StatefulSet

    static func statefulSet(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        var errs: [FieldError] = []
        let policy = spec["podManagementPolicy"].string ?? ""
        if !policy.isEmpty && policy != "OrderedReady" && policy != "Parallel" {
            errs.append(.invalid(specPath.child("podManagementPolicy"), string: policy, "must be 'OrderedReady' or 'Parallel'"))
        }
        let strategy = spec["updateStrategy"]
        let strategyPath = specPath.child("updateStrategy")
        switch strategy["type"].string ?? "" {
        case "OnDelete":
            if !strategy["rollingUpdate"].isNull {
                errs.append(.invalid(strategyPath.child("rollingUpdate"), rendered: GoSyntax.json(strategy["rollingUpdate"]),
                                     "only allowed for updateStrategy 'RollingUpdate'"))
            }
        case "RollingUpdate", "":
            let rolling = strategy["rollingUpdate"]
            if rolling.object != nil {
                let rollingPath = strategyPath.child("rollingUpdate")
                errs += nonNegative(rolling["partition"], rollingPath.child("partition"))
                let maxUnavailable = rolling["maxUnavailable"]
                if !maxUnavailable.isNull {
                    errs += IntOrPercent.positiveIntOrPercent(maxUnavailable, rollingPath.child("maxUnavailable"))
                    if IntOrPercent.value(maxUnavailable) == 0 {
                        errs.append(.invalid(rollingPath.child("maxUnavailable"), rendered: GoSyntax.intOrString(maxUnavailable), "cannot be 0"))
                    }
                    errs += IntOrPercent.notMoreThan100Percent(maxUnavailable, rollingPath.child("maxUnavailable"))
                }
            }
        default:
            errs.append(.invalid(strategyPath, rendered: GoSyntax.json(strategy), "must be 'RollingUpdate' or 'OnDelete'"))
        }
        let retention = spec["persistentVolumeClaimRetentionPolicy"]
        for key in ["whenDeleted", "whenScaled"] {
            if let value = retention[key].string, value != "Retain" && value != "Delete" {
                errs.append(.notSupported(specPath.child("persistentVolumeClaimRetentionPolicy", key), string: value, ["Retain", "Delete"]))
            }
        }
        errs += nonNegative(spec["replicas"], specPath.child("replicas"))
        errs += nonNegative(spec["minReadySeconds"], specPath.child("minReadySeconds"))
        errs += nonNegative(spec["ordinals"]["start"], specPath.child("ordinals.start"))
        let (selectorErrs, convertible) = selectorAndTemplate(spec, emptyMessage: "empty selector is invalid for statefulset")
        errs += selectorErrs
        let template = spec["template"]
        let templatePath = specPath.child("template")
        if convertible {
            // Kubernetes checks only the template's labels and annotations for StatefulSets, not its pod spec.
            errs += templateMatchErrors(spec)
            errs += LabelValidation.labels(template["metadata"]["labels"], templatePath.child("labels"))
            errs += LabelValidation.annotations(template["metadata"]["annotations"], templatePath.child("annotations"))
        } else {
            errs.append(.invalid(specPath.child("selector"), rendered: GoSyntax.labelSelector(spec["selector"]), ""))
        }
        errs += alwaysRestartErrors(template, templatePath, kindName: "StatefulSet")
        return errs
    }

    // MARK: DaemonSet

    static func daemonSet(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        let selector = spec["selector"]
        var errs = LabelValidation.selector(selector, specPath.child("selector"))
        if LabelValidation.isConvertible(selector) && !LabelValidation.matches(selector, labels: spec["template"]["metadata"]["labels"]) {
            errs.append(.invalid(specPath.child("template", "metadata", "labels"), rendered: GoSyntax.stringMap(spec["template"]["metadata"]["labels"]),
                                 "`selector` does not match template `labels`"))
        }
        if !selector.isNull && LabelValidation.isEmptySelector(selector) {
            errs.append(.invalid(specPath.child("selector"), rendered: GoSyntax.labelSelector(selector), "empty selector is invalid for daemonset"))
        }
        errs += PodSpecValidation.template(spec["template"], specPath.child("template"))
        errs += alwaysRestartErrors(spec["template"], specPath.child("template"), kindName: "DaemonSet")
        errs += nonNegative(spec["minReadySeconds"], specPath.child("minReadySeconds"))
        errs += nonNegative(spec["templateGeneration"], specPath.child("templateGeneration"))
        errs += daemonSetStrategy(spec["updateStrategy"], specPath.child("updateStrategy"))
        errs += nonNegative(spec["revisionHistoryLimit"], specPath.child("revisionHistoryLimit"))
        return errs
    }

    static func daemonSetStrategy(_ strategy: JSON, _ path: FieldPath) -> [FieldError] {
        switch strategy["type"].string ?? "" {
        case "OnDelete":
            return []
        case "RollingUpdate", "":
            let rolling = strategy["rollingUpdate"]
            guard rolling.object != nil else { return [] }
            let rollingPath = path.child("rollingUpdate")
            let maxUnavailable = rolling["maxUnavailable"].isNull ? JSON.int(1) : rolling["maxUnavailable"]
            let maxSurge = rolling["maxSurge"].isNull ? JSON.int(0) : rolling["maxSurge"]
            var errs = IntOrPercent.positiveIntOrPercent(maxUnavailable, rollingPath.child("maxUnavailable"))
            errs += IntOrPercent.positiveIntOrPercent(maxSurge, rollingPath.child("maxSurge"))
            errs += IntOrPercent.notMoreThan100Percent(maxUnavailable, rollingPath.child("maxUnavailable"))
            errs += IntOrPercent.notMoreThan100Percent(maxSurge, rollingPath.child("maxSurge"))
            let hasUnavailable = IntOrPercent.value(maxUnavailable) != 0
            let hasSurge = IntOrPercent.value(maxSurge) != 0
            if hasUnavailable && hasSurge {
                errs.append(.invalid(rollingPath.child("maxSurge"), rendered: GoSyntax.intOrString(maxSurge), "may not be set when maxUnavailable is non-zero"))
            } else if !hasUnavailable && !hasSurge {
                errs.append(.required(rollingPath.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"))
            }
            return errs
        default:
            return [.notSupported(path, rendered: GoSyntax.json(strategy), ["RollingUpdate", "OnDelete"])]
        }
    }

    // MARK: ReplicationController (core)

    static func replicationController(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        let template = spec["template"]
        // An RC without a selector selects its template's labels.
        let selector = (spec["selector"].object?.isEmpty ?? true) ? template["metadata"]["labels"] : spec["selector"]
        var errs = nonNegative(spec["minReadySeconds"], specPath.child("minReadySeconds"))
        if selector.object?.isEmpty ?? true { errs.append(.required(specPath.child("selector"))) }
        errs += nonNegative(spec["replicas"], specPath.child("replicas"))
        let templatePath = specPath.child("template")
        if template.object == nil {
            errs.append(.required(templatePath))
            return errs
        }
        if !(selector.object?.isEmpty ?? true) && !LabelValidation.mapMatches(selector, labels: template["metadata"]["labels"]) {
            errs.append(.invalid(templatePath.child("metadata", "labels"), rendered: GoSyntax.stringMap(template["metadata"]["labels"]),
                                 "`selector` does not match template `labels`"))
        }
        errs += PodSpecValidation.template(template, templatePath)
        errs += alwaysRestartErrors(template, templatePath, kindName: "ReplicationController")
        return errs
    }

    // MARK: Updates

    /// apps/v1 selectors cannot change.
    static func selectorImmutable(new: JSON, old: JSON) -> [FieldError] {
        let newSelector = new["spec"]["selector"]
        if Semantic.equal(newSelector, old["spec"]["selector"]) { return [] }
        let rendered = newSelector.isNull ? "null" : GoSyntax.labelSelector(newSelector)
        return [.invalid(specPath.child("selector"), rendered: rendered, Messages.fieldImmutable)]
    }

    static func statefulSetUpdate(new: JSON, old: JSON) -> [FieldError] {
        let mutable = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"]
        func comparable(_ spec: JSON) -> JSON {
            var copy = spec
            for key in mutable { copy[key] = .null }
            if (copy["podManagementPolicy"].string ?? "").isEmpty { copy["podManagementPolicy"] = "OrderedReady" }
            if copy["revisionHistoryLimit"].isNull { copy["revisionHistoryLimit"] = 10 }
            return copy
        }
        if Semantic.equal(comparable(new["spec"]), comparable(old["spec"])) { return [] }
        return [.forbidden(specPath, "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")]
    }
}
