import ApusMachinery

/// metadata.ownerReferences: who owns an object, and which owner controls it.
public enum OwnerReferences {
    /// The reference with `controller: true`, if any.
    public static func controller(of object: JSON) -> JSON? {
        (object["metadata"]["ownerReferences"].array ?? []).first { $0["controller"].bool == true }
    }

    /// Whether `owner` (by uid) is the controller of `object`.
    public static func isControlled(_ object: JSON, by owner: JSON) -> Bool {
        guard let uid = owner["metadata"]["uid"].string else { return false }
        return controller(of: object)?["uid"].string == uid
    }

    /// A controller reference to `owner`, as controllers set it on what they create
    /// (`blockOwnerDeletion` so foreground deletion waits for the dependent).
    public static func controllerReference(to owner: JSON, apiVersion: String, kind: String) -> JSON {
        ["apiVersion": .string(apiVersion), "kind": .string(kind),
         "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"],
         "controller": true, "blockOwnerDeletion": true]
    }

    /// The owners a change to a dependent concerns (Kubernetes' updatePod and updateRS handlers): the
    /// previous controller when the controller reference changed, the controller now, or, for an
    /// orphan whose labels or controller reference changed, every owner selecting it (one may adopt
    /// it). `owner` gives the key of the owner an object's controller reference names, if it exists;
    /// `selecting` the keys of the owners whose selector matches an object. In order, without repeats.
    public static func ownerKeys(old: JSON, new: JSON, owner: (JSON) async -> String?,
                                 selecting: (JSON) async -> [String]) async -> [String] {
        let (oldReference, reference) = (controller(of: old), controller(of: new))
        var keys: [String] = []
        if oldReference != reference, oldReference != nil, let key = await owner(old) { keys.append(key) }
        if reference != nil {
            if let key = await owner(new) { keys.append(key) }
        } else if oldReference != reference || PodState.labels(old) != PodState.labels(new) {
            keys += await selecting(new)
        }
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }
}
