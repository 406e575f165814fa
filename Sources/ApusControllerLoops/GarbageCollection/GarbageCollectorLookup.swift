import ApusControllerKit
import ApusMachinery

/// The live reads the garbage collector makes (Kubernetes' metadata client GET): whether an owner
/// or a dependent still exists is always asked of the API server, never of a lagging cache.
public protocol GarbageCollectorLookup: Sendable {
    /// The object as the server has it now; a 404 `ClientError` when it is gone.
    func get(_ resource: Resource, namespace: String?, name: String) async throws(ClientError) -> JSON
}
