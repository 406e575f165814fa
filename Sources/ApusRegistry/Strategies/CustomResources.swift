import ApusMachinery
import ApusValidation

/// Resources defined by CustomResourceDefinitions: one definition per served version, all sharing
/// the storage of the CRD's group and plural, validated against the version's OpenAPI schema.
enum CustomResources {
    static func definitions(from crd: JSON) -> [ResourceDefinition] {
        let spec = crd["spec"]
        guard let group = spec["group"].string, let plural = spec["names"]["plural"].string,
              let kind = spec["names"]["kind"].string else { return [] }
        let namespaced = spec["scope"].string != "Cluster"
        let shortNames = (spec["names"]["shortNames"].array ?? []).compactMap(\.string)
        let categories = (spec["names"]["categories"].array ?? []).compactMap(\.string)
        var definitions: [ResourceDefinition] = []
        for version in spec["versions"].array ?? [] where version["served"].bool != false {
            guard let name = version["name"].string else { continue }
            var subresources: [ResourceDefinition.Subresource] = []
            let hasStatus = version["subresources"]["status"].object != nil
            if hasStatus { subresources.append(.status) }
            if version["subresources"]["scale"].object != nil { subresources.append(.scale) }
            let strategy = CustomResourceStrategy(namespaced: namespaced, hasStatusSubresource: hasStatus,
                                                  schema: version["schema"]["openAPIV3Schema"])
            var def = ResourceDefinition(group: group, version: name, resource: plural, kind: kind, namespaced: namespaced,
                                         shortNames: shortNames, categories: categories, subresources: subresources,
                                         strategy: strategy)
            if let singular = spec["names"]["singular"].string { def.singular = singular }
            def.printerColumns = version["additionalPrinterColumns"].array ?? []
            def.isCustom = true
            definitions.append(def)
        }
        return definitions
    }
}

/// Custom objects: metadata rules as for any object, content checked against the schema.
struct CustomResourceStrategy: ResourceStrategy {
    let namespaced: Bool
    let hasStatusSubresource: Bool
    let schema: JSON

    func prepareForCreate(_ object: inout JSON, context: WriteContext) async throws(APIError) {
        if hasStatusSubresource { object["status"] = .null }
        object = SchemaValidation.prune(object, schema: schema)
    }

    func prepareForUpdate(_ object: inout JSON, old: JSON, context: WriteContext) async throws(APIError) {
        if hasStatusSubresource { object["status"] = old["status"] }
        object = SchemaValidation.prune(object, schema: schema)
    }

    func validate(_ object: JSON) -> [FieldError] {
        ObjectMetaValidation.validate(object["metadata"], namespaced: namespaced, nameRule: .dns1123Subdomain)
            + SchemaValidation.validate(object, schema: schema)
    }

    func validateUpdate(_ object: JSON, old: JSON) -> [FieldError] {
        validate(object) + ObjectMetaValidation.validateUpdate(new: object["metadata"], old: old["metadata"])
    }
}
