import ApusControllerKit
import ApusMachinery

/// One object in the dependency graph. A "virtual" node stands for an owner that dependents
/// name but no informer has shown yet; it has no owners of its own until observed.
struct GarbageCollectorNode: Sendable {
    var identity: GarbageCollectorIdentity
    /// The resource it was observed through (nil for virtual nodes: resolved from apiVersion/kind).
    var resource: Resource?
    var owners: [GarbageCollectorOwnerReference] = []
    /// Uids of the nodes whose ownerReferences name this one.
    var dependents: Set<String> = []
    var virtual: Bool
    var beingDeleted = false
    /// Being deleted in the foreground: waits for its blocking dependents to go first.
    var deletingDependents = false

    var uid: String { identity.uid }

    /// Whether this node's ownerReferences make `ownerUID` wait for it (blockOwnerDeletion).
    func blocks(_ ownerUID: String) -> Bool {
        owners.contains { $0.uid == ownerUID && $0.blocksOwnerDeletion }
    }
}

/// What a graph change asks of the collector.
struct GarbageCollectorGraphEffects: Sendable {
    /// Uids to run attemptToDelete (or the orphaning, for owners marked so) on, in order, once each.
    private(set) var uids: [String] = []
    private var queued: Set<String> = []
    /// Dependents whose owner reference names an owner observed in another namespace.
    var invalidNamespaceReports: [(dependent: GarbageCollectorIdentity, message: String)] = []

    mutating func enqueue(_ uid: String) {
        if queued.insert(uid).inserted { uids.append(uid) }
    }

    mutating func enqueue(_ uids: some Sequence<String>) {
        for uid in uids { enqueue(uid) }
    }
}

/// The dependency graph (Kubernetes' GraphBuilder state): nodes by uid, the owners known to be
/// absent, and the owners whose dependents wait to be orphaned.
struct GarbageCollectorGraph: Sendable {
    var nodes: [String: GarbageCollectorNode] = [:]
    var absentOwners = GarbageCollectorAbsentOwners()
    /// Owners whose deletion started with the `orphan` finalizer and whose orphaning is not done.
    var orphanPending: Set<String> = []
    /// Pending owners already gone from the graph: the owner and its dependents as they were then,
    /// so the orphaning still reaches those dependents.
    var orphanSnapshots: [String: (owner: GarbageCollectorNode, dependents: [GarbageCollectorNode])] = [:]

    /// The dependents of a node that are in the graph, in uid order.
    func dependents(of node: GarbageCollectorNode) -> [GarbageCollectorNode] {
        node.dependents.sorted().compactMap { nodes[$0] }
    }

    // MARK: Edges

    /// Adds `dependentUID` to the dependents of each owner, creating virtual nodes for owners not
    /// in the graph (those are enqueued so their existence gets checked). A dependent whose reference
    /// disagrees with an owner already known (namespace, coordinates) is enqueued to be verified.
    mutating func addDependent(_ dependentUID: String, toOwners owners: [GarbageCollectorOwnerReference],
                               effects: inout GarbageCollectorGraphEffects) {
        guard let dependent = nodes[dependentUID] else { return }
        var potentiallyInvalid = false
        for owner in owners {
            guard var ownerNode = nodes[owner.uid] else {
                var virtual = GarbageCollectorNode(identity: owner.identity(inNamespace: dependent.identity.namespace),
                                                   resource: nil, virtual: true)
                virtual.dependents.insert(dependentUID)
                nodes[owner.uid] = virtual
                effects.enqueue(owner.uid)
                continue
            }
            ownerNode.dependents.insert(dependentUID)
            nodes[owner.uid] = ownerNode
            if potentiallyInvalid { continue }
            let ownerNamespace = ownerNode.identity.namespace
            if !ownerNamespace.isEmpty && ownerNamespace != dependent.identity.namespace {
                // A namespaced owner can only own objects of its own namespace.
                if !ownerNode.virtual { reportInvalidNamespace(dependent, ownerUID: owner.uid, effects: &effects) }
                potentiallyInvalid = true
            } else if !owner.matchesCoordinates(of: ownerNode.identity) {
                potentiallyInvalid = true
            } else if ownerNamespace.isEmpty && !dependent.identity.namespace.isEmpty && ownerNode.virtual {
                // A virtual owner first seen from a cluster-scoped dependent may be a namespaced kind.
                potentiallyInvalid = true
            }
        }
        if potentiallyInvalid { effects.enqueue(dependentUID) }
    }

