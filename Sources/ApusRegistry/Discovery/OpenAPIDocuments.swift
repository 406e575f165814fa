import ApusMachinery
import ApusSchema

/// OpenAPI v3 documents. They declare, for every kind, the PATCH operation with its
/// group-version-kind and the `fieldValidation` parameter: that is how kubectl learns that the server
/// validates fields itself (and then sends `fieldValidation=Strict` instead of validating locally).
/// `components.schemas` holds the schemas of the group-version's built-in kinds, their lists and
/// subresource kinds, and every type they reference, which is what `kubectl explain` walks.
/// (Custom resources get paths but no schemas.)
public enum OpenAPIDocuments {
    public static func groupVersionPath(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    public static func root(_ defs: [ResourceDefinition], hash: String) -> JSON {
        var paths: JSONObject = [:]
        for def in defs {
            let path = groupVersionPath(group: def.group, version: def.version)
            paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash)")]
        }
        return ["paths": .object(paths)]
    }

    public static func groupVersion(_ defs: [ResourceDefinition], group: String, version: String) -> JSON? {
        let matching = defs.filter { $0.group == group && $0.version == version }
        guard !matching.isEmpty else { return nil }
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        var paths: JSONObject = [:]
        let parameters: JSON = [
            ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
            ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
            ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
        ]
        for def in matching {
            let itemPath = def.namespaced ? "\(prefix)/namespaces/{namespace}/\(def.resource)/{name}" : "\(prefix)/\(def.resource)/{name}"
            let gvk: JSON = ["group": .string(def.group), "version": .string(def.version), "kind": .string(def.kind)]
            let operation: JSON = [
                "x-kubernetes-group-version-kind": gvk,
                "x-kubernetes-action": "patch",
                "parameters": parameters,
                "responses": ["200": ["description": "OK"]],
            ]
            paths[itemPath] = ["patch": operation, "put": operation.withAction("put"), "get": operation.withAction("get")]
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": .object(paths),
            "components": ["schemas": OpenAPIV3.schemas(for: schemaKinds(matching))],
        ]
    }

    /// The kinds whose schemas a group-version's document carries.
    static func schemaKinds(_ defs: [ResourceDefinition]) -> [GroupVersionKind] {
        var kinds: [GroupVersionKind] = []
        for def in defs where !def.isCustom {
            kinds.append(GroupVersionKind(group: def.group, version: def.version, kind: def.kind))
            kinds.append(GroupVersionKind(group: def.group, version: def.version, kind: def.listKind))
            for subresource in def.subresources {
                switch subresource {
                case .scale: kinds.append(GroupVersionKind(group: "autoscaling", version: "v1", kind: "Scale"))
                case .eviction: kinds.append(GroupVersionKind(group: "policy", version: "v1", kind: "Eviction"))
                case .binding: kinds.append(GroupVersionKind(group: "", version: "v1", kind: "Binding"))
                case .status, .log, .exec, .attach, .portforward, .proxy: break
                }
            }
        }
        return kinds
    }
}

extension JSON {
    fileprivate func withAction(_ action: String) -> JSON {
        var copy = self
        copy["x-kubernetes-action"] = .string(action)
        return copy
    }
}
