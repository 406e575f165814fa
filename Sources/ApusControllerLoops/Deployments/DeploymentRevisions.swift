import ApusMachinery

/// The annotations through which a Deployment and its ReplicaSets record rollout history, set as
/// Kubernetes sets them (`kubectl rollout history/undo` read them).
public enum DeploymentRevisions {
    public static let revisionAnnotation = "deployment.kubernetes.io/revision"
    public static let revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
    public static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    public static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
    static let deprecatedRollbackTo = "deprecated.deployment.rollback.to"
    /// revision-history is kept under this many characters.
    static let historyLimitInChars = 2000

    /// Deployment annotations that are never copied to its ReplicaSets.
    static let skippedAnnotations: Set<String> = [
        lastAppliedAnnotation, revisionAnnotation, revisionHistoryAnnotation,
        desiredReplicasAnnotation, maxReplicasAnnotation, deprecatedRollbackTo,
    ]

    /// The revision of an object: 0 without the annotation, nil when it is not a number.
    static func revision(_ object: JSON) -> Int64? {
        guard let text = DeploymentsFields.annotation(object, revisionAnnotation) else { return 0 }
        return Int64(text)
    }

    /// The highest revision among `list` (unreadable ones skipped).
    static func maxRevision(_ list: [JSON]) -> Int64 {
        list.compactMap(revision).max().map { max($0, 0) } ?? 0
    }

    /// Sets the Deployment's revision annotation; true when it changed.
    static func setDeploymentRevision(_ d: inout JSON, _ revision: String) -> Bool {
        var annotations = DeploymentsFields.annotations(d)
        guard annotations[revisionAnnotation] != revision else { return false }
        annotations[revisionAnnotation] = revision
        DeploymentsFields.setAnnotations(&d, annotations)
        return true
    }

    /// Brings the new ReplicaSet's annotations up to date: the Deployment's own annotations (but the
    /// skipped ones), `newRevision` when it is higher than the current one (keeping the replaced
    /// revision in revision-history, which is what a rollback to this ReplicaSet looks like), and for
    /// a ReplicaSet about to be created the replica annotations. True when anything changed.
    static func setNewReplicaSetAnnotations(_ d: JSON, _ rs: inout JSON, newRevision: String, exists: Bool) -> Bool {
        var annotations = DeploymentsFields.annotations(rs)
        var changed = false
        for (key, value) in DeploymentsFields.annotations(d) where !skippedAnnotations.contains(key) && annotations[key] != value {
            annotations[key] = value
            changed = true
        }
        defer { DeploymentsFields.setAnnotations(&rs, annotations) }

        let oldRevision = annotations[revisionAnnotation]
        let oldNumber: Int64
        if let oldRevision, !oldRevision.isEmpty {
            guard let number = Int64(oldRevision) else { return changed }
            oldNumber = number
        } else {
            oldNumber = 0
        }
        guard let newNumber = Int64(newRevision) else { return changed }
        if oldNumber < newNumber {
            annotations[revisionAnnotation] = newRevision
            changed = true
            if let oldRevision {
                annotations[revisionHistoryAnnotation] = appendHistory(annotations[revisionHistoryAnnotation] ?? "", oldRevision)
                    ?? annotations[revisionHistoryAnnotation]
            }
        }
        if !exists {
            let replicas = DeploymentsFields.specReplicas(d)
            changed = setReplicasAnnotations(&annotations, desired: replicas, max: replicas + DeploymentStrategy.maxSurge(d)) || changed
        }
        return changed
    }

    /// revision-history with `revision` appended, dropping the oldest entries to stay within the
    /// length limit; nil when even that cannot make it fit.
    static func appendHistory(_ history: String, _ revision: String) -> String? {
        let entries = history.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if entries.first?.isEmpty ?? true { return revision }
        var total = history.count + revision.count + 1
        var start = 0
        while total > historyLimitInChars, start < entries.count {
            total -= entries[start].count + 1
            start += 1
        }
        guard total <= historyLimitInChars else { return nil }
        return (entries[start...] + [revision]).joined(separator: ",")
    }

    /// desired-replicas and max-replicas; true when either changed.
    static func setReplicasAnnotations(_ annotations: inout [String: String], desired: Int, max: Int) -> Bool {
        var changed = false
        if annotations[desiredReplicasAnnotation] != String(desired) {
            annotations[desiredReplicasAnnotation] = String(desired)
            changed = true
        }
        if annotations[maxReplicasAnnotation] != String(max) {
            annotations[maxReplicasAnnotation] = String(max)
            changed = true
        }
        return changed
    }

    static func replicasAnnotationsNeedUpdate(_ rs: JSON, desired: Int, max: Int) -> Bool {
        var annotations = DeploymentsFields.annotations(rs)
        return setReplicasAnnotations(&annotations, desired: desired, max: max)
    }

    /// An integer annotation (desired-replicas, max-replicas), nil when absent or not a number.
    static func intAnnotation(_ rs: JSON, _ key: String) -> Int? {
        DeploymentsFields.annotation(rs, key).flatMap { Int($0) }
    }
}
