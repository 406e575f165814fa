import ApusControllerKit
import ApusMachinery

/// attemptToOrphan: an owner deleted with the `orphan` finalizer releases its dependents (their
/// reference to it is removed), then loses the finalizer so its deletion completes.
extension GarbageCollector {
    func attemptToOrphan(_ uid: String) async -> SyncResult {
        let owner: GarbageCollectorNode
        let dependents: [GarbageCollectorNode]
        if let node = graph.nodes[uid] {
            owner = node
            dependents = graph.dependents(of: node)
        } else if let snapshot = graph.orphanSnapshots[uid] {
            owner = snapshot.owner
            dependents = snapshot.dependents
        } else {
            graph.orphanPending.remove(uid)
            return .done
        }

        var failed = false
        for dependent in dependents {
            do {
                let resource = try resource(of: dependent)
                try await patch(dependent, resource,
                                strategic: GarbageCollectorPatches.deleteOwnerReferences(dependentUID: dependent.uid, ownerUIDs: [uid])) {
                    GarbageCollectorPatches.deleteOwnerReferencesMerge($0, ownerUIDs: [uid])
                }
            } catch {
                // A dependent already gone needs no orphaning.
                if case .client(let clientError) = error, clientError.code == 404 { continue }
                failed = true
            }
        }
        if failed { return .retry }

        do {
            try await removeFinalizer(GarbageCollectorMetadata.orphanFinalizer, from: owner.identity, resource(of: owner))
        } catch {
            return .retry
        }
        graph.orphanPending.remove(uid)
        graph.orphanSnapshots[uid] = nil
        return .done
    }
}
