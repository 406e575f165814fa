import ApusControllerKit
import ApusMachinery

/// `persistentVolumeClaimRetentionPolicy` as owner references on the claims, which the garbage
/// collector then acts on (stateful_set_utils.go):
///   Retain/Retain: no reference; whenDeleted Delete: the set owns the claim; whenScaled Delete: a
///   pod scaled away owns its claims (and the set no longer does).
enum StatefulSetClaimOwnership {
    struct Policy: Equatable {
        var whenDeleted: String
        var whenScaled: String
    }

    static func policy(_ set: JSON) -> Policy {
        let policy = set["spec"]["persistentVolumeClaimRetentionPolicy"]
        return Policy(whenDeleted: policy["whenDeleted"].string ?? "Retain", whenScaled: policy["whenScaled"].string ?? "Retain")
    }

    private static func references(_ object: JSON) -> [JSON] { object["metadata"]["ownerReferences"].array ?? [] }

    /// The reference is to this object by apiVersion, kind and name (its uid may differ).
    private static func refers(_ reference: JSON, to object: JSON, apiVersion: String, kind: String) -> Bool {
        reference["apiVersion"].string == apiVersion && reference["kind"].string == kind
            && reference["name"].string == SetSupport.name(object)
    }

    private static func refersToSet(_ reference: JSON, _ set: JSON) -> Bool {
        refers(reference, to: set, apiVersion: "apps/v1", kind: "StatefulSet")
    }

    private static func refersToPod(_ reference: JSON, _ pod: JSON) -> Bool {
        refers(reference, to: pod, apiVersion: "v1", kind: "Pod")
    }

    static func hasOwnerReference(_ claim: JSON, to owner: JSON) -> Bool {
        let uid = SetSupport.uid(owner)
        return references(claim).contains { $0["uid"].string == uid }
    }

    /// A reference by name to an earlier object of that name (a different uid).
    static func hasStaleReference(_ claim: JSON, to object: JSON, apiVersion: String, kind: String) -> Bool {
        guard let reference = references(claim).first(where: { refers($0, to: object, apiVersion: apiVersion, kind: kind) }) else {
            return false
        }
        return reference["uid"].string != SetSupport.uid(object)
    }

    /// Another controller manages the claim (or a reference to the set or pod is stale), under a policy
    /// that deletes anything.
    static func hasUnexpectedController(_ claim: JSON, set: JSON, pod: JSON) -> Bool {
        let policy = policy(set)
        if policy.whenScaled == "Retain" && policy.whenDeleted == "Retain" { return false }
        for reference in references(claim) {
            if refersToSet(reference, set) {
                if reference["uid"].string != SetSupport.uid(set) { return true }
                continue
            }
            if refersToPod(reference, pod) {
                if reference["uid"].string != SetSupport.uid(pod) { return true }
                continue
            }
            if reference["controller"].bool == true { return true }
        }
        return false
    }

    /// The set or pod owns the claim without being its controller.
    static func hasNonControllerOwner(_ claim: JSON, set: JSON, pod: JSON) -> Bool {
        references(claim).contains { reference in
            (reference["uid"].string == SetSupport.uid(set) || reference["uid"].string == SetSupport.uid(pod))
                && reference["controller"].bool != true
        }
    }

    /// The claim's owners agree with the policy, or the claim is in a state not to be touched.
    static func isUpToDate(_ claim: JSON, set: JSON, pod: JSON) -> Bool {
        if hasStaleReference(claim, to: set, apiVersion: "apps/v1", kind: "StatefulSet")
            || hasStaleReference(claim, to: pod, apiVersion: "v1", kind: "Pod") {
            return true
        }
        if hasUnexpectedController(claim, set: set, pod: pod) {
            return !(hasOwnerReference(claim, to: set) || hasOwnerReference(claim, to: pod))
        }
        if hasNonControllerOwner(claim, set: set, pod: pod) { return false }
        let policy = policy(set)
        let ownedBySet = hasOwnerReference(claim, to: set)
        let ownedByPod = hasOwnerReference(claim, to: pod)
        let scaledDown = !StatefulSetPods.inOrdinalRange(pod, of: set)
        switch (policy.whenScaled, policy.whenDeleted) {
        case ("Retain", "Delete"):
            return ownedBySet && !ownedByPod
        case ("Delete", "Retain"):
            return !ownedBySet && scaledDown == ownedByPod
        case ("Delete", "Delete"):
            return scaledDown != ownedBySet && scaledDown == ownedByPod
        default:
            // Retain/Retain, and unknown policies treated as Retain.
            return !ownedBySet && !ownedByPod
        }
    }

    /// The claim with references to the set and pod rewritten per the policy.
    static func updatingReferences(_ claim: JSON, set: JSON, pod: JSON) -> JSON {
        let unexpected = hasUnexpectedController(claim, set: set, pod: pod)
        var references = references(claim).filter { !refersToSet($0, set) && !refersToPod($0, pod) }
        if !unexpected {
            let policy = policy(set)
            let scaledDown = !StatefulSetPods.inOrdinalRange(pod, of: set)
            func add(_ owner: JSON, apiVersion: String, kind: String) {
                guard !references.contains(where: { $0["uid"].string == SetSupport.uid(owner) }) else { return }
                references.append(OwnerReferences.controllerReference(to: owner, apiVersion: apiVersion, kind: kind))
            }
            switch (policy.whenScaled, policy.whenDeleted) {
            case ("Retain", "Delete"):
                add(set, apiVersion: "apps/v1", kind: "StatefulSet")
            case ("Delete", "Retain"):
                if scaledDown { add(pod, apiVersion: "v1", kind: "Pod") }
            case ("Delete", "Delete"):
                if scaledDown { add(pod, apiVersion: "v1", kind: "Pod") } else { add(set, apiVersion: "apps/v1", kind: "StatefulSet") }
            default:
                break
            }
        }
        var claim = claim
        claim[path: ["metadata", "ownerReferences"]] = references.isEmpty ? .null : .array(references)
        return claim
    }
}
