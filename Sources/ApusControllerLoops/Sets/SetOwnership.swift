import ApusControllerKit
import ApusMachinery
import ApusPatch

/// Adoption and release, as Kubernetes' ControllerRefManager does them for pods and revisions:
/// a set claims the objects it controls that its selector still matches, adopts matching orphans,
/// and releases what it controls but no longer matches.
struct SetOwnership {
    let owner: JSON
    let ownerKind: String
    let selector: LabelSelector
    let writer: any ClusterWriter

    /// The objects `owner` now controls among `objects` (of `resource`). `accepts` narrows what may
    /// be claimed further (a StatefulSet claims only pods named after it).
    func claim(_ objects: [JSON], of resource: Resource, accepts: (JSON) -> Bool = { _ in true }) async throws -> [JSON] {
        let ownerUID = SetSupport.uid(owner)
        let ownerDeleting = SetSupport.isTerminating(owner)
        var claimed: [JSON] = []
        var failure: (any Error)?
        for object in objects {
            let matches = selector.matches(PodState.labels(object)) && accepts(object)
            if let reference = OwnerReferences.controller(of: object) {
                guard reference["uid"].string == ownerUID else { continue }
                if matches {
                    claimed.append(object)
                } else if !ownerDeleting {
                    do { try await release(object, of: resource) } catch { if !SetSupport.isNotFound(error) { failure = error } }
                }
                continue
            }
            guard !ownerDeleting, matches, !SetSupport.isTerminating(object) else { continue }
            do {
                claimed.append(try await adopt(object, of: resource))
            } catch {
                if !SetSupport.isNotFound(error) { failure = error }
            }
        }
        if let failure { throw failure }
        return claimed
    }

    /// Adds a controller reference to `owner`; the object's uid makes the patch conditional.
    func adopt(_ object: JSON, of resource: Resource) async throws -> JSON {
        let reference = OwnerReferences.controllerReference(to: owner, apiVersion: "apps/v1", kind: ownerKind)
        let patch: JSON = ["metadata": ["ownerReferences": [reference], "uid": object["metadata"]["uid"]]]
        return try await writer.patch(resource, namespace: SetSupport.namespace(object), name: SetSupport.name(object),
                                      type: .strategic, patch)
    }

    /// Removes the reference to `owner`.
    func release(_ object: JSON, of resource: Resource) async throws {
        let patch: JSON = ["metadata": ["ownerReferences": [["$patch": "delete", "uid": owner["metadata"]["uid"]]],
                                        "uid": object["metadata"]["uid"]]]
        do {
            _ = try await writer.patch(resource, namespace: SetSupport.namespace(object), name: SetSupport.name(object),
                                       type: .strategic, patch)
        } catch {
            // Gone, or no longer ours: nothing to release.
            if error.code == 422 { return }
            throw error
        }
    }
}
