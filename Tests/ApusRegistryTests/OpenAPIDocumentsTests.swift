import ApusMachinery
import Testing
@testable import ApusRegistry

@Suite("OpenAPI v3 documents")
struct OpenAPIDocumentsTests {
    static let defs = BuiltinResources.all()
    static let groupVersions: [String] = {
        var seen: [String] = []
        for def in defs where !seen.contains(def.groupVersion) { seen.append(def.groupVersion) }
        return seen
    }()

    static func document(_ groupVersion: String) -> JSON? {
        let parts = groupVersion.split(separator: "/").map(String.init)
        let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
        return OpenAPIDocuments.groupVersion(defs, group: group, version: version)
    }

    static func refs(in value: JSON, into out: inout Set<String>) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if key == "$ref", let ref = member.string { out.insert(ref) } else { refs(in: member, into: &out) }
            }
        case .array(let items):
            for item in items { refs(in: item, into: &out) }
        default:
            break
        }
    }

    /// Follows `allOf: [{$ref}]`, `items` and `additionalProperties` the way `kubectl explain` does.
    static func resolve(_ schema: JSON, in schemas: JSON) -> JSON {
        var current = schema
        while true {
            if let ref = current["$ref"].string ?? current["allOf"][0]["$ref"].string {
                current = schemas[String(ref.dropFirst("#/components/schemas/".count))]
            } else if current["type"] == "array" {
                current = current["items"]
            } else {
                return current
            }
        }
    }

    @Test("every group-version keeps its PATCH operations and gains schemas for each of its kinds", arguments: groupVersions)
    func documents(groupVersion: String) throws {
        let doc = try #require(Self.document(groupVersion))
        let schemas = doc["components"]["schemas"]
        for def in Self.defs where def.groupVersion == groupVersion {
            let prefix = def.group.isEmpty ? "/api/\(def.version)" : "/apis/\(def.group)/\(def.version)"
            let path = def.namespaced ? "\(prefix)/namespaces/{namespace}/\(def.resource)/{name}" : "\(prefix)/\(def.resource)/{name}"
            let patch = doc["paths"][path]["patch"]
            #expect(patch["x-kubernetes-group-version-kind"]["kind"] == .string(def.kind), "\(path)")
            #expect((patch["parameters"].array ?? []).contains { $0["name"] == "fieldValidation" && $0["in"] == "query" })
            let gvk: JSON = ["group": .string(def.group), "version": .string(def.version), "kind": .string(def.kind)]
            let kinds = schemas.object?.values.filter { ($0["x-kubernetes-group-version-kind"].array ?? []).contains(gvk) } ?? []
            #expect(kinds.count == 1, "schema of \(def.kind)")
            #expect(kinds.first?["properties"]["metadata"] != nil)
        }
        var refs: Set<String> = []
        Self.refs(in: schemas, into: &refs)
        let names = Set(schemas.object?.keys ?? [])
        #expect(refs.filter { !names.contains(String($0.dropFirst("#/components/schemas/".count))) } == [])
    }

    @Test("the paths kubectl explain walks resolve to the fields it prints")
    func explainWalks() throws {
        let core = try #require(Self.document("v1"))["components"]["schemas"]
        let pod = core["io.k8s.api.core.v1.Pod"]
        let spec = Self.resolve(pod["properties"]["spec"], in: core)
        let container = Self.resolve(spec["properties"]["containers"], in: core)
        #expect(container["properties"]["image"] == ["type": "string"])
        #expect(container["properties"]["resources"] != .null)
        // pods/eviction and pods/binding bring their kinds into the core document.
        #expect(core["io.k8s.api.policy.v1.Eviction"]["x-kubernetes-group-version-kind"][0]["kind"] == "Eviction")
        #expect(core["io.k8s.api.core.v1.Binding"] != .null)

        let apps = try #require(Self.document("apps/v1"))["components"]["schemas"]
        let deploymentSpec = Self.resolve(apps["io.k8s.api.apps.v1.Deployment"]["properties"]["spec"], in: apps)
        let template = Self.resolve(deploymentSpec["properties"]["template"], in: apps)
        let podSpec = Self.resolve(template["properties"]["spec"], in: apps)
        #expect(podSpec["properties"]["containers"] != .null)
        #expect(apps["io.k8s.api.autoscaling.v1.Scale"]["x-kubernetes-group-version-kind"][0]["kind"] == "Scale")
        #expect(apps["io.k8s.api.apps.v1.DeploymentList"] != .null)
    }
}
