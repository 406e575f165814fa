import ApusControllerKit
import ApusMachinery
import ApusPatch

/// Claiming by controller reference (Kubernetes' ControllerRefManager), as ReplicaSets claim pods
/// and Deployments claim ReplicaSets: keep what the owner controls and still selects, adopt
/// matching orphans, release what it controls but no longer selects.
struct DeploymentsOwnership {
    let owner: JSON
    let ownerAPIVersion: String
    let ownerKind: String
    let resource: Resource
    let writer: any ClusterWriter

    /// The objects the owner controls after adoption and release, and the writes that failed
    /// (the caller retries the whole sync then).
    func claim(_ objects: [JSON], matches: (JSON) -> Bool) async -> (claimed: [JSON], errors: [ClientError]) {
        var claimed: [JSON] = []
        var errors: [ClientError] = []
        let ownerUID = DeploymentsFields.uid(owner)
        let ownerDeleting = DeploymentsFields.isDeleting(owner)
        for object in objects {
            if let reference = OwnerReferences.controller(of: object) {
                guard reference["uid"].string == ownerUID else { continue }  // someone else's
                if matches(object) {
                    claimed.append(object)
                    continue
                }
                if ownerDeleting { continue }
                do {
                    _ = try await writer.patch(resource, namespace: DeploymentsFields.namespace(object), name: DeploymentsFields.name(object),
                                               type: .strategic, releasePatch(object))
                } catch {
                    // Gone, or no longer ours to release: nothing to do.
                    if error.code != 404, error.code != 422 { errors.append(error) }
                }
                continue
            }
            // An orphan: adopt it if it matches, is not going away, and lives in our namespace.
            guard !ownerDeleting, matches(object), !DeploymentsFields.isDeleting(object),
                  DeploymentsFields.namespace(owner).isEmpty || DeploymentsFields.namespace(owner) == DeploymentsFields.namespace(object)
            else { continue }
            do {
                let adopted = try await writer.patch(resource, namespace: DeploymentsFields.namespace(object), name: DeploymentsFields.name(object),
                                                     type: .strategic, adoptPatch(object))
                claimed.append(adopted)
            } catch {
                if error.code != 404 { errors.append(error) }
            }
        }
        return (claimed, errors)
    }

    /// Adds the owner as controller; the uid makes the patch fail if the object was replaced.
    func adoptPatch(_ object: JSON) -> JSON {
        let reference = OwnerReferences.controllerReference(to: owner, apiVersion: ownerAPIVersion, kind: ownerKind)
        return ["metadata": ["ownerReferences": [reference], "uid": object["metadata"]["uid"]]]
    }

    /// Removes the owner's reference (strategic merge by uid).
    func releasePatch(_ object: JSON) -> JSON {
        ["metadata": ["ownerReferences": [["$patch": "delete", "uid": owner["metadata"]["uid"]]], "uid": object["metadata"]["uid"]]]
    }
}
