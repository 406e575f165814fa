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
}
