import ApusMachinery

/// Lists of a Deployment's ReplicaSets: Kubernetes' orderings, filters and sums over them.
enum DeploymentReplicaSets {
    // MARK: Orderings

    /// Older first; equal times by name (ReplicaSetsByCreationTimestamp). A missing time counts as the oldest.
    static func olderFirst(_ a: JSON, _ b: JSON) -> Bool {
        let ta = DeploymentsFields.creationTime(a) ?? -.infinity
        let tb = DeploymentsFields.creationTime(b) ?? -.infinity
        if ta == tb { return DeploymentsFields.name(a) < DeploymentsFields.name(b) }
        return ta < tb
    }

    static func byCreation(_ list: [JSON]) -> [JSON] { list.sorted(by: olderFirst) }

    /// Larger first; equal sizes older first (ReplicaSetsBySizeOlder, for scaling down).
    static func bySizeOlder(_ list: [JSON]) -> [JSON] {
        list.sorted { a, b in
            let (ra, rb) = (DeploymentsFields.specReplicas(a), DeploymentsFields.specReplicas(b))
            return ra == rb ? olderFirst(a, b) : ra > rb
        }
    }

    /// Larger first; equal sizes newer first (ReplicaSetsBySizeNewer, for scaling up).
    static func bySizeNewer(_ list: [JSON]) -> [JSON] {
        list.sorted { a, b in
            let (ra, rb) = (DeploymentsFields.specReplicas(a), DeploymentsFields.specReplicas(b))
            return ra == rb ? olderFirst(b, a) : ra > rb
        }
    }

    /// Lower revision first; equal or unreadable revisions by creation (ReplicaSetsByRevision).
    static func byRevision(_ list: [JSON]) -> [JSON] {
        list.sorted { a, b in
            let (va, vb) = (DeploymentRevisions.revision(a), DeploymentRevisions.revision(b))
            guard let va, let vb, va != vb else { return olderFirst(a, b) }
            return va < vb
        }
    }

    // MARK: Filters and sums

    /// ReplicaSets that want pods (spec.replicas > 0).
    static func active(_ list: [JSON?]) -> [JSON] {
        list.compactMap { $0 }.filter { DeploymentsFields.specReplicas($0) > 0 }
    }

    static func specReplicasSum(_ list: [JSON?]) -> Int { list.compactMap { $0 }.reduce(0) { $0 + DeploymentsFields.specReplicas($1) } }

    static func statusSum(_ list: [JSON?], _ field: String) -> Int {
        list.compactMap { $0 }.reduce(0) { $0 + DeploymentsFields.status($1, field) }
    }

    // MARK: New and old

    /// The oldest ReplicaSet whose template equals the Deployment's, ignoring the hash label.
    static func findNew(_ d: JSON, in list: [JSON]) -> JSON? {
        byCreation(list).first { DeploymentTemplateHash.equalIgnoringHash($0["spec"]["template"], d["spec"]["template"]) }
    }

    /// Every ReplicaSet but the new one.
    static func findOld(_ d: JSON, in list: [JSON]) -> [JSON] {
        let newUID = findNew(d, in: list).map(DeploymentsFields.uid)
        return list.filter { DeploymentsFields.uid($0) != newUID }
    }

    /// The only active ReplicaSet, or the newest one when none is active; nil when several are active.
    static func activeOrLatest(new newRS: JSON?, old oldRSs: [JSON]) -> JSON? {
        if newRS == nil, oldRSs.isEmpty { return nil }
        let newestOldFirst = byCreation(oldRSs).reversed()
        let active = active(Array(newestOldFirst) + [newRS])
        switch active.count {
        case 0: return newRS ?? newestOldFirst.first
        case 1: return active[0]
        default: return nil
        }
    }
}
