import ApusMachinery
import ApusRegistry
import HTTPTypes
import Hummingbird

/// componentstatuses: not stored, computed from the health of the parts this server runs.
/// Only parts that exist are listed (the datastore today; the scheduler and controller manager
/// report here once they run in this server).
enum ComponentStatuses {
    static func handle(_ def: ResourceDefinition, name: String?, method: HTTPRequest.Method, output: OutputFormat,
                       server: APIServer) async throws -> Response {
        guard method == .get else { throw APIError.methodNotSupported(def.groupResource, verb: method.rawValue) }
        let healthy: Bool
        let message: String
        do {
            _ = try await server.registry.store.backend.currentRevision()
            healthy = true
            message = "ok"
        } catch {
            healthy = false
            message = "\(error)"
        }
        let items: [JSON] = [status(name: "datastore-0", healthy: healthy, message: message)]
        if let name {
            guard let item = items.first(where: { $0["metadata"]["name"].string == name }) else {
                throw APIError.notFound(def.groupResource, name: name)
            }
            return output.single(item)
        }
        let revision = String(await server.registry.store.currentRevision())
        if output.asTable {
            return Responses.object(output.table(items, resourceVersion: revision, continueToken: nil), contentType: Responses.table)
        }
        return Responses.bytes(Responses.list(kind: def.listKind, apiVersion: def.groupVersion, items: items.map { $0.serialized() },
                                              resourceVersion: revision, continueToken: nil, remainingItemCount: nil))
    }

    static func status(name: String, healthy: Bool, message: String) -> JSON {
        [
            "kind": "ComponentStatus", "apiVersion": "v1", "metadata": ["name": .string(name)],
            "conditions": [["type": "Healthy", "status": healthy ? "True" : "False", "message": .string(healthy ? message : ""),
                            "error": .string(healthy ? "" : message)]],
        ]
    }
}
