import ApusControllerKit
import ApusMachinery

/// attemptToDelete: collect an object whose owners are all gone, and drive foreground deletions.
extension GarbageCollector {
    func attemptToDelete(_ uid: String) async -> SyncResult {
        guard let node = graph.nodes[uid] else { return .done }
        do {
            try await attemptToDeleteItem(node)
        } catch {
            switch error {
            case .absenceRecorded, .namespacedOwnerOfClusterScopedObject: return .done
            case .client, .unknownKind: return .retry
            }
        }
        // A virtual node stays queued until its informer shows it (or it is found absent), so a
        // node whose object came and went between watches cannot linger in the graph.
        if graph.nodes[uid]?.virtual == true { return .retry }
        return .done
    }

    /// Looks the object up live and deletes it when every owner is absent; owners being deleted in
    /// the foreground make the deletion foreground too, and live owners keep it (with references to
    /// absent or foreground-deleted owners removed).
    private func attemptToDeleteItem(_ item: GarbageCollectorNode) async throws(GarbageCollectorFailure) {
        // Being deleted is a one-way trip: its dependents are handled once it is gone.
        if item.beingDeleted && !item.deletingDependents { return }
        let resource = try resource(of: item)
        let latest = try await liveObject(item.identity, resource)
        guard GarbageCollectorMetadata.uid(latest) == item.uid else {
            await observeAbsence(item.identity)
            throw .absenceRecorded
        }
        let current = graph.nodes[item.uid] ?? item
        if current.deletingDependents {
            try await processDeletingDependents(current, resource)
            return
        }

        let references = GarbageCollectorOwnerReference.all(of: latest)
        if references.isEmpty { return }
        let (solid, dangling, waiting) = try await classify(references, of: current)
        let resourceVersion = latest["metadata"]["resourceVersion"].string ?? ""
        let ownersAtVersion = latest["metadata"]["ownerReferences"]

        if !solid.isEmpty {
            if dangling.isEmpty && waiting.isEmpty { return }
            // References to owners waiting for their dependents must go too, or those owners would
            // wait for this object forever.
            let ownerUIDs = (dangling + waiting).map(\.uid)
            try await patch(current, resource, strategic: GarbageCollectorPatches.deleteOwnerReferences(dependentUID: item.uid, ownerUIDs: ownerUIDs)) {
                GarbageCollectorPatches.deleteOwnerReferencesMerge($0, ownerUIDs: ownerUIDs)
            }
            return
        }

        let node = graph.nodes[item.uid] ?? current
        if !waiting.isEmpty && !node.dependents.isEmpty {
            if graph.dependents(of: node).contains(where: \.deletingDependents) {
                // An owner and a dependent both wait on dependents: unblock our references so a cycle
                // of foreground deletions cannot wait on itself.
                try await patch(node, resource, strategic: GarbageCollectorPatches.unblockOwnerReferences(node)) {
                    GarbageCollectorPatches.unblockOwnerReferencesMerge($0, owners: node.owners)
                }
            }
            try await deleteObject(item.identity, resource, resourceVersion: resourceVersion, owners: ownersAtVersion,
                                   policy: "Foreground")
            return
        }

        // No owner left: honour a propagation the object already asked for, else background.
        let policy = if GarbageCollectorMetadata.hasFinalizer(latest, GarbageCollectorMetadata.orphanFinalizer) {
            "Orphan"
        } else if GarbageCollectorMetadata.hasFinalizer(latest, GarbageCollectorMetadata.foregroundFinalizer) {
            "Foreground"
        } else {
            "Background"
        }
        try await deleteObject(item.identity, resource, resourceVersion: resourceVersion, owners: ownersAtVersion, policy: policy)
    }

    /// An owner deleted in the foreground: once no dependent blocks it, its `foregroundDeletion`
    /// finalizer goes; until then its blocking dependents are queued for deletion.
    private func processDeletingDependents(_ item: GarbageCollectorNode, _ resource: Resource) async throws(GarbageCollectorFailure) {
        let blocking = graph.dependents(of: item).filter { $0.blocks(item.uid) }
        if blocking.isEmpty {
            try await removeFinalizer(GarbageCollectorMetadata.foregroundFinalizer, from: item.identity, resource)
            return
        }
        let waiting = blocking.filter { !$0.deletingDependents }.map(\.uid)
        if !waiting.isEmpty { await enqueue(waiting) }
    }

    // MARK: Owners

