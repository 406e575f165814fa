import ApusMachinery

/// The discovery documents built from the served definitions: aggregated (apidiscovery.k8s.io/v2),
/// which kubectl 1.32 asks for first, and the legacy per-group-version lists.
public enum DiscoveryDocuments {
    /// The groups in serving order: core first, then the rest in registration order. Each group's
    /// versions are newest-preferred (the order Kubernetes prefers: v2 before v1).
    static func groups(_ defs: [ResourceDefinition]) -> [(group: String, versions: [String])] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for def in defs {
            if versions[def.group] == nil { order.append(def.group); versions[def.group] = [] }
            if !versions[def.group]!.contains(def.version) { versions[def.group]!.append(def.version) }
        }
        return order.map { group in (group, versions[group]!.sorted { versionPriority($0) > versionPriority($1) }) }
    }

    /// Kubernetes' version ordering: GA > beta > alpha, higher numbers first.
    static func versionPriority(_ version: String) -> Int {
        let scalars = Array(version.dropFirst())
        let major = Int(String(scalars.prefix { $0.isNumber })) ?? 0
        if version.contains("alpha") { return major * 10 }
        if version.contains("beta") { return major * 10 + 1000 }
        return major * 10 + 100_000
    }

    public static func aggregated(_ defs: [ResourceDefinition], core: Bool) -> JSON {
        let items: [JSON] = groups(defs).filter { core ? $0.group.isEmpty : !$0.group.isEmpty }.map { entry in
            [
                "metadata": ["name": .string(entry.group), "creationTimestamp": .null],
                "versions": .array(entry.versions.map { version in
                    [
                        "version": .string(version),
                        "freshness": "Current",
                        "resources": .array(defs.filter { $0.group == entry.group && $0.version == version }.map(aggregatedResource)),
                    ]
                }),
            ]
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .emptyObject, "items": .array(items)]
    }

    static func aggregatedResource(_ def: ResourceDefinition) -> JSON {
        var resource: JSON = [
            "resource": .string(def.resource),
            "responseKind": ["group": .string(def.group), "version": .string(def.version), "kind": .string(def.kind)],
            "scope": def.namespaced ? "Namespaced" : "Cluster",
            "singularResource": .string(def.singular),
            "verbs": .array(def.verbs.map(JSON.string)),
        ]
        if !def.shortNames.isEmpty { resource["shortNames"] = .array(def.shortNames.map(JSON.string)) }
        if !def.categories.isEmpty { resource["categories"] = .array(def.categories.map(JSON.string)) }
        let subresources = def.subresources.map { sub -> JSON in
            let kind = subresourceKind(def, sub)
            return [
                "subresource": .string(sub.rawValue),
                "responseKind": ["group": .string(kind.group), "version": .string(kind.version), "kind": .string(kind.kind)],
                "verbs": .array(subresourceVerbs(sub).map(JSON.string)),
            ]
        }
        if !subresources.isEmpty { resource["subresources"] = .array(subresources) }
        return resource
    }

    static func subresourceKind(_ def: ResourceDefinition, _ sub: ResourceDefinition.Subresource) -> (group: String, version: String, kind: String) {
        switch sub {
        case .scale: return ("autoscaling", "v1", "Scale")
        case .binding: return ("", "v1", "Binding")
        case .eviction: return ("policy", "v1", "Eviction")
        case .log, .exec, .attach, .portforward, .proxy: return ("", "v1", def.kind)
        case .status: return (def.group, def.version, def.kind)
        }
    }

    static func subresourceVerbs(_ sub: ResourceDefinition.Subresource) -> [String] {
        switch sub {
        case .status, .scale: return ["get", "patch", "update"]
        case .binding, .eviction: return ["create"]
        case .log: return ["get"]
        case .exec, .attach, .portforward: return ["create", "get"]
        case .proxy: return ["create", "delete", "get", "patch", "update"]
        }
    }

    /// `GET /api` (legacy form).
    public static func apiVersions(serverAddress: String) -> JSON {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    /// `GET /apis` (legacy form).
    public static func apiGroupList(_ defs: [ResourceDefinition]) -> JSON {
        let groups: [JSON] = groups(defs).filter { !$0.group.isEmpty }.map { entry in
            let versions: [JSON] = entry.versions.map { ["groupVersion": .string("\(entry.group)/\($0)"), "version": .string($0)] }
            return ["name": .string(entry.group), "versions": .array(versions), "preferredVersion": versions[0]]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    /// `GET /apis/<group>`.
    public static func apiGroup(_ defs: [ResourceDefinition], group: String) -> JSON? {
        guard let entry = groups(defs).first(where: { $0.group == group }), !group.isEmpty else { return nil }
        let versions: [JSON] = entry.versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] }
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(group), "versions": .array(versions), "preferredVersion": versions[0]]
    }

    /// `GET /api/v1` or `/apis/<group>/<version>`: resources and their subresources.
    public static func apiResourceList(_ defs: [ResourceDefinition], group: String, version: String) -> JSON? {
        let matching = defs.filter { $0.group == group && $0.version == version }
        guard !matching.isEmpty else { return nil }
        var resources: [JSON] = []
        for def in matching {
            var entry: JSON = [
                "name": .string(def.resource), "singularName": .string(def.singular), "namespaced": .bool(def.namespaced),
                "kind": .string(def.kind), "verbs": .array(def.verbs.map(JSON.string)),
            ]
            if !def.shortNames.isEmpty { entry["shortNames"] = .array(def.shortNames.map(JSON.string)) }
            if !def.categories.isEmpty { entry["categories"] = .array(def.categories.map(JSON.string)) }
            resources.append(entry)
            for sub in def.subresources {
                let kind = subresourceKind(def, sub)
                var subEntry: JSON = [
                    "name": .string("\(def.resource)/\(sub.rawValue)"), "singularName": "", "namespaced": .bool(def.namespaced),
                    "kind": .string(kind.kind), "verbs": .array(subresourceVerbs(sub).map(JSON.string)),
                ]
                if kind.group != group || kind.version != version {
                    subEntry["group"] = .string(kind.group)
                    subEntry["version"] = .string(kind.version)
                }
                resources.append(subEntry)
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(resources)]
    }
}
