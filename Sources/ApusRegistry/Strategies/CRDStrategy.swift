import ApusMachinery
import ApusValidation

/// CustomResourceDefinitions: the name must be `<plural>.<group>`, and a stored definition is at once
/// accepted and established (the server serves it as soon as it is stored).
struct CRDStrategy: ResourceStrategy {
    var hasStatusSubresource: Bool { true }

    func prepareForCreate(_ object: inout JSON, context: WriteContext) async throws(APIError) {
        object["status"] = Self.establishedStatus(object, now: context.now)
        Self.defaults(&object)
    }

    func prepareForUpdate(_ object: inout JSON, old: JSON, context: WriteContext) async throws(APIError) {
        object["status"] = Self.establishedStatus(object, now: context.now)
        Self.defaults(&object)
    }

    static func defaults(_ object: inout JSON) {
        var names = object["spec"]["names"]
        if case .object = names, names["singular"].isNull, let kind = names["kind"].string {
            names["singular"] = .string(kind.lowercased())
        }
        if case .object = names, names["listKind"].isNull, let kind = names["kind"].string {
            names["listKind"] = .string(kind + "List")
        }
        if case .object = names { object[path: ["spec", "names"]] = names }
        if let versions = object["spec"]["versions"].array {
            object[path: ["spec", "versions"]] = .array(versions.map { v in
                var v = v
                setIfMissing(&v, "served", .bool(true))
                return v
            })
        }
    }

    static func establishedStatus(_ object: JSON, now: Double) -> JSON {
        let time = JSON.string(Timestamp.rfc3339(now))
        return [
            "acceptedNames": object["spec"]["names"],
            "storedVersions": .array((object["spec"]["versions"].array ?? []).filter { $0["storage"].bool == true }.map { $0["name"] }),
            "conditions": [
                ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found", "lastTransitionTime": time],
                ["type": "Established", "status": "True", "reason": "InitialNamesAccepted", "message": "the initial names have been accepted", "lastTransitionTime": time],
            ],
        ]
    }

    func validate(_ object: JSON) -> [FieldError] {
        var errors = ObjectMetaValidation.validate(object["metadata"], namespaced: false, nameRule: .dns1123Subdomain)
        let spec = object["spec"]
        let group = spec["group"].string ?? ""
        let plural = spec["names"]["plural"].string ?? ""
        if group.isEmpty { errors.append(.required("spec.group")) } else if !group.contains(".") {
            errors.append(.invalid("spec.group", .string(group), "should be a domain with at least one dot"))
        }
        if plural.isEmpty { errors.append(.required("spec.names.plural")) }
        if (spec["names"]["kind"].string ?? "").isEmpty { errors.append(.required("spec.names.kind")) }
        if let name = object["metadata"]["name"].string, !plural.isEmpty, !group.isEmpty, name != "\(plural).\(group)" {
            errors.append(.invalid("metadata.name", .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        let scope = spec["scope"].string ?? ""
        if scope != "Namespaced" && scope != "Cluster" {
            errors.append(.notSupported("spec.scope", .string(scope), ["Cluster", "Namespaced"]))
        }
        let versions = spec["versions"].array ?? []
        if versions.isEmpty { errors.append(.required("spec.versions", "must have exactly one version marked as storage version")) }
        if versions.filter({ $0["storage"].bool == true }).count != 1, !versions.isEmpty {
            errors.append(.invalid("spec.versions", .null, "must have exactly one version marked as storage version"))
        }
        return errors
    }

    func validateUpdate(_ object: JSON, old: JSON) -> [FieldError] {
        var errors = validate(object)
        if object["spec"]["group"] != old["spec"]["group"] {
            errors.append(.invalid("spec.group", object["spec"]["group"], "field is immutable"))
        }
        if object["spec"]["names"]["plural"] != old["spec"]["names"]["plural"] {
            errors.append(.invalid("spec.names.plural", object["spec"]["names"]["plural"], "field is immutable"))
        }
        return errors
    }
}
