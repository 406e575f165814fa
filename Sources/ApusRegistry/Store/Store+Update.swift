import ApusManagedFields
import ApusMachinery
import ApusStorage

extension Store {
    /// How an update computes the new object from the stored one.
    public enum UpdateMode: Sendable {
        /// PUT: the body replaces the object (its resourceVersion, if any, is a precondition).
        case replace(JSON)
        /// PATCH and subresources: a function of the current object, retried on conflicts unless
        /// the result names a resourceVersion.
        case transform(@Sendable (JSON) throws(APIError) -> JSON)
    }

    /// Updates an object through the main resource or a subresource strategy. Returns the stored
    /// object and whether it was created (PUT on a kind that allows create-on-update).
    public func update(_ def: ResourceDefinition, namespace: String?, name: String, mode: UpdateMode,
                       strategy: (any ResourceStrategy)? = nil, options: WriteOptions) async throws(APIError) -> (JSON, created: Bool) {
        if let conversion = def.conversion {
            return try await updateConverted(def, conversion, namespace: namespace, name: name, mode: mode, strategy: strategy, options: options)
        }
        let strategy = strategy ?? def.strategy
        let key = def.key(namespace: namespace, name: name)
        // The first attempt starts from the watch cache's copy, as kube-apiserver's cacher does; the
        // compare-and-swap catches a stale copy, and every verdict that a stale copy could get
        // wrong (a conflict, "unchanged", a missing object) is checked against the store itself.
        var fromCache = !options.dryRun
        for _ in 0..<16 {
            let current: StoredValue?
            if fromCache, let cached = await cache.get(key) {
                current = StoredValue(key: key, value: cached.bytes, createRevision: 0, modRevision: cached.revision)
            } else {
                fromCache = false
                do { current = try await backend.get(key) } catch { throw Self.map(error, def, name: name) }
            }
            guard let current else {
                if case .replace(let body) = mode, strategy.allowCreateOnUpdate {
                    return (try await create(def, namespace: namespace, body: body, options: options), true)
                }
                throw APIError.notFound(def.groupResource, name: name)
            }
            guard var old = try? JSON.parse(current.value) else { throw APIError.internalError("stored object \(key) is not valid JSON") }
            old[path: ["metadata", "resourceVersion"]] = .string(String(current.modRevision))

            var object: JSON
            switch mode {
            case .replace(let body): object = body
            case .transform(let transform): object = try transform(old)
            }
            guard case .object = object else { throw APIError.badRequest("the body of the request must be a JSON object") }
            try checkTypeMeta(def, &object)
            if let bodyName = object["metadata"]["name"].string, !bodyName.isEmpty, bodyName != name {
                throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
            }
            if def.namespaced, let bodyNamespace = object["metadata"]["namespace"].string, !bodyNamespace.isEmpty, bodyNamespace != namespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object[path: ["metadata", "name"]] = .string(name)
            if def.namespaced, let namespace { object[path: ["metadata", "namespace"]] = .string(namespace) }

            // A resourceVersion in the new object is a precondition; without one the update is
            // unconditional (retried against the latest version on conflict).
            let requestedRV = object["metadata"]["resourceVersion"].string ?? ""
            let conditional = !requestedRV.isEmpty
            if conditional, requestedRV != String(current.modRevision) {
                if fromCache { fromCache = false; continue }
                throw APIError.conflict(def.groupResource, name: name)
            }
            if case .replace = mode, !conditional, !strategy.allowUnconditionalUpdate {
                throw APIError.invalid(kind: def.kind, group: def.group, name: name,
                                       errors: [.required("metadata.resourceVersion", "must be specified for an update")])
            }
            if let error = strategy.decodeError(object) { throw error }
            carrySystemFields(from: old, into: &object)
            Self.dropEmptyMetadataLists(&object)
            let now = clock.now()
            let context = WriteContext(namespace: namespace, now: now, allocator: allocator, dryRun: options.dryRun, cache: cache)
            try await strategy.prepareForUpdate(&object, old: old, context: context)
            if strategy.tracksGeneration {
                let generation = old["metadata"]["generation"].int ?? 1
                let specChanged = object["spec"] != old["spec"]
                object[path: ["metadata", "generation"]] = .int(specChanged ? generation + 1 : generation)
            }
            let errors = strategy.validateUpdate(object, old: old)
            if !errors.isEmpty { throw APIError.invalid(kind: def.kind, group: def.group, name: name, errors: errors) }

            object[path: ["metadata", "resourceVersion"]] = .null
            var oldWithoutRV = old
            oldWithoutRV[path: ["metadata", "resourceVersion"]] = .null
            if options.tracksManagedFields, let manager = options.fieldManager, !manager.isEmpty {
                object = fieldManager(def, options).update(live: oldWithoutRV, new: object, manager: manager, now: Timestamp.rfc3339(now))
            }
            if object == oldWithoutRV {
                if fromCache { fromCache = false; continue }
                return (old, false)  // Nothing changed: no write, no new resourceVersion.
            }
            if options.dryRun {
                object[path: ["metadata", "resourceVersion"]] = .string(String(current.modRevision))
                return (object, false)
            }
            // Removing the last finalizer of an object being deleted completes its deletion.
            if !object["metadata"]["deletionTimestamp"].isNull, (object["metadata"]["finalizers"].array ?? []).isEmpty,
               isDeletionComplete(def, object) {
                do {
                    let deleted = try await backend.delete(key, expectedRevision: current.modRevision)
                    object[path: ["metadata", "resourceVersion"]] = .string(String(deleted.modRevision))
                    return (object, false)
                } catch StorageError.conflict {
                    if conditional && !fromCache { throw APIError.conflict(def.groupResource, name: name) }
                    fromCache = false
                    continue
                } catch {
                    throw Self.map(error, def, name: name)
                }
            }
            do {
                let revision = try await backend.update(key, value: object.serialized(), expectedRevision: current.modRevision)
                object[path: ["metadata", "resourceVersion"]] = .string(String(revision))
                return (object, false)
            } catch StorageError.conflict {
                if conditional && !fromCache { throw APIError.conflict(def.groupResource, name: name) }
                fromCache = false
                continue
            } catch {
                throw Self.map(error, def, name: name)
            }
        }
        throw APIError.conflict(def.groupResource, name: name, detail: "too many concurrent updates; please try again")
    }

