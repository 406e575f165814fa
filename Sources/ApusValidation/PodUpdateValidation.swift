import ApusMachinery

/// What may change in a running Pod (core `ValidatePodUpdate`): images, a shorter
/// activeDeadlineSeconds, added tolerations and removed scheduling gates; nothing else in `spec`.
enum PodUpdateValidation {
    static let updatableFields = [
        "`spec.containers[*].image`",
        "`spec.initContainers[*].image`",
        "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ]

    static func validate(new: JSON, old: JSON) -> [FieldError] {
        let specPath = FieldPath("spec")
        let newSpec = new["spec"]
        let oldSpec = old["spec"]
        var errs: [FieldError] = []
        for key in ["containers", "initContainers"] {
            if (newSpec[key].array ?? []).count != (oldSpec[key].array ?? []).count {
                errs.append(.forbidden(specPath.child(key), "pod updates may not add or remove containers"))
                return errs
            }
        }

        let deadlinePath = specPath.child("activeDeadlineSeconds")
        if let newDeadline = newSpec["activeDeadlineSeconds"].int {
            if newDeadline < 0 || newDeadline > PodSpecValidation.maxInt32 {
                errs.append(.invalid(deadlinePath, int: newDeadline, NameValidation.inclusiveRangeError(0, PodSpecValidation.maxInt32)))
                return errs
            }
            if let oldDeadline = oldSpec["activeDeadlineSeconds"].int, oldDeadline < newDeadline {
                errs.append(.invalid(deadlinePath, int: newDeadline, "must be less than or equal to previous value"))
                return errs
            }
        } else if oldSpec["activeDeadlineSeconds"].int != nil {
            errs.append(.invalid(deadlinePath, rendered: "null", "must not update from a positive integer to nil value"))
        }

        errs += onlyAddedTolerations(new: newSpec["tolerations"], old: oldSpec["tolerations"], specPath.child("tolerations"))
        errs += onlyDeletedSchedulingGates(new: newSpec["schedulingGates"], old: oldSpec["schedulingGates"], specPath.child("schedulingGates"))

        if Semantic.equal(newSpec, oldSpec) { return errs }
        var munged = newSpec
        for key in ["containers", "initContainers"] {
            let oldContainers = oldSpec[key].array ?? []
            if var containers = munged[key].array {
                for i in containers.indices where i < oldContainers.count {
                    containers[i]["image"] = oldContainers[i]["image"]
                }
                munged[key] = .array(containers)
            }
        }
        for key in ["activeDeadlineSeconds", "schedulingGates", "tolerations"] { munged[key] = oldSpec[key] }
        if let oldGrace = oldSpec["terminationGracePeriodSeconds"].int, oldGrace < 0, munged["terminationGracePeriodSeconds"].int == 1 {
            munged["terminationGracePeriodSeconds"] = oldSpec["terminationGracePeriodSeconds"]
        }
        // A pod still held by scheduling gates may have its node placement adjusted.
        if !(oldSpec["schedulingGates"].array ?? []).isEmpty {
            munged["nodeSelector"] = oldSpec["nodeSelector"]
            munged[path: ["affinity", "nodeAffinity"]] = oldSpec["affinity"]["nodeAffinity"]
        }
        if !Semantic.equal(munged, oldSpec) {
            let diff = Semantic.diff(old: oldSpec, new: munged, path: "spec").map { "  " + $0 }
            let detail = "pod updates may not change fields other than \(updatableFields.joined(separator: ","))\n"
                + (["  core.PodSpec{"] + diff + ["  }"]).joined(separator: "\n")
            errs.append(.forbidden(specPath, detail))
        }
        return errs
    }

    /// Every old toleration must still be there (its tolerationSeconds may change).
    static func onlyAddedTolerations(new: JSON, old: JSON, _ path: FieldPath) -> [FieldError] {
        let newList = new.array ?? []
        for oldToleration in old.array ?? [] {
            let found = newList.contains { candidate in
                var a = oldToleration
                var b = candidate
                a["tolerationSeconds"] = .null
                b["tolerationSeconds"] = .null
                return Semantic.equal(a, b)
            }
            if !found { return [.forbidden(path, "existing toleration can not be modified except its tolerationSeconds")] }
        }
        return []
    }

    static func onlyDeletedSchedulingGates(new: JSON, old: JSON, _ path: FieldPath) -> [FieldError] {
        let oldNames = Set((old.array ?? []).compactMap { $0["name"].string })
        var errs: [FieldError] = []
        for (i, gate) in (new.array ?? []).enumerated() {
            let name = gate["name"].string ?? ""
            if !oldNames.contains(name) {
                errs.append(.forbidden(path.index(i).child("name"), "only deletion is allowed, but found new scheduling gate '\(name)'"))
            }
        }
        return errs
    }
}
