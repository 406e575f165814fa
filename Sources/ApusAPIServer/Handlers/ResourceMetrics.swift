import ApusMachinery
import ApusRegistry
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird

/// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics, as metrics-server serves them (what `kubectl
/// top` reads): computed on request from each node's kubelet summary (`/stats/summary`).
enum ResourceMetrics {
    static func handle(_ def: ResourceDefinition, namespace: String?, name: String?, method: HTTPRequest.Method,
                       query: QueryParameters, server: APIServer) async throws -> Response {
        guard method == .get else { throw APIError.methodNotSupported(def.groupResource, verb: method.rawValue) }
        let selector = try query["labelSelector"].map { text throws(APIError) in
            do { return try LabelSelector.parse(text) } catch { throw APIError.badRequest("unable to parse requirement: \(error)") }
        }
        let summaries = await nodeSummaries(server)
        var items: [JSON]
        if def.resource == "nodes" {
            items = try await nodeItems(summaries, server: server)
        } else {
            items = try await podItems(summaries, namespace: namespace, server: server)
        }
        if let selector { items = items.filter { selector.matches(labels($0)) } }
        if let name {
            guard let item = items.first(where: { $0["metadata"]["name"].string == name }) else {
                throw APIError.notFound(def.groupResource, name: name)
            }
            return Responses.object(item)
        }
        return Responses.object(["kind": .string(def.listKind), "apiVersion": "metrics.k8s.io/v1beta1", "metadata": .emptyObject, "items": .array(items)])
    }

    static func labels(_ item: JSON) -> [String: String] {
        (item["metadata"]["labels"].object ?? JSONObject()).reduce(into: [:]) { $0[$1.key] = $1.value.string }
    }

    /// Each node's summary, fetched in parallel; nodes that do not answer in 5 s are left out.
    static func nodeSummaries(_ server: APIServer) async -> [(node: JSON, summary: JSON)] {
        guard let kubelets = server.kubelets,
              let nodesDef = await server.registry.catalog.lookup(group: "", version: "v1", resource: "nodes"),
              let nodes = try? await server.registry.store.list(nodesDef, namespace: nil, options: ListOptions()).items.map(\.object) else { return [] }
        return await withTaskGroup(of: (JSON, JSON)?.self) { group in
            for node in nodes {
                group.addTask {
                    let addresses = node["status"]["addresses"].array ?? []
                    guard let address = (addresses.first { $0["type"].string == "InternalIP" } ?? addresses.first)?["address"].string else { return nil }
                    let port = node["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"].int ?? 10250
                    let host = address.contains(":") ? "[\(address)]" : address
                    do {
                        let response = try await kubelets.http.execute(HTTPClientRequest(url: "https://\(host):\(port)/stats/summary"), timeout: .seconds(5))
                        guard response.status == .ok else { return nil }
                        let body = try await response.body.collect(upTo: 16 << 20)
                        return (node, try JSON.parse(Array(buffer: body)))
                    } catch {
                        return nil
                    }
                }
            }
            var results: [(node: JSON, summary: JSON)] = []
            for await result in group { if let result { results.append((result.0, result.1)) } }
            return results
        }
    }

    static func nodeItems(_ summaries: [(node: JSON, summary: JSON)], server: APIServer) async throws -> [JSON] {
        summaries.compactMap { node, summary in
            let usage = summary["node"]
            guard let cores = usage["cpu"]["usageNanoCores"].int, let memory = usage["memory"]["workingSetBytes"].int else { return nil }
            var metadata: JSON = ["name": node["metadata"]["name"], "creationTimestamp": .string(Timestamp.rfc3339(server.clock.now()))]
            if !node["metadata"]["labels"].isNull { metadata["labels"] = node["metadata"]["labels"] }
            return ["metadata": metadata, "timestamp": usage["cpu"]["time"], "window": "10s",
                    "usage": ["cpu": .string(cpuQuantity(cores)), "memory": .string(memoryQuantity(memory))]]
        }.sorted { ($0["metadata"]["name"].string ?? "") < ($1["metadata"]["name"].string ?? "") }
    }

    static func podItems(_ summaries: [(node: JSON, summary: JSON)], namespace: String?, server: APIServer) async throws -> [JSON] {
        guard let podsDef = await server.registry.catalog.lookup(group: "", version: "v1", resource: "pods") else { return [] }
        let pods = try await server.registry.store.list(podsDef, namespace: namespace, options: ListOptions()).items.map(\.object)
        var byKey: [String: JSON] = [:]
        for pod in pods { byKey[key(pod)] = pod }
        var items: [JSON] = []
        for (_, summary) in summaries {
            for stats in summary["pods"].array ?? [] {
                let key = (stats["podRef"]["namespace"].string ?? "") + "/" + (stats["podRef"]["name"].string ?? "")
                // Only pods the API has (and in the namespace asked), as the same object (uid).
                guard let pod = byKey[key], pod["metadata"]["uid"] == stats["podRef"]["uid"] else { continue }
                var containers: [JSON] = []
                var time: JSON = .null
                for container in stats["containers"].array ?? [] {
                    guard let cores = container["cpu"]["usageNanoCores"].int, let memory = container["memory"]["workingSetBytes"].int else { continue }
                    time = container["cpu"]["time"]
                    containers.append(["name": container["name"], "usage": ["cpu": .string(cpuQuantity(cores)), "memory": .string(memoryQuantity(memory))]])
                }
                guard !containers.isEmpty else { continue }
                var metadata: JSON = ["name": pod["metadata"]["name"], "namespace": pod["metadata"]["namespace"],
                                      "creationTimestamp": .string(Timestamp.rfc3339(server.clock.now()))]
                if !pod["metadata"]["labels"].isNull { metadata["labels"] = pod["metadata"]["labels"] }
                items.append(["metadata": metadata, "timestamp": time, "window": "10s", "containers": .array(containers)])
            }
        }
        return items.sorted { key($0) < key($1) }
    }

    static func key(_ object: JSON) -> String {
        (object["metadata"]["namespace"].string ?? "") + "/" + (object["metadata"]["name"].string ?? "")
    }

    /// Nanocores as metrics-server writes them (`123456n`).
    static func cpuQuantity(_ nanocores: Int64) -> String { "\(nanocores)n" }
    /// Bytes in KiB, as metrics-server writes them (`2048Ki`).
    static func memoryQuantity(_ bytes: Int64) -> String { "\(bytes / 1024)Ki" }
}
