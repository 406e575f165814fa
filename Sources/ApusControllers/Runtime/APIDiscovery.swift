import ApusControllerKit
import ApusClient
import ApusMachinery

/// The resources the server serves, read from its discovery documents (legacy form), as the
/// namespace and garbage collectors need them.
struct APIDiscovery: Sendable {
    let api: APIClient

    struct ServedResource: Sendable, Hashable {
        var resource: Resource
        var kind: String
        var verbs: Set<String>
    }

    /// Every resource (not subresource) at each group's preferred version.
    func resources() async throws(ClientError) -> [ServedResource] {
        var documents = [try await api.request(.GET, "/api/v1")]
        let groups = try await api.request(.GET, "/apis")
        for group in groups["groups"].array ?? [] {
            guard let version = group["preferredVersion"]["groupVersion"].string else { continue }
            documents.append(try await api.request(.GET, "/apis/\(version)"))
        }
        var served: [ServedResource] = []
        for document in documents {
            let groupVersion = document["groupVersion"].string ?? "v1"
            let parts = groupVersion.split(separator: "/").map(String.init)
            let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
            for entry in document["resources"].array ?? [] {
                guard let name = entry["name"].string, !name.contains("/") else { continue }
                served.append(ServedResource(resource: Resource(group: group, version: version, name: name,
                                                                namespaced: entry["namespaced"].bool ?? false),
                                             kind: entry["kind"].string ?? "",
                                             verbs: Set((entry["verbs"].array ?? []).compactMap(\.string))))
            }
        }
        return served
    }
}
