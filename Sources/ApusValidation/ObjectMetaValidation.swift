import ApusMachinery

/// `metadata` rules shared by every built-in kind (apimachinery's `ValidateObjectMeta` plus the core
/// finalizer-name rule). Field paths start at `metadata`.
public enum ObjectMetaValidation {
    static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]
    static let fieldManagerMaxLength = 128
    static let subresourceMaxLength = 256

    /// Validation on create. A missing `name` is accepted when `generateName` is set (the name is
    /// generated from it); `namespace` is required iff `namespaced` (the caller must clear the namespace
    /// of cluster-scoped objects first, as Kubernetes does).
    public static func validate(_ metadata: JSON, namespaced: Bool, nameRule: NameRule) -> [FieldError] {
        validate(metadata, namespaced: namespaced, nameRule: nameRule, path: FieldPath("metadata"))
    }

    static func validate(_ metadata: JSON, namespaced: Bool, nameRule: NameRule, path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let name = metadata["name"].string ?? ""
        let generateName = metadata["generateName"].string ?? ""
        if !generateName.isEmpty {
            errs += FieldError.invalidEach(path.child("generateName"), string: generateName,
                                           nameRule.messages(for: generateName, prefix: true))
        }
        if name.isEmpty {
            if generateName.isEmpty { errs.append(.required(path.child("name"), "name or generateName is required")) }
        } else {
            errs += FieldError.invalidEach(path.child("name"), string: name, nameRule.messages(for: name))
        }

        let namespace = metadata["namespace"].string ?? ""
        if namespaced {
            if namespace.isEmpty {
                errs.append(.required(path.child("namespace")))
            } else {
                errs += FieldError.invalidEach(path.child("namespace"), string: namespace, NameValidation.isDNS1123Label(namespace))
            }
        } else if !namespace.isEmpty {
            errs.append(.forbidden(path.child("namespace"), "not allowed on this type"))
        }

        if let generation = metadata["generation"].int, generation < 0 {
            errs.append(.invalid(path.child("generation"), int: generation, Messages.isNegative))
        }
        errs += LabelValidation.labels(metadata["labels"], path.child("labels"))
        errs += LabelValidation.annotations(metadata["annotations"], path.child("annotations"))
        errs += ownerReferences(metadata["ownerReferences"], path.child("ownerReferences"))
        errs += finalizers(metadata["finalizers"], path.child("finalizers"))
        errs += managedFields(metadata["managedFields"], path.child("managedFields"))
        errs += kubeFinalizerNames(metadata["finalizers"], path.child("finalizers"))
        return errs
    }

    /// Validation on update, in place of `validate`: identity fields may not change, the generation may
    /// not go back, and labels, annotations, owner references and finalizers must still be valid.
    /// A missing `uid`, `creationTimestamp`, `deletionTimestamp` or `deletionGracePeriodSeconds` counts as
    /// unchanged (Kubernetes copies them from the stored object).
    public static func validateUpdate(new: JSON, old: JSON) -> [FieldError] {
        let path = FieldPath("metadata")
        var errs: [FieldError] = []

        if !(old["deletionTimestamp"].string ?? "").isEmpty {
            let oldFinalizers = Set((old["finalizers"].array ?? []).compactMap(\.string))
            let added = Set((new["finalizers"].array ?? []).compactMap(\.string)).subtracting(oldFinalizers).sorted()
            if !added.isEmpty {
                errs.append(.forbidden(path.child("finalizers"),
                                       "no new finalizers can be added if the object is being deleted, found new finalizers \(GoSyntax.stringSlice(.array(added.map { .string($0) })))"))
            }
        }
        if let newGeneration = new["generation"].int, let oldGeneration = old["generation"].int, newGeneration < oldGeneration {
            errs.append(.invalid(path.child("generation"), int: newGeneration, "must not be decremented"))
        }
        for key in ["name", "namespace"] {
            let newValue = new[key].string ?? ""
            if newValue != (old[key].string ?? "") {
                errs.append(.invalid(path.child(key), string: newValue, Messages.fieldImmutable))
            }
        }
        for key in ["uid", "creationTimestamp"] {
            if let newValue = new[key].string, !newValue.isEmpty, newValue != (old[key].string ?? "") {
                errs.append(.invalid(path.child(key), string: newValue, Messages.fieldImmutable))
            }
        }
        // A set deletionTimestamp is carried over by Kubernetes; only setting one by update is refused.
        if let newDeletion = new["deletionTimestamp"].string, !newDeletion.isEmpty, (old["deletionTimestamp"].string ?? "").isEmpty {
            errs.append(.invalid(path.child("deletionTimestamp"), string: newDeletion, Messages.fieldImmutable))
        }
        if let grace = new["deletionGracePeriodSeconds"].int, grace != old["deletionGracePeriodSeconds"].int {
            errs.append(.invalid(path.child("deletionGracePeriodSeconds"), int: grace, Messages.fieldImmutable))
        }

        errs += LabelValidation.labels(new["labels"], path.child("labels"))
        errs += LabelValidation.annotations(new["annotations"], path.child("annotations"))
        errs += ownerReferences(new["ownerReferences"], path.child("ownerReferences"))
        errs += managedFields(new["managedFields"], path.child("managedFields"))
        errs += kubeFinalizerNames(new["finalizers"], path.child("finalizers"))
        return errs
    }

    // MARK: Parts

    static func ownerReferences(_ references: JSON, _ path: FieldPath) -> [FieldError] {
        guard let array = references.array else { return [] }
        var errs: [FieldError] = []
        var firstController: String? = nil
        for reference in array {
            let apiVersion = reference["apiVersion"].string ?? ""
            let kind = reference["kind"].string ?? ""
            let (group, version) = parseGroupVersion(apiVersion)
            // An unparsable apiVersion leaves Kubernetes with an empty version as well.
            if version.isEmpty {
                errs.append(.invalid(path.child("apiVersion"), string: apiVersion, "version must not be empty"))
            }
            if kind.isEmpty { errs.append(.invalid(path.child("kind"), string: kind, "must not be empty")) }
            let name = reference["name"].string ?? ""
            if name.isEmpty { errs.append(.invalid(path.child("name"), string: name, "must not be empty")) }
            let uid = reference["uid"].string ?? ""
            if uid.isEmpty { errs.append(.invalid(path.child("uid"), string: uid, "must not be empty")) }
            if group.isEmpty && version == "v1" && kind == "Event" {
                errs.append(.invalid(path, rendered: GoSyntax.json(reference), "/v1, Kind=Event is disallowed from being an owner"))
            }
            if reference["controller"].bool == true {
                let current = kind + "/" + name
                if let first = firstController {
                    errs.append(.invalid(path, rendered: GoSyntax.json(references),
                                         "Only one reference can have Controller set to true. Found \"true\" in references for \(first) and \(current)"))
                } else {
                    firstController = current
                }
            }
        }
        return errs
    }

    /// `schema.ParseGroupVersion`: "v1" → ("", "v1"), "apps/v1" → ("apps", "v1"); more slashes fail (→ empty).
    static func parseGroupVersion(_ apiVersion: String) -> (group: String, version: String) {
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return ("", String(parts[0]))
        case 2: return (String(parts[0]), String(parts[1]))
        default: return ("", "")
        }
    }

    static func finalizers(_ finalizers: JSON, _ path: FieldPath) -> [FieldError] {
        guard let array = finalizers.array else { return [] }
        var errs: [FieldError] = []
        let names = array.compactMap(\.string)
        for name in names {
            errs += FieldError.invalidEach(path, string: name, NameValidation.isQualifiedName(name))
        }
        if names.contains("orphan") && names.contains("foregroundDeletion") {
            errs.append(.invalid(path, rendered: GoSyntax.stringSlice(finalizers), "finalizer orphan and foregroundDeletion cannot be both set"))
        }
        return errs
    }

    /// Built-in kinds also reject unqualified finalizer names other than the standard ones.
    static func kubeFinalizerNames(_ finalizers: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, value) in (finalizers.array ?? []).enumerated() {
            guard let name = value.string, !name.contains("/"), !standardFinalizers.contains(name) else { continue }
            errs.append(.invalid(path.index(i), string: name, "name is neither a standard finalizer name nor is it fully qualified"))
        }
        return errs
    }

    static func managedFields(_ entries: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, entry) in (entries.array ?? []).enumerated() {
            let entryPath = path.index(i)
            let operation = entry["operation"].string ?? ""
            if operation != "Apply" && operation != "Update" {
                errs.append(.invalid(entryPath.child("operation"), string: operation, "must be `Apply` or `Update`"))
            }
            if let fieldsType = entry["fieldsType"].string, !fieldsType.isEmpty, fieldsType != "FieldsV1" {
                errs.append(.invalid(entryPath.child("fieldsType"), string: fieldsType, "must be `FieldsV1`"))
            }
            if let manager = entry["manager"].string {
                if manager.utf8.count > fieldManagerMaxLength { errs.append(.tooLong(entryPath.child("manager"), fieldManagerMaxLength)) }
                for (offset, scalar) in manager.unicodeScalars.enumerated() where scalar.value < 0x20 || scalar.value == 0x7F {
                    errs.append(.invalid(entryPath.child("manager"), string: manager,
                                         "invalid character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)) (at position \(offset))"))
                }
            }
            if let subresource = entry["subresource"].string, subresource.utf8.count > subresourceMaxLength {
                errs.append(.tooLong(entryPath.child("subresource"), subresourceMaxLength))
            }
        }
        return errs
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
