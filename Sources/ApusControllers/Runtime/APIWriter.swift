import ApusClient
import ApusControllerKit
import ApusMachinery
import ApusPatch

/// A loop's writes as API requests, recorded under the loop's field manager.
struct APIWriter: ClusterWriter {
    let api: APIClient
    let fieldManager: String

    private func client(_ resource: Resource) -> ResourceClient { ResourceClient(api, resource, fieldManager: fieldManager) }

    func create(_ resource: Resource, _ object: JSON) async throws(ClientError) -> JSON {
        try await client(resource).create(object)
    }

    func post(_ resource: Resource, namespace: String?, name: String, subresource: String, _ body: JSON) async throws(ClientError) -> JSON {
        try await api.request(.POST, resource.path(namespace: namespace, name: name, subresource: subresource),
                              query: [("fieldManager", fieldManager)], body: body)
    }

    func update(_ resource: Resource, _ object: JSON, subresource: String?) async throws(ClientError) -> JSON {
        try await client(resource).update(object, subresource: subresource)
    }

    func patch(_ resource: Resource, namespace: String?, name: String, type: PatchType, _ patch: JSON,
               subresource: String?) async throws(ClientError) -> JSON {
        try await client(resource).patch(name, namespace: namespace, type: type, patch, subresource: subresource)
    }

    @discardableResult
    func delete(_ resource: Resource, namespace: String?, name: String, options: DeleteOptions) async throws(ClientError) -> JSON {
        try await api.request(.DELETE, resource.path(namespace: namespace, name: name), body: options.json)
    }
}
