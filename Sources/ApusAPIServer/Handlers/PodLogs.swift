import ApusMachinery
import Foundation
import ApusRegistry
import Hummingbird

/// `GET /api/v1/namespaces/{ns}/pods/{name}/log`: checks the container as kube-apiserver does, then
/// proxies to the kubelet of the pod's node, which reads the container's log.
enum PodLogs {
    /// The query parameters of PodLogOptions, passed to the kubelet as they came.
    static let passedOptions = ["follow", "previous", "timestamps", "tailLines", "sinceSeconds", "sinceTime", "limitBytes"]

    static func get(_ handler: ResourceHandler, podsDef: ResourceDefinition, namespace: String, name: String, query: QueryParameters) async throws -> Response {
        guard let kubelets = handler.server.kubelets else { throw APIError.serviceUnavailable("this server does not reach kubelets") }
        let pod = try await handler.store.get(podsDef, namespace: namespace, name: name).object
        let container = try containerName(pod, requested: query["container"])
        let (address, port, _) = try await NodeAddress.kubelet(of: pod, registry: handler.registry)
        var url = "https://\(address):\(port)/containerLogs/\(namespace)/\(name)/\(container)"
        let options = passedOptions.compactMap { key in query[key].map { "\(key)=\(percentEncoded($0))" } }
        if !options.isEmpty { url += "?" + options.joined(separator: "&") }
        return try await kubelets.proxyGet(url, contentType: "text/plain")
    }

    /// The container to read: the one named (which must be one of the pod's), or the pod's only one.
    static func containerName(_ pod: JSON, requested: String?) throws(APIError) -> String {
        let name = pod["metadata"]["name"].string ?? ""
        let containers = (pod["spec"]["containers"].array ?? []).compactMap { $0["name"].string }
        let others = ((pod["spec"]["initContainers"].array ?? []) + (pod["spec"]["ephemeralContainers"].array ?? [])).compactMap { $0["name"].string }
        if let requested, !requested.isEmpty {
            guard containers.contains(requested) || others.contains(requested) else {
                throw APIError.badRequest("container \(requested) is not valid for pod \(name)")
            }
            return requested
        }
        guard containers.count == 1 else {
            var message = "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]"
            if !others.isEmpty { message += " or one of the init containers: [\(others.joined(separator: " "))]" }
            throw APIError.badRequest(message)
        }
        return containers[0]
    }

    static func percentEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }
}

/// Where the kubelet of a pod's node listens: the node's InternalIP (else its first address) and its
/// kubelet endpoint port.
enum NodeAddress {
    static func kubelet(of pod: JSON, registry: Registry) async throws -> (address: String, port: Int, node: String) {
        let podName = pod["metadata"]["name"].string ?? ""
        guard let nodeName = pod["spec"]["nodeName"].string, !nodeName.isEmpty else {
            throw APIError.badRequest("pod \(podName) does not have a host assigned")
        }
        guard let nodesDef = await registry.catalog.lookup(group: "", version: "v1", resource: "nodes") else {
            throw APIError.internalError("the nodes resource is not registered")
        }
        let node: JSON
        do {
            node = try await registry.store.get(nodesDef, namespace: nil, name: nodeName).object
        } catch {
            throw APIError.serviceUnavailable("node \(nodeName) of pod \(podName) is not registered")
        }
        let addresses = node["status"]["addresses"].array ?? []
        let chosen = addresses.first { $0["type"].string == "InternalIP" } ?? addresses.first
        guard let address = chosen?["address"].string, !address.isEmpty else {
            throw APIError.serviceUnavailable("node \(nodeName) has no address")
        }
        let port = Int(node["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"].int ?? 10250)
        return (address.contains(":") ? "[\(address)]" : address, port, nodeName)
    }
}
