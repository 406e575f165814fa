import ApusMachinery
import ApusPatch
import ApusRegistry

/// `application/apply-patch+yaml`: creates the object when missing, otherwise merges the applied
/// configuration into it by the kind's merge keys and records the manager with operation Apply.
/// Field ownership conflicts between managers are not detected yet.
enum ServerSideApply {
    static func apply(store: Store, def: ResourceDefinition, namespace: String?, name: String, patch: JSON,
                      options: WriteOptions) async throws -> JSON {
        guard let manager = options.fieldManager, !manager.isEmpty else {
            throw APIError.badRequest("PATCH, application/apply-patch+yaml: fieldManager must be set")
        }
        guard case .object = patch else { throw APIError.badRequest("apply patch must be an object") }
        var applyOptions = options
        applyOptions.fieldManager = nil
        let schema = PatchSchema.forKind(group: def.group, kind: def.kind)
        let now = store.clock.now()
        let exists: Bool
        do {
            _ = try await store.get(def, namespace: namespace, name: name)
            exists = true
        } catch {
            guard error.code == 404 else { throw error }
            exists = false
        }
        if !exists {
            var body = patch
            body[path: ["metadata", "managedFields"]] = applyEntry(current: .null, patch: patch, manager: manager, def: def, now: now)
            return try await store.create(def, namespace: namespace, body: body, options: applyOptions)
        }
        let transform = mergeApplied(patch, schema: schema, manager: manager, def: def, now: now)
        return try await store.update(def, namespace: namespace, name: name, mode: .transform(transform), options: applyOptions).0
    }

    static func mergeApplied(_ patch: JSON, schema: PatchSchema, manager: String, def: ResourceDefinition,
                             now: Double) -> @Sendable (JSON) throws(APIError) -> JSON {
        { (current: JSON) throws(APIError) -> JSON in
            var base = current
            base[path: ["metadata", "resourceVersion"]] = patch["metadata"]["resourceVersion"]
            var merged = try StrategicMergePatch.apply(patch, to: base, schema: schema)
            merged[path: ["metadata", "managedFields"]] = applyEntry(current: current, patch: patch, manager: manager, def: def, now: now)
            return merged
        }
    }

    static func applyEntry(current: JSON, patch: JSON, manager: String, def: ResourceDefinition, now: Double) -> JSON {
        var entries = (current["metadata"]["managedFields"].array ?? []).filter {
            !($0["manager"].string == manager && $0["operation"].string == "Apply")
        }
        entries.append([
            "manager": .string(manager), "operation": "Apply", "apiVersion": .string(def.groupVersion),
            "time": .string(Timestamp.rfc3339(now)), "fieldsType": "FieldsV1", "fieldsV1": ManagedFields.fieldSet(patch),
        ])
        return .array(entries)
    }
}

