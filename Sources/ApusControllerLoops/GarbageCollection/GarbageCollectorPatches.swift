import ApusControllerKit
import ApusMachinery
import ApusPatch

/// The patch bodies the collector sends. Strategic merge patches carry the target's uid, which the
/// server refuses to change: they fail rather than touch a re-created object of the same name.
/// Resources without strategic merge patch (custom resources) get JSON merge patches that carry the
/// resourceVersion the patch was computed from instead.
enum GarbageCollectorPatches {
    /// Removes the references to `ownerUIDs` (strategic merge: `$patch: delete` by uid).
    static func deleteOwnerReferences(dependentUID: String, ownerUIDs: [String]) -> JSON {
        let deletions = ownerUIDs.map { JSON.object(["$patch": "delete", "uid": .string($0)]) }
        return ["metadata": ["uid": .string(dependentUID), "ownerReferences": .array(deletions)]]
    }

    /// The same removal as a merge patch of the whole list, from the object as it is now.
    static func deleteOwnerReferencesMerge(_ latest: JSON, ownerUIDs: [String]) -> JSON {
        let kept = (latest["metadata"]["ownerReferences"].array ?? []).filter { !ownerUIDs.contains($0["uid"].string ?? "") }
        return mergePatch(resourceVersion: latest, ownerReferences: kept)
    }

    /// Sets blockOwnerDeletion to false on the node's blocking references (strategic merge by uid).
    static func unblockOwnerReferences(_ node: GarbageCollectorNode) -> JSON {
        var metadata: JSON = ["uid": .string(node.uid)]
        let unblocked = node.owners.filter(\.blocksOwnerDeletion).map { reference in
            var entry = reference.raw
            entry["blockOwnerDeletion"] = false
            return entry
        }
        if !unblocked.isEmpty { metadata["ownerReferences"] = .array(unblocked) }
        return ["metadata": metadata]
    }

    /// Every reference with blockOwnerDeletion false, as a merge patch.
    static func unblockOwnerReferencesMerge(_ latest: JSON, owners: [GarbageCollectorOwnerReference]) -> JSON {
        let unblocked = owners.map { reference in
            var entry = reference.raw
            entry["blockOwnerDeletion"] = false
            return entry
        }
        return mergePatch(resourceVersion: latest, ownerReferences: unblocked)
    }

    /// The finalizers without `finalizer`, conditional on the resourceVersion they were read at.
    static func removeFinalizer(_ finalizer: String, from latest: JSON) -> JSON {
        let kept = GarbageCollectorMetadata.finalizers(latest).filter { $0 != finalizer }
        var metadata: JSON = ["resourceVersion": latest["metadata"]["resourceVersion"].isNull ? "" : latest["metadata"]["resourceVersion"]]
        if kept.isEmpty { metadata.setExplicitNull("finalizers") } else { metadata["finalizers"] = .array(kept.map(JSON.string)) }
        return ["metadata": metadata]
    }

    private static func mergePatch(resourceVersion latest: JSON, ownerReferences: [JSON]) -> JSON {
        var metadata: JSON = ["resourceVersion": latest["metadata"]["resourceVersion"].isNull ? "" : latest["metadata"]["resourceVersion"]]
        if ownerReferences.isEmpty { metadata.setExplicitNull("ownerReferences") } else { metadata["ownerReferences"] = .array(ownerReferences) }
        return ["metadata": metadata]
    }
}

extension GarbageCollector {
    /// PATCH with a strategic merge patch, falling back to a merge patch (built from a live read)
    /// where the resource does not support strategic merge (415).
    func patch(_ node: GarbageCollectorNode, _ resource: Resource, strategic: JSON,
               merge: (JSON) -> JSON) async throws(GarbageCollectorFailure) {
        let namespace = Self.requestNamespace(resource, node.identity)
        do {
            _ = try await context.writer.patch(resource, namespace: namespace, name: node.identity.name, type: .strategic, strategic)
            return
        } catch {
            guard error.code == 415 else { throw .client(error) }
        }
        let latest: JSON
        do {
            latest = try await lookup.get(resource, namespace: namespace, name: node.identity.name)
        } catch {
            throw .client(error)
        }
        do {
            _ = try await context.writer.patch(resource, namespace: namespace, name: node.identity.name, type: .merge, merge(latest))
        } catch {
            throw .client(error)
        }
    }

    /// Removes `finalizer` from the object (read live, patched conditionally on its resourceVersion,
    /// read again after a conflict, a few times). A gone object, or one without the finalizer,
    /// needs nothing.
    func removeFinalizer(_ finalizer: String, from identity: GarbageCollectorIdentity, _ resource: Resource) async throws(GarbageCollectorFailure) {
        let namespace = Self.requestNamespace(resource, identity)
        var lastConflict: ClientError?
        for _ in 0..<Self.finalizerAttempts {
            let latest: JSON
            do {
                latest = try await lookup.get(resource, namespace: namespace, name: identity.name)
            } catch {
                if error.code == 404 { return }
                throw .client(error)
            }
            guard GarbageCollectorMetadata.hasFinalizer(latest, finalizer) else { return }
            do {
                _ = try await context.writer.patch(resource, namespace: namespace, name: identity.name, type: .merge,
                                                   GarbageCollectorPatches.removeFinalizer(finalizer, from: latest))
                return
            } catch {
                if error.code == 404 { return }
                guard error.code == 409 else { throw .client(error) }
                lastConflict = error
            }
        }
        throw .client(lastConflict ?? .transport("finalizer removal kept conflicting"))
    }

    /// Tries of a finalizer removal before the item is retried with back-off (client-go's
    /// DefaultBackoff steps).
    static let finalizerAttempts = 4
}
