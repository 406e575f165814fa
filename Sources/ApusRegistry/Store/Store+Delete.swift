import ApusMachinery
import ApusStorage

extension Store {
    public enum DeleteOutcome: Sendable {
        /// The object is gone; this is its last state.
        case deleted(JSON)
        /// Deletion has begun (graceful pod deletion, finalizers, terminating namespace).
        case pending(JSON)
    }

    public func delete(_ def: ResourceDefinition, namespace: String?, name: String, options: DeleteOptions) async throws(APIError) -> DeleteOutcome {
        if let conversion = def.conversion {
            switch try await delete(conversion.storage, namespace: namespace, name: name, options: options) {
            case .deleted(let object): return .deleted(conversion.fromStorage(object))
            case .pending(let object): return .pending(conversion.fromStorage(object))
            }
        }
        let key = def.key(namespace: namespace, name: name)
        for _ in 0..<16 {
            let current: StoredValue?
            do { current = try await backend.get(key) } catch { throw Self.map(error, def, name: name) }
            guard let current else { throw APIError.notFound(def.groupResource, name: name) }
            guard var object = try? JSON.parse(current.value) else { throw APIError.internalError("stored object \(key) is not valid JSON") }
            object[path: ["metadata", "resourceVersion"]] = .string(String(current.modRevision))
            let uid = object["metadata"]["uid"].string ?? ""
            if let wanted = options.preconditionUID, wanted != uid {
                throw APIError.conflict(def.groupResource, name: name,
                                        detail: "Precondition failed: UID in precondition: \(wanted), UID in object meta: \(uid)")
            }
            if let wanted = options.preconditionResourceVersion, wanted != String(current.modRevision) {
                throw APIError.conflict(def.groupResource, name: name,
                                        detail: "Precondition failed: ResourceVersion in precondition: \(wanted), ResourceVersion in object meta: \(current.modRevision)")
            }

            let now = clock.now()
            var updated = object
            var finalizers = (object["metadata"]["finalizers"].array ?? []).compactMap(\.string)
            switch options.propagationPolicy {
            case "Orphan": if !finalizers.contains("orphan") { finalizers.append("orphan") }
            case "Foreground": if !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
            default: break
            }
            let graceSeconds = gracePeriod(def, object, requested: options.gracePeriodSeconds)
            let isNamespace = def.group == "" && def.resource == "namespaces"
            let mustWait = !finalizers.isEmpty || graceSeconds > 0 || isNamespace

            let terminating = !object["metadata"]["deletionTimestamp"].isNull
            if terminating, mustWait {
                // Already terminating: a shorter grace period (a kubelet's final 0, or `--grace-period`)
                // moves the deadline closer; anything else leaves the first deletion's deadline standing.
                let previous = object["metadata"]["deletionGracePeriodSeconds"].int ?? 0
                guard graceSeconds < previous, !isNamespace else { return .pending(object) }
            }
            if mustWait {
                updated[path: ["metadata", "finalizers"]] = finalizers.isEmpty ? .null : .array(finalizers.map(JSON.string))
                updated[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.rfc3339(now + Double(graceSeconds)))
                updated[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(graceSeconds)
                if isNamespace { updated[path: ["status", "phase"]] = "Terminating" }
                if options.dryRun { return .pending(updated) }
                updated[path: ["metadata", "resourceVersion"]] = .null
                do {
                    let revision = try await backend.update(key, value: updated.serialized(), expectedRevision: current.modRevision)
                    updated[path: ["metadata", "resourceVersion"]] = .string(String(revision))
                    return .pending(updated)
                } catch StorageError.conflict {
                    continue
                } catch {
                    throw Self.map(error, def, name: name)
                }
            }
            if options.dryRun { return .deleted(object) }
            do {
                let deleted = try await backend.delete(key, expectedRevision: current.modRevision)
                object[path: ["metadata", "resourceVersion"]] = .string(String(deleted.modRevision))
                return .deleted(object)
            } catch StorageError.conflict {
                continue
            } catch {
                throw Self.map(error, def, name: name)
            }
        }
        throw APIError.conflict(def.groupResource, name: name, detail: "too many concurrent updates; please try again")
    }

    /// Kubernetes deletes a pod gracefully only when a kubelet is running it: an unscheduled or
    /// finished pod goes at once. Every other kind is deleted immediately.
    func gracePeriod(_ def: ResourceDefinition, _ object: JSON, requested: Int64?) -> Int64 {
        guard def.group == "", def.resource == "pods" else { return 0 }
        let nodeName = object["spec"]["nodeName"].string ?? ""
        let phase = object["status"]["phase"].string ?? ""
        if nodeName.isEmpty || phase == "Succeeded" || phase == "Failed" { return 0 }
        return max(0, requested ?? object["spec"]["terminationGracePeriodSeconds"].int ?? 30)
    }
}
