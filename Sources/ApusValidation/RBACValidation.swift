import ApusMachinery

/// Roles, ClusterRoles and their bindings (`pkg/apis/rbac/validation`).
enum RBACValidation {
    static let group = "rbac.authorization.k8s.io"

    static func role(_ object: JSON, namespaced: Bool) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, rule) in (object["rules"].array ?? []).enumerated() {
            errs += policyRule(rule, namespaced: namespaced, FieldPath("rules").index(i))
        }
        let aggregation = object["aggregationRule"]
        if !namespaced && aggregation.object != nil {
            let selectorsPath = FieldPath("aggregationRule").child("clusterRoleSelectors")
            let selectors = aggregation["clusterRoleSelectors"].array ?? []
            if selectors.isEmpty {
                errs.append(.required(selectorsPath, "at least one clusterRoleSelector required if aggregationRule is non-nil"))
            }
            for (i, selector) in selectors.enumerated() { errs += LabelValidation.selector(selector, selectorsPath.index(i)) }
        }
        return errs
    }

    static func policyRule(_ rule: JSON, namespaced: Bool, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if (rule["verbs"].array ?? []).isEmpty { errs.append(.required(path.child("verbs"), "verbs must contain at least one value")) }
        let urls = rule["nonResourceURLs"]
        if !(urls.array ?? []).isEmpty {
            if namespaced {
                errs.append(.invalid(path.child("nonResourceURLs"), rendered: GoSyntax.stringSlice(urls), "namespaced rules cannot apply to non-resource URLs"))
            }
            if ["apiGroups", "resources", "resourceNames"].contains(where: { !(rule[$0].array ?? []).isEmpty }) {
                errs.append(.invalid(path.child("nonResourceURLs"), rendered: GoSyntax.stringSlice(urls), "rules cannot apply to both regular resources and non-resource URLs"))
            }
            return errs
        }
        if (rule["apiGroups"].array ?? []).isEmpty {
            errs.append(.required(path.child("apiGroups"), "resource rules must supply at least one api group"))
        }
        if (rule["resources"].array ?? []).isEmpty {
            errs.append(.required(path.child("resources"), "resource rules must supply at least one resource"))
        }
        return errs
    }

    static func binding(_ object: JSON, namespaced: Bool) -> [FieldError] {
        var errs: [FieldError] = []
        let ref = object["roleRef"]
        let refPath = FieldPath("roleRef")
        let apiGroup = ref["apiGroup"].string ?? ""
        if apiGroup != group { errs.append(.notSupported(refPath.child("apiGroup"), string: apiGroup, [group])) }
        let kind = ref["kind"].string ?? ""
        let kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"]
        if !kinds.contains(kind) { errs.append(.notSupported(refPath.child("kind"), string: kind, kinds)) }
        let name = ref["name"].string ?? ""
        if name.isEmpty {
            errs.append(.required(refPath.child("name")))
        } else {
            errs += FieldError.invalidEach(refPath.child("name"), string: name, NameValidation.isValidPathSegmentName(name))
        }
        for (i, subject) in (object["subjects"].array ?? []).enumerated() {
            errs += self.subject(subject, namespaced: namespaced, FieldPath("subjects").index(i))
        }
        return errs
    }

    static func subject(_ subject: JSON, namespaced: Bool, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let name = subject["name"].string ?? ""
        if name.isEmpty { errs.append(.required(path.child("name"))) }
        let apiGroup = subject["apiGroup"].string ?? ""
        switch subject["kind"].string ?? "" {
        case "ServiceAccount":
            if !name.isEmpty {
                errs += FieldError.invalidEach(path.child("name"), string: name, NameValidation.isDNS1123Subdomain(name))
            }
            if !apiGroup.isEmpty { errs.append(.notSupported(path.child("apiGroup"), string: apiGroup, [""])) }
            if !namespaced && (subject["namespace"].string ?? "").isEmpty { errs.append(.required(path.child("namespace"))) }
        case "User", "Group":
            // An empty apiGroup is defaulted to the RBAC group for users and groups.
            if !apiGroup.isEmpty && apiGroup != group { errs.append(.notSupported(path.child("apiGroup"), string: apiGroup, [group])) }
        default:
            errs.append(.notSupported(path.child("kind"), string: subject["kind"].string ?? "", ["ServiceAccount", "User", "Group"]))
        }
        return errs
    }

    static func bindingUpdate(new: JSON, old: JSON) -> [FieldError] {
        let keys = ["apiGroup", "kind", "name"]
        let newRef = new["roleRef"]
        if keys.allSatisfy({ newRef[$0].string ?? "" == old["roleRef"][$0].string ?? "" }) { return [] }
        let rendered = "rbac.RoleRef{APIGroup:\(GoSyntax.quote(newRef["apiGroup"].string ?? "")), Kind:\(GoSyntax.quote(newRef["kind"].string ?? "")), Name:\(GoSyntax.quote(newRef["name"].string ?? ""))}"
        return [.invalid(FieldPath("roleRef"), rendered: rendered, "cannot change roleRef")]
    }
}
