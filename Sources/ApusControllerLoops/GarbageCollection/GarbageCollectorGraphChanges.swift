import ApusControllerKit
import ApusMachinery

/// How informer changes (and verified absences, "virtual deletes") update the graph.
extension GarbageCollectorGraph {
    /// An object added or updated, as its informer showed it.
    mutating func observeUpsert(_ identity: GarbageCollectorIdentity, resource: Resource, old: JSON?, new: JSON,
                                effects: inout GarbageCollectorGraphEffects) {
        let uid = identity.uid
        if var existing = nodes[uid], existing.virtual {
            // The first sight of an owner known only from references: dependents that named it
            // differently may reference something else, so they are checked again.
            if existing.identity != identity {
                for dependent in partitionDependents(existing.dependents, by: identity).nonmatching {
                    if !identity.namespace.isEmpty && dependent.identity.namespace != identity.namespace {
                        reportInvalidNamespace(dependent, ownerUID: uid, effects: &effects)
                    }
                    effects.enqueue(dependent.uid)
                }
                existing.identity = identity
            }
            existing.virtual = false
            nodes[uid] = existing
        }

        let owners = GarbageCollectorOwnerReference.all(of: new)
        let beingDeleted = GarbageCollectorMetadata.isBeingDeleted(new)
        nodes[uid]?.resource = resource
        guard var node = nodes[uid] else {
            let node = GarbageCollectorNode(
                identity: identity, resource: resource, owners: owners, virtual: false, beingDeleted: beingDeleted,
                deletingDependents: beingDeleted && GarbageCollectorMetadata.hasFinalizer(new, GarbageCollectorMetadata.foregroundFinalizer))
            insert(node, effects: &effects)
            processTransitions(uid, old: old, new: new, effects: &effects)
            return
        }
        let diff = Self.referenceChanges(from: node.owners, to: owners)
        if !diff.added.isEmpty || !diff.removed.isEmpty || !diff.changed.isEmpty {
            enqueueUnblockedOwners(removed: diff.removed, changed: diff.changed, effects: &effects)
            node.owners = owners
            nodes[uid] = node
            addDependent(uid, toOwners: diff.added, effects: &effects)
            removeDependent(uid, fromOwners: diff.removed)
        }
        if beingDeleted { nodes[uid]?.beingDeleted = true }
        processTransitions(uid, old: old, new: new, effects: &effects)
    }

    /// An object deleted: seen by its informer (`virtual` false), or found absent by a live
    /// lookup (`virtual` true, with the coordinates that were looked up).
    mutating func observeDelete(_ identity: GarbageCollectorIdentity, virtual: Bool, effects: inout GarbageCollectorGraphEffects) {
        guard let existing = nodes[identity.uid] else { return }
        var removeExisting = true
        if virtual {
            if existing.virtual {
                // Unsure of our own coordinates: only what the lookup verified is absent.
                let (matching, nonmatching) = partitionDependents(existing.dependents, by: identity)
                if !nonmatching.isEmpty {
                    removeExisting = false
                    if !matching.isEmpty {
                        absentOwners.add(identity)
                        effects.enqueue(matching.map(\.uid))
                    }
                    if existing.identity == identity, let replacement = alternateIdentity(among: nonmatching, besides: identity) {
                        nodes[identity.uid]?.identity = replacement
                        effects.enqueue(identity.uid)
                    }
                }
            } else if existing.identity != identity {
                // An observed object is not removed on a lookup by other coordinates.
                removeExisting = false
                let matching = partitionDependents(existing.dependents, by: identity).matching
                if !matching.isEmpty {
                    absentOwners.add(identity)
                    effects.enqueue(matching.map(\.uid))
                }
            }
        }
        guard removeExisting else { return }
        remove(existing)
        if !existing.dependents.isEmpty { absentOwners.add(identity) }
        effects.enqueue(existing.dependents.sorted())
        for owner in existing.owners where nodes[owner.uid]?.deletingDependents == true {
            // The owner may be waiting for this dependent to go.
            effects.enqueue(owner.uid)
        }
        if orphanPending.contains(existing.uid) {
            orphanSnapshots[existing.uid] = (existing, existing.dependents.sorted().compactMap { nodes[$0] })
        }
    }

    /// Deletion starting with the `orphan` finalizer queues the orphaning; with `foregroundDeletion`
    /// it marks the node and queues its dependents and itself.
    private mutating func processTransitions(_ uid: String, old: JSON?, new: JSON, effects: inout GarbageCollectorGraphEffects) {
        if GarbageCollectorMetadata.deletionStarts(old: old, new: new, with: GarbageCollectorMetadata.orphanFinalizer) {
            orphanPending.insert(uid)
            effects.enqueue(uid)
            return
        }
        if GarbageCollectorMetadata.deletionStarts(old: old, new: new, with: GarbageCollectorMetadata.foregroundFinalizer),
           var node = nodes[uid] {
            node.deletingDependents = true
            nodes[uid] = node
            effects.enqueue(node.dependents.sorted())
            effects.enqueue(uid)
        }
    }

    /// Owners a dependent stopped blocking (reference removed, or blockOwnerDeletion cleared) may
    /// now finish their foreground deletion.
    private func enqueueUnblockedOwners(removed: [GarbageCollectorOwnerReference],
                                        changed: [(old: GarbageCollectorOwnerReference, new: GarbageCollectorOwnerReference)],
                                        effects: inout GarbageCollectorGraphEffects) {
        for reference in removed where reference.blocksOwnerDeletion && nodes[reference.uid] != nil {
            effects.enqueue(reference.uid)
        }
        for pair in changed where pair.old.blocksOwnerDeletion && !pair.new.blocksOwnerDeletion && nodes[pair.new.uid] != nil {
            effects.enqueue(pair.new.uid)
        }
    }

    /// References added, removed, and changed (same uid, different entry) between two lists.
    static func referenceChanges(from old: [GarbageCollectorOwnerReference], to new: [GarbageCollectorOwnerReference])
        -> (added: [GarbageCollectorOwnerReference], removed: [GarbageCollectorOwnerReference],
            changed: [(old: GarbageCollectorOwnerReference, new: GarbageCollectorOwnerReference)]) {
        var oldByUID: [String: GarbageCollectorOwnerReference] = [:]
        for reference in old { oldByUID[reference.uid] = reference }
        var added: [GarbageCollectorOwnerReference] = []
        var changed: [(old: GarbageCollectorOwnerReference, new: GarbageCollectorOwnerReference)] = []
        var remaining = oldByUID
        for reference in new {
            if let previous = oldByUID[reference.uid] {
                if previous != reference { changed.append((previous, reference)) }
                remaining[reference.uid] = nil
            } else {
                added.append(reference)
            }
        }
        let removed = old.filter { remaining[$0.uid] != nil }
        return (added, removed, changed)
    }
}
