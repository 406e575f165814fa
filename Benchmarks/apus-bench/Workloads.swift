import ApusBenchSupport
import ApusMachinery
import Foundation
import NIOCore
import NIOHTTP1

/// The Kubernetes requests the phases send: ConfigMap creates, gets and lists in one namespace.
struct Workloads: Sendable {
    let patterns: LoadPatterns
    let factory: ConfigMapFactory
    let namespace: String

    var connector: HTTPSConnector { patterns.connector }
    var collection: String { "/api/v1/namespaces/\(namespace)/configmaps" }

    static func name(_ prefix: String, _ client: Int, _ index: Int) -> String { "\(prefix)-\(client)-\(index)" }

    /// A create operation for names `<prefix>-<client>-<index>`.
    func create(prefix: String) -> Operation {
        let factory = self.factory
        let collection = self.collection
        return { exchange, client, index in
            let reply = try await exchange.request(.POST, collection, body: factory.body(name: Self.name(prefix, client, index)))
            return reply.status == 201 ? nil : "POST \(collection): HTTP \(reply.status) \(reply.body.getString(at: reply.body.readerIndex, length: min(300, reply.body.readableBytes)) ?? "")"
        }
    }

    /// A get of a random object among `names`.
    func get(names: [String]) -> Operation {
        let collection = self.collection
        return { exchange, _, _ in
            guard !names.isEmpty else { return "nothing to get" }
            let name = names[Int.random(in: 0..<names.count)]
            let reply = try await exchange.request(.GET, collection + "/" + name)
            return reply.status == 200 ? nil : "GET \(name): HTTP \(reply.status)"
        }
    }

    /// A list of the namespace's ConfigMaps; `limit` 0 lists them all.
    func list(limit: Int) -> Operation {
        let uri = collection + (limit > 0 ? "?limit=\(limit)" : "")
        return { exchange, _, _ in
            let reply = try await exchange.request(.GET, uri)
            return reply.status == 200 ? nil : "GET \(uri): HTTP \(reply.status)"
        }
    }

    /// One list, parsed, to report what the list phase returns: (items, remainingItemCount, bytes, resourceVersion).
    func probeList(limit: Int) async throws -> (items: Int, remaining: Int64?, bytes: Int, resourceVersion: String) {
        let channel = try await connector.connect()
        let uri = collection + (limit > 0 ? "?limit=\(limit)" : "")
        let reply = try await channel.exchange { try await $0.request(.GET, uri) }
        guard reply.status == 200 else { throw BenchError("GET \(uri): HTTP \(reply.status)") }
        let list = try JSON.parse(reply.body.readableBytesView)
        return (list["items"].array?.count ?? 0, list["metadata"]["remainingItemCount"].int, reply.body.readableBytes,
                list["metadata"]["resourceVersion"].string ?? "")
    }

    /// Creates the namespace this workload uses (it must not exist yet).
    func createNamespace() async throws {
        let channel = try await connector.connect()
        let body = Array("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"\(namespace)\"}}".utf8)
        let reply = try await channel.exchange { try await $0.request(.POST, "/api/v1/namespaces", body: body) }
        guard reply.status == 201 else { throw BenchError("creating namespace \(namespace): HTTP \(reply.status)") }
    }

    /// How many ConfigMaps the server stores in all namespaces.
    func countAll() async throws -> Int {
        let channel = try await connector.connect()
        let reply = try await channel.exchange { try await $0.request(.GET, "/api/v1/configmaps?limit=1") }
        guard reply.status == 200 else { throw BenchError("GET /api/v1/configmaps: HTTP \(reply.status)") }
        let list = try JSON.parse(reply.body.readableBytesView)
        return (list["items"].array?.count ?? 0) + Int(list["metadata"]["remainingItemCount"].int ?? 0)
    }

    /// The size of the object the server stores for one bench ConfigMap (its GET body).
    func storedSize(name: String) async throws -> Int {
        let channel = try await connector.connect()
        let reply = try await channel.exchange { try await $0.request(.GET, collection + "/" + name) }
        guard reply.status == 200 else { throw BenchError("GET \(name): HTTP \(reply.status)") }
        return reply.body.readableBytes
    }
}
