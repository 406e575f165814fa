import ApusMachinery
import ApusManagedFields
import ApusPatch
import ApusRegistry

/// `application/apply-patch+yaml`: creates the object when missing, otherwise merges the applied
/// configuration into it by the kind's list keys. The field manager makes the applier own exactly
/// the fields it applied, removes those it applied before and no longer does, and answers 409 when
/// the apply would change fields other managers own, unless `force` is set.
enum ServerSideApply {
    static func apply(store: Store, def: ResourceDefinition, namespace: String?, name: String, config: JSON,
                      options: WriteOptions, force: Bool, strategy: (any ResourceStrategy)? = nil) async throws -> JSON {
        guard let managerName = options.fieldManager else { throw APIError.badRequest("fieldManager is required for apply") }
        guard case .object = config else { throw APIError.badRequest("apply patch must be an object") }
        if !config["metadata"]["managedFields"].isNull {
            throw APIError.badRequest("metadata.managedFields must be nil")
        }
        var applyOptions = options
        applyOptions.tracksManagedFields = false
        let manager = store.fieldManager(def, options)
        let merge = merger(def: def)
        let now = Timestamp.rfc3339(store.clock.now())
        for _ in 0..<2 {
            do {
                return try await store.update(def, namespace: namespace, name: name, mode: .transform { (live: JSON) throws(APIError) -> JSON in
                    try manager.apply(live: live, config: config, manager: managerName, force: force, now: now, merge: merge)
                }, strategy: strategy, options: applyOptions).0
            } catch {
                guard error.code == 404, options.subresource.isEmpty else { throw error }
            }
            do {
                let body = try manager.apply(live: nil, config: config, manager: managerName, force: force, now: now, merge: merge)
                return try await store.create(def, namespace: namespace, body: body, options: applyOptions)
            } catch {
                // Created by someone else in between: apply to what is there now.
                guard error.code == 409, error.reason == "AlreadyExists" else { throw error }
            }
        }
        throw APIError.conflict(def.groupResource, name: name, detail: "the object is being created and deleted concurrently; please try again")
    }

    /// Folds the configuration into the live object. The stored resourceVersion is not part of the
    /// merge: a configuration that names one makes the apply conditional on it.
    static func merger(def: ResourceDefinition) -> @Sendable (JSON, JSON) throws(APIError) -> JSON {
        let schema = PatchSchema.forKind(group: def.group, kind: def.kind)
        return { (live: JSON, config: JSON) throws(APIError) -> JSON in
            var base = live
            base[path: ["metadata", "resourceVersion"]] = config["metadata"]["resourceVersion"]
            return try StrategicMergePatch.apply(config, to: base, schema: schema)
        }
    }
}
