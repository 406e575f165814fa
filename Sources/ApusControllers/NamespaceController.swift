import ApusControllerKit
import ApusClient
import Foundation
import ApusMachinery
import Logging

/// Finishes the deletion of namespaces: once a namespace is Terminating, it deletes every object in
/// it, and when nothing is left removes the `kubernetes` finalizer so the namespace goes too.
/// Until then the namespace's status conditions say what is still there, as Kubernetes reports it.
struct NamespaceController: Controller {
    let name = "namespace"
    let api: APIClient
    let logger: Logger
    let namespaces: ResourceClient

    init(api: APIClient, logger: Logger) {
        self.api = api
        self.logger = logger
        namespaces = ResourceClient(api, .namespaces, fieldManager: "namespace-controller")
    }

    func run() async {
        let informer = Informer(client: namespaces, logger: logger)
        let queue = WorkQueue<String>(baseDelay: 0.1, maxDelay: 30)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await informer.run() }
            group.addTask {
                for await change in await informer.changes() where !change.object["metadata"]["deletionTimestamp"].isNull {
                    await queue.add(Informer.key(of: change.object))
                }
            }
            group.addTask {
                while let key = await queue.next() {
                    let outcome = await sync(key)
                    switch outcome {
                    case .done: await queue.forget(key)
                    case .waitForContent(let seconds): queue.add(key, after: seconds)
                    case .failed: await queue.addRateLimited(key)
                    }
                    await queue.done(key)
                }
            }
            await group.waitForAll()
        }
    }

    enum Outcome {
        case done
        case waitForContent(Double)
        case failed
    }

    func sync(_ name: String) async -> Outcome {
        do {
            let namespace: JSON
            do { namespace = try await namespaces.get(name) } catch {
                if error.code == 404 { return .done }
                throw error
            }
            let finalizers = (namespace["spec"]["finalizers"].array ?? []).compactMap(\.string)
            guard !namespace["metadata"]["deletionTimestamp"].isNull, finalizers.contains("kubernetes") else { return .done }
            let remaining = try await deleteContent(of: name)
            if !remaining.isEmpty {
                try await report(remaining, in: namespace)
                return .waitForContent(2)
            }
            var finalized = namespace
            finalized[path: ["spec", "finalizers"]] = .array(finalizers.filter { $0 != "kubernetes" }.map { .string($0) })
            _ = try await namespaces.update(finalized, subresource: "finalize")
            logger.info("namespace emptied and finalized", metadata: ["namespace": "\(name)"])
            return .done
        } catch {
            logger.debug("namespace \(name): \(error)")
            return .failed
        }
    }

    /// Deletes the collection of every namespaced resource; returns the count left per resource.
    func deleteContent(of namespace: String) async throws(ClientError) -> [String: Int] {
        var remaining: [String: Int] = [:]
        for served in try await APIDiscovery(api: api).resources()
        where served.resource.namespaced && served.verbs.contains("deletecollection") && served.verbs.contains("list") {
            let client = ResourceClient(api, served.resource, fieldManager: "namespace-controller")
            let path = served.resource.path(namespace: namespace)
            _ = try await api.request(.DELETE, path, body: ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"])
            let left = try await client.list(namespace: namespace).items.count
            if left > 0 { remaining[served.resource.description] = left }
        }
        return remaining
    }

    /// The NamespaceContentRemaining condition while objects are still going away (written when
    /// what remains changes).
    func report(_ remaining: [String: Int], in namespace: JSON) async throws(ClientError) {
        let message = "Some resources are remaining: " + remaining.keys.sorted().map { "\($0) has \(remaining[$0] ?? 0) resource instances" }
            .joined(separator: ", ")
        let existing = namespace["status"]["conditions"].array ?? []
        if existing.contains(where: { $0["type"] == "NamespaceContentRemaining" && $0["message"].string == message }) { return }
        var conditions = existing.filter { $0["type"] != "NamespaceContentRemaining" }
        conditions.append(["type": "NamespaceContentRemaining", "status": "True", "reason": "SomeResourcesRemain",
                           "message": .string(message), "lastTransitionTime": .string(Timestamp.rfc3339(Date().timeIntervalSince1970))])
        var updated = namespace
        updated[path: ["status", "conditions"]] = .array(conditions)
        _ = try await namespaces.update(updated, subresource: "status")
    }
}