    mutating func removeDependent(_ dependentUID: String, fromOwners owners: [GarbageCollectorOwnerReference]) {
        for owner in owners { nodes[owner.uid]?.dependents.remove(dependentUID) }
    }

    mutating func insert(_ node: GarbageCollectorNode, effects: inout GarbageCollectorGraphEffects) {
        nodes[node.uid] = node
        addDependent(node.uid, toOwners: node.owners, effects: &effects)
    }

    mutating func remove(_ node: GarbageCollectorNode) {
        nodes[node.uid] = nil
        removeDependent(node.uid, fromOwners: node.owners)
    }

    /// The Warning event Kubernetes reports on a dependent whose owner lives in another namespace.
    func reportInvalidNamespace(_ dependent: GarbageCollectorNode, ownerUID: String, effects: inout GarbageCollectorGraphEffects) {
        guard let reference = dependent.owners.first(where: { $0.uid == ownerUID }) else { return }
        let invalid = reference.identity(inNamespace: dependent.identity.namespace)
        effects.invalidNamespaceReports.append(
            (dependent.identity, "ownerRef \(invalid) does not exist in namespace \"\(dependent.identity.namespace)\""))
    }

    // MARK: Identity disagreements

    /// Splits dependents into those whose reference to `owner.uid` matches `owner` exactly and those
    /// with a disagreeing one (a dependent with several references to the uid can be in both).
    func partitionDependents(_ uids: Set<String>, by owner: GarbageCollectorIdentity)
        -> (matching: [GarbageCollectorNode], nonmatching: [GarbageCollectorNode]) {
        var matching: [GarbageCollectorNode] = []
        var nonmatching: [GarbageCollectorNode] = []
        let ownerNamespaced = !owner.namespace.isEmpty
        for uid in uids.sorted() {
            guard let dependent = nodes[uid] else { continue }
            var match = false
            var mismatch = false
            if ownerNamespaced && owner.namespace != dependent.identity.namespace {
                mismatch = true
            } else {
                for reference in dependent.owners where reference.uid == owner.uid {
                    if reference.matchesCoordinates(of: owner) { match = true } else { mismatch = true }
                }
            }
            if match { matching.append(dependent) }
            if mismatch { nonmatching.append(dependent) }
        }
        return (matching, nonmatching)
    }

    /// Another identity the dependents give the uid of `absent` (the first after it in identity
    /// order, else the first), once `absent` itself was verified not to exist.
    func alternateIdentity(among dependents: [GarbageCollectorNode], besides absent: GarbageCollectorIdentity) -> GarbageCollectorIdentity? {
        let absentIsClusterScoped = absent.namespace.isEmpty
        var seen: Set<GarbageCollectorIdentity> = [absent]
        var first: GarbageCollectorIdentity?
        var firstFollowing: GarbageCollectorIdentity?
        for dependent in dependents {
            for reference in dependent.owners where reference.uid == absent.uid {
                if reference.matchesCoordinates(of: absent), absentIsClusterScoped || absent.namespace == dependent.identity.namespace {
                    continue
                }
                var candidate = reference.identity(inNamespace: dependent.identity.namespace)
                if absentIsClusterScoped && candidate.apiVersion == absent.apiVersion && candidate.kind == absent.kind {
                    candidate.namespace = ""
                }
                guard seen.insert(candidate).inserted else { continue }
                if first.map({ GarbageCollectorIdentity.ordered(candidate, before: $0) }) ?? true { first = candidate }
                if GarbageCollectorIdentity.ordered(absent, before: candidate),
                   firstFollowing.map({ GarbageCollectorIdentity.ordered(candidate, before: $0) }) ?? true {
                    firstFollowing = candidate
                }
            }
        }
        return firstFollowing ?? first
    }
}