    /// Sorts references into solid (owner exists), dangling (absent, or another object by that name)
    /// and waiting (owner being deleted in the foreground).
    private func classify(_ references: [GarbageCollectorOwnerReference], of item: GarbageCollectorNode) async throws(GarbageCollectorFailure)
        -> (solid: [GarbageCollectorOwnerReference], dangling: [GarbageCollectorOwnerReference], waiting: [GarbageCollectorOwnerReference]) {
        var solid: [GarbageCollectorOwnerReference] = []
        var dangling: [GarbageCollectorOwnerReference] = []
        var waiting: [GarbageCollectorOwnerReference] = []
        for reference in references {
            guard let owner = try await liveOwner(reference, of: item) else {
                dangling.append(reference)
                continue
            }
            if GarbageCollectorMetadata.isBeingDeleted(owner),
               GarbageCollectorMetadata.hasFinalizer(owner, GarbageCollectorMetadata.foregroundFinalizer) {
                waiting.append(reference)
            } else {
                solid.append(reference)
            }
        }
        return (solid, dangling, waiting)
    }

    /// The owner a reference names, looked up in the dependent's namespace (or cluster-wide), or
    /// nil when it does not exist or has another uid.
    private func liveOwner(_ reference: GarbageCollectorOwnerReference, of item: GarbageCollectorNode) async throws(GarbageCollectorFailure) -> JSON? {
        var absentKey = reference.identity(inNamespace: "")
        if graph.absentOwners.contains(absentKey) { return nil }
        absentKey.namespace = item.identity.namespace
        if graph.absentOwners.contains(absentKey) { return nil }

        let resource = try resource(apiVersion: reference.apiVersion, kind: reference.kind)
        if !resource.namespaced { absentKey.namespace = "" }
        if item.identity.namespace.isEmpty && resource.namespaced {
            // A cluster-scoped object cannot be owned by a namespaced one; retrying cannot help.
            throw .namespacedOwnerOfClusterScopedObject
        }
        let owner: JSON
        do {
            owner = try await lookup.get(resource, namespace: resource.namespaced ? item.identity.namespace : nil, name: reference.name)
        } catch {
            guard error.code == 404 else { throw .client(error) }
            graph.absentOwners.add(absentKey)
            return nil
        }
        guard GarbageCollectorMetadata.uid(owner) == reference.uid else {
            graph.absentOwners.add(absentKey)
            return nil
        }
        return owner
    }

    // MARK: Requests

    /// The object now; its absence is recorded in the graph and ends the step.
    func liveObject(_ identity: GarbageCollectorIdentity, _ resource: Resource) async throws(GarbageCollectorFailure) -> JSON {
        do {
            return try await lookup.get(resource, namespace: Self.requestNamespace(resource, identity), name: identity.name)
        } catch {
            guard error.code == 404 else { throw .client(error) }
            await observeAbsence(identity)
            throw .absenceRecorded
        }
    }

    /// DELETE with the uid and resourceVersion preconditions. A conflict caused only by a change
    /// that left the ownerReferences as they were is retried without the resourceVersion one.
    private func deleteObject(_ identity: GarbageCollectorIdentity, _ resource: Resource, resourceVersion: String,
                              owners: JSON, policy: String) async throws(GarbageCollectorFailure) {
        let namespace = Self.requestNamespace(resource, identity)
        var options = DeleteOptions(propagationPolicy: policy, preconditionUID: identity.uid,
                                    preconditionResourceVersion: resourceVersion.isEmpty ? nil : resourceVersion)
        do {
            try await context.writer.delete(resource, namespace: namespace, name: identity.name, options: options)
            return
        } catch {
            if error.code == 404 {
                await observeAbsence(identity)
                throw .absenceRecorded
            }
            guard error.code == 409, !resourceVersion.isEmpty else { throw .client(error) }
            let live: JSON
            do {
                live = try await lookup.get(resource, namespace: namespace, name: identity.name)
            } catch {
                if error.code == 404 {
                    await observeAbsence(identity)
                    throw .absenceRecorded
                }
                throw .client(error)
            }
            guard GarbageCollectorMetadata.uid(live) == identity.uid,
                  live["metadata"]["resourceVersion"].string != resourceVersion,
                  live["metadata"]["ownerReferences"] == owners else { throw .client(error) }
        }
        options.preconditionResourceVersion = nil
        do {
            try await context.writer.delete(resource, namespace: namespace, name: identity.name, options: options)
        } catch {
            if error.code == 404 {
                await observeAbsence(identity)
                throw .absenceRecorded
            }
            throw .client(error)
        }
    }
}
