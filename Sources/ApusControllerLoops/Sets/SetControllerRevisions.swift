import ApusControllerKit
import ApusMachinery

/// apps/v1 ControllerRevisions as the DaemonSet and StatefulSet controllers keep them: each records a
/// pod template as the strategic merge patch `{"spec":{"template":{…,"$patch":"replace"}}}` that
/// restores it (what `kubectl rollout undo` sends back), a `revision` number, and a controller
/// reference to its set. Names are `<set>-<hash>`.
public enum SetControllerRevisions {
    /// On DaemonSet revisions and on the pods of both kinds of set (`apps.ControllerRevisionHashLabelKey`).
    public static let revisionHashLabel = "controller-revision-hash"
    /// On StatefulSet revisions: the hash of the revision's data (`history.ControllerRevisionHashLabel`).
    public static let dataHashLabel = "controller.kubernetes.io/hash"
    /// `spec.revisionHistoryLimit` when unset.
    public static let defaultHistoryLimit = 10

    // MARK: Data

    /// The revision data that restores `template`.
    public static func data(template: JSON) -> JSON {
        var template = template
        template["$patch"] = "replace"
        return ["spec": ["template": template]]
    }

    /// The pod template a revision records, without the patch directive.
    public static func template(of revision: JSON) -> JSON? {
        var template = revision["data"]["spec"]["template"]
        guard case .object = template else { return nil }
        template["$patch"] = .null
        return template
    }

    /// `set` with the template recorded in `revision` (ApplyRevision): the patch replaces the template whole.
    static func applying(_ revision: JSON, to set: JSON) -> JSON {
        guard let template = template(of: revision) else { return set }
        var restored = set
        restored[path: ["spec", "template"]] = template
        return restored
    }

    /// Whether two revisions' data restore the same template, compared in the canonical form.
    public static func sameData(_ lhs: JSON, _ rhs: JSON) -> Bool {
        TemplateHashing.canonical(lhs) == TemplateHashing.canonical(rhs)
    }

    // MARK: Names and hashes

    /// `<prefix>-<hash>`, the prefix cut to 223 bytes so the name stays within 253.
    public static func name(prefix: String, hash: String) -> String {
        var prefix = prefix
        if prefix.utf8.count > 223 { prefix = String(decoding: prefix.utf8.prefix(223), as: UTF8.self) }
        return "\(prefix)-\(hash)"
    }

    /// The hash of a StatefulSet revision (history.HashControllerRevision): FNV-1 over the data, then
    /// the collision count as decimal text, encoded without vowels.
    public static func dataHash(_ data: JSON, collisionCount: Int64?) -> String {
        var hash = TemplateHashing.fnv1_32(TemplateHashing.canonical(data).serialized())
        if let collisionCount { hash = TemplateHashing.fnv1_32(Array(String(collisionCount).utf8), seed: hash) }
        return TemplateHashing.safeEncode(String(hash))
    }

    /// The hash of a DaemonSet template (controller.ComputeHash): FNV-1a over the template, then the
    /// collision count as eight little-endian bytes.
    public static func templateHash(_ template: JSON, collisionCount: Int64?) -> String {
        TemplateHashing.computeHash(TemplateHashing.canonical(template).serialized(), collisionCount: collisionCount)
    }

    // MARK: Objects

    /// A ControllerRevision controlled by `owner` (a DaemonSet or StatefulSet of kind `ownerKind`).
    public static func revision(owner: JSON, ownerKind: String, name: String, labels: [String: String],
                                annotations: JSONObject, data: JSON, number: Int64) -> JSON {
        var metadata: JSON = [
            "name": .string(name),
            "namespace": owner["metadata"]["namespace"],
            "ownerReferences": [OwnerReferences.controllerReference(to: owner, apiVersion: "apps/v1", kind: ownerKind)],
        ]
        if !labels.isEmpty { metadata["labels"] = .object(JSONObject(labels.mapValues { .string($0) })) }
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations) }
        return ["apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": metadata, "data": data, "revision": .int(number)]
    }

    public static func number(of revision: JSON) -> Int64 { revision["revision"].int ?? 0 }

    /// Oldest first: by revision, then creation time, then name (history.SortControllerRevisions).
    public static func sortedByRevision(_ revisions: [JSON]) -> [JSON] {
        revisions.sorted { lhs, rhs in
            let (l, r) = (number(of: lhs), number(of: rhs))
            if l != r { return l < r }
            let lt = lhs["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse) ?? 0
            let rt = rhs["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse) ?? 0
            if lt != rt { return lt < rt }
            return (lhs["metadata"]["name"].string ?? "") < (rhs["metadata"]["name"].string ?? "")
        }
    }

    /// `spec.revisionHistoryLimit`, 10 when unset.
    public static func historyLimit(of set: JSON) -> Int {
        set["spec"]["revisionHistoryLimit"].int.map { Int($0) } ?? defaultHistoryLimit
    }

    /// `status.collisionCount`, nil when unset.
    public static func collisionCount(of set: JSON) -> Int64? { set["status"]["collisionCount"].int }

    /// The revisions `kubectl rollout history` shows for `set`: those matching its selector and
    /// controlled by it, oldest first.
    public static func history(of set: JSON, in revisions: [JSON]) -> [JSON] {
        guard let selector = try? LabelSelector.from(set["spec"]["selector"]) else { return [] }
        return sortedByRevision(revisions.filter {
            OwnerReferences.isControlled($0, by: set) && selector.matches(PodState.labels($0))
        })
    }

    /// The revision `kubectl rollout undo --to-revision=N` restores: revision N, or for 0 the one
    /// before the latest; nil when there is none.
    public static func rollbackTarget(of set: JSON, in revisions: [JSON], toRevision: Int64 = 0) -> JSON? {
        let history = history(of: set, in: revisions)
        if toRevision > 0 { return history.first { number(of: $0) == toRevision } }
        guard history.count >= 2 else { return nil }
        return history[history.count - 2]
    }
}