    /// Fields only the server sets are kept from the stored object whatever the client sent.
    func carrySystemFields(from old: JSON, into object: inout JSON) {
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
            let value = object["metadata"][field]
            if value.isNull || field == "deletionTimestamp" || field == "deletionGracePeriodSeconds" || field == "generation" {
                object[path: ["metadata", field]] = old["metadata"][field]
            }
        }
        if object["metadata"]["managedFields"].isNull { object[path: ["metadata", "managedFields"]] = old["metadata"]["managedFields"] }
    }

    /// A pod that is being deleted gracefully stays until its kubelet confirms (grace period 0);
    /// everything else goes once its finalizers are gone.
    func isDeletionComplete(_ def: ResourceDefinition, _ object: JSON) -> Bool {
        if def.group == "", def.resource == "pods" {
            return (object["metadata"]["deletionGracePeriodSeconds"].int ?? 0) == 0
        }
        if def.group == "", def.resource == "namespaces" {
            return (object["spec"]["finalizers"].array ?? []).isEmpty
        }
        return true
    }
}

extension Store {
    /// Who keeps managedFields for a write through `options.subresource` (or the main resource).
    public func fieldManager(_ def: ResourceDefinition, _ options: WriteOptions) -> FieldManager {
        let scope: FieldManager.Scope = options.subresource.isEmpty
            ? .main(statusIsSubresource: def.subresources.contains(.status))
            : .subresource(options.subresource)
        return FieldManager(group: def.group, kind: def.kind, apiVersion: options.requestVersion ?? def.groupVersion, scope: scope)
    }
}
