import ApusMachinery
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct APIServerRouterTests {
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
    static let discoveryAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    static func headers(_ pairs: [HTTPField.Name: String]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields[name] = value }
        return fields
    }

    @Test func versionAndDiscovery() async throws {
        try await APIServerHarness.withServer { client in
            let version = try await client.execute(uri: "/version", method: .get)
            #expect(version.json["minor"] == "32")

            let aggregated = try await client.execute(uri: "/api", method: .get, headers: Self.headers([.accept: Self.discoveryAccept]))
            #expect(aggregated.headers[.contentType] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
            let resources = aggregated.json["items"][0]["versions"][0]["resources"].array ?? []
            let pods = resources.first { $0["resource"] == "pods" }
            #expect(pods?["shortNames"] == ["po"])
            #expect(pods?["categories"] == ["all"])

            let groups = try await client.execute(uri: "/apis", method: .get, headers: Self.headers([.accept: Self.discoveryAccept]))
            let apps = (groups.json["items"].array ?? []).first { $0["metadata"]["name"] == "apps" }
            let deployments = (apps?["versions"][0]["resources"].array ?? []).first { $0["resource"] == "deployments" }
            #expect((deployments?["subresources"].array ?? []).contains { $0["subresource"] == "scale" })

            let legacy = try await client.execute(uri: "/api/v1", method: .get)
            #expect(legacy.json["kind"] == "APIResourceList")
            #expect((legacy.json["resources"].array ?? []).contains { $0["name"] == "pods/status" })

            let openapi = try await client.execute(uri: "/openapi/v3", method: .get)
            let url = openapi.json["paths"]["apis/apps/v1"]["serverRelativeURL"].string ?? ""
            #expect(url.hasPrefix("/openapi/v3/apis/apps/v1?hash="))
            let document = try await client.execute(uri: url, method: .get)
            let patch = document.json["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
            #expect(patch["x-kubernetes-group-version-kind"]["kind"] == "Deployment")
        }
    }

    @Test func createGetListAndErrors() async throws {
        try await APIServerHarness.withServer { client in
            let body: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "one"], "data": ["k": "v"],
                              "futureField": ["kept": true]]
            let created = try await client.execute(uri: "/api/v1/namespaces/default/configmaps", method: .post,
                                                   headers: Self.headers([.contentType: "application/json"]), body: ByteBuffer(json: body))
            #expect(created.status == .created)
            #expect(created.json["metadata"]["uid"].string?.count == 36)
            #expect(created.json["futureField"].isNull, "unknown fields are dropped (fieldValidation defaults to Warn)")
            #expect(created.headers[values: HTTPField.Name("Warning")!] == ["299 - \"unknown field \\\"futureField\\\"\""])
            let rv = created.json["metadata"]["resourceVersion"].string ?? ""
            #expect(Int(rv) != nil)

            let duplicate = try await client.execute(uri: "/api/v1/namespaces/default/configmaps", method: .post,
                                                     headers: Self.headers([.contentType: "application/json"]), body: ByteBuffer(json: body))
            #expect(duplicate.status == .conflict)
            #expect(duplicate.json["reason"] == "AlreadyExists")
            #expect(duplicate.json["message"] == "configmaps \"one\" already exists")

            let missing = try await client.execute(uri: "/apis/apps/v1/namespaces/default/deployments/nope", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.json == ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
                                     "message": "deployments.apps \"nope\" not found", "reason": "NotFound",
                                     "details": ["name": "nope", "group": "apps", "kind": "deployments"], "code": 404])

            let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n  labels: {tier: web}\ndata:\n  n: \"1\"\n"
            let fromYAML = try await client.execute(uri: "/api/v1/namespaces/default/configmaps", method: .post,
                                                    headers: Self.headers([.contentType: "application/yaml"]), body: ByteBuffer(string: yaml))
            #expect(fromYAML.status == .created)

            let list = try await client.execute(uri: "/api/v1/namespaces/default/configmaps?labelSelector=tier%3Dweb", method: .get)
            #expect(list.json["kind"] == "ConfigMapList")
            #expect((list.json["items"].array ?? []).map { $0["metadata"]["name"] } == ["two"])

            let table = try await client.execute(uri: "/api/v1/namespaces/default/configmaps/one", method: .get,
                                                 headers: Self.headers([.accept: Self.tableAccept]))
            #expect(table.json["kind"] == "Table")
            #expect((table.json["columnDefinitions"].array ?? []).first?["format"] == "name")
            #expect(table.json["rows"][0]["object"]["kind"] == "PartialObjectMetadata")

            let unsupported = try await client.execute(uri: "/api/v1/namespaces/default/configmaps", method: .post,
                                                       headers: Self.headers([.contentType: "text/csv"]), body: ByteBuffer(string: "a,b"))
            #expect(unsupported.status.code == 415)

            let badSelector = try await client.execute(uri: "/api/v1/pods?fieldSelector=spec.unknown%3Dx", method: .get)
            #expect(badSelector.status == .badRequest)
            #expect(badSelector.json["message"] == "field label not supported: spec.unknown")
        }
    }

    @Test func patchScaleWatchAndDelete() async throws {
        try await APIServerHarness.withServer { client in
            let deployment: JSON = [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
                "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "web"]],
                         "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "nginx:1"]]]]],
            ]
            let created = try await client.execute(uri: "/apis/apps/v1/namespaces/default/deployments", method: .post,
                                                   headers: Self.headers([.contentType: "application/json"]), body: ByteBuffer(json: deployment))
            #expect(created.status == .created)
            let startRV = created.json["metadata"]["resourceVersion"].string ?? "0"

            let scale = try await client.execute(uri: "/apis/apps/v1/namespaces/default/deployments/web/scale", method: .patch,
                                                 headers: Self.headers([.contentType: "application/merge-patch+json"]),
                                                 body: ByteBuffer(string: "{\"spec\":{\"replicas\":5}}"))
            #expect(scale.json["kind"] == "Scale")
            #expect(scale.json["spec"]["replicas"] == 5)
            #expect(scale.json["status"]["selector"] == "app=web")

            let setImage = "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"c\"}],\"containers\":[{\"image\":\"nginx:2\",\"name\":\"c\"}]}}}}"
            let patched = try await client.execute(uri: "/apis/apps/v1/namespaces/default/deployments/web?fieldManager=kubectl-set", method: .patch,
                                                   headers: Self.headers([.contentType: "application/strategic-merge-patch+json"]),
                                                   body: ByteBuffer(string: setImage))
            #expect(patched.json["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:2")
            #expect(patched.json["metadata"]["generation"] == 3)

            let watch = try await client.execute(uri: "/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=\(startRV)&timeoutSeconds=1",
                                                 method: .get)
            let events = watch.text.split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
            #expect(events.map { $0["type"] } == ["MODIFIED", "MODIFIED"])

            let deleted = try await client.execute(uri: "/apis/apps/v1/namespaces/default/deployments/web", method: .delete,
                                                   headers: Self.headers([.contentType: "application/json"]),
                                                   body: ByteBuffer(string: "{\"propagationPolicy\":\"Background\"}"))
            #expect(deleted.json["status"] == "Success")
            #expect(deleted.json["details"]["group"] == "apps")
            let gone = try await client.execute(uri: "/apis/apps/v1/namespaces/default/deployments/web", method: .get)
            #expect(gone.status == .notFound)
        }
    }
}
