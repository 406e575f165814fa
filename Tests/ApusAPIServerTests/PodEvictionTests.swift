import ApusMachinery
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Pod eviction")
struct PodEvictionTests {
    static func post(_ client: any TestClientProtocol, _ uri: String, _ body: JSON) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(json: body))
    }

    static func put(_ client: any TestClientProtocol, _ uri: String, _ body: JSON) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .put, headers: [.contentType: "application/json"], body: ByteBuffer(json: body))
    }

    static let eviction: JSON = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "web-1", "namespace": "default"]]

    /// A running, ready pod on a node.
    static func runningPod(_ client: any TestClientProtocol, _ name: String) async throws {
        let pod: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": ["app": "web"]],
                         "spec": ["nodeName": "n1", "containers": [["name": "c", "image": "nginx"]]]]
        let created = try await post(client, "/api/v1/namespaces/default/pods", pod)
        var running = created.json
        running["status"] = ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]]]
        #expect(try await put(client, "/api/v1/namespaces/default/pods/\(name)/status", running).status == .ok)
    }

    @Test("an eviction the budget allows takes a disruption and deletes the pod; the next is refused with 429")
    func budget() async throws {
        try await APIServerHarness.withServer { client in
            try await Self.runningPod(client, "web-1")
            try await Self.runningPod(client, "web-2")
            let pdb = try await Self.post(client, "/apis/policy/v1/namespaces/default/poddisruptionbudgets", [
                "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "web"],
                "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "web"]]]])
            var counted = pdb.json
            counted["status"] = ["observedGeneration": 1, "currentHealthy": 2, "desiredHealthy": 1, "expectedPods": 2, "disruptionsAllowed": 1]
            #expect(try await Self.put(client, "/apis/policy/v1/namespaces/default/poddisruptionbudgets/web/status", counted).status == .ok)

            let first = try await Self.post(client, "/api/v1/namespaces/default/pods/web-1/eviction", Self.eviction)
            #expect(first.status == .created)
            let after = try await client.execute(uri: "/apis/policy/v1/namespaces/default/poddisruptionbudgets/web", method: .get)
            #expect(after.json["status"]["disruptionsAllowed"] == 0)
            #expect(after.json["status"]["disruptedPods"]["web-1"].string != nil)

            var second = Self.eviction
            second[path: ["metadata", "name"]] = "web-2"
            let refused = try await Self.post(client, "/api/v1/namespaces/default/pods/web-2/eviction", second)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json["message"] == "Cannot evict pod as it would violate the pod's disruption budget.")
            #expect(refused.json["details"]["causes"][0]["reason"] == "DisruptionBudget")
            #expect(refused.json["details"]["causes"][0]["message"] == "The disruption budget web needs 1 healthy pods and has 2 currently")
            let still = try await client.execute(uri: "/api/v1/namespaces/default/pods/web-2", method: .get)
            #expect(still.status == .ok)
            #expect(still.json["metadata"]["deletionTimestamp"].isNull)
        }
    }

    @Test("a pod without a budget is evicted at once")
    func noBudget() async throws {
        try await APIServerHarness.withServer { client in
            try await Self.runningPod(client, "web-1")
            #expect(try await Self.post(client, "/api/v1/namespaces/default/pods/web-1/eviction", Self.eviction).status == .created)
            let pod = try await client.execute(uri: "/api/v1/namespaces/default/pods/web-1", method: .get)
            #expect(!pod.json["metadata"]["deletionTimestamp"].isNull)
        }
    }
}
