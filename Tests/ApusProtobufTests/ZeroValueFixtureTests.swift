import ApusMachinery
import Testing
@testable import ApusProtobuf

/// `zero-RESOURCE.pb` is a synthetic body in which every field of every message (recursively, one
/// element per list and map) is present and set to its zero value: "" , 0, false, the quantity "0",
/// the time 1700000000. The fake API server returned it as the protobuf answer to
/// `kubectl create ... --dry-run=server -o json` (`kubectl run` for pods, `kubectl set image` for
/// statefulsets/daemonsets/replicasets, with `name` fields set to "n" so strategic merge works), and
/// `zero-RESOURCE.json` is what kubectl 1.32 printed after decoding it into its Go types. Go's printer
/// keeps a zero only for pointer fields and fields without `omitempty`, so this pins down, field by
/// field, what the decoder must keep and drop. Compared exactly, without normalisation, except that
/// kubectl's printer strips `metadata.managedFields`.
struct ZeroValueFixtureTests {
    static let resources = [
        "deployments", "statefulsets", "daemonsets", "replicasets", "pods", "jobs", "cronjobs",
        "namespaces", "configmaps", "secrets", "services", "serviceaccounts", "resourcequotas",
        "roles", "rolebindings", "clusterroles", "clusterrolebindings", "priorityclasses",
        "poddisruptionbudgets", "ingresses",
    ]

    @Test(arguments: resources)
    func decodesLikeKubectlPrintsIt(resource: String) throws {
        var decoded = try KubernetesProtobuf.decode(try Fixture.bytes("zero-" + resource, "pb"))
        #expect(decoded[path: ["metadata", "managedFields"]].array?.count == 1)
        decoded[path: ["metadata", "managedFields"]] = .null
        let expected = try Fixture.json("zero-" + resource)
        let differences = decoded.differences(from: expected)
        #expect(differences.isEmpty, "\(resource): \(differences)")
    }

    @Test func managedFieldsEmbedFieldsV1AsJSON() throws {
        let decoded = try KubernetesProtobuf.decode(try Fixture.bytes("zero-configmaps", "pb"))
        let entry = decoded[path: ["metadata", "managedFields"]][0]
        #expect(entry == ["time": "2023-11-14T22:13:20Z", "fieldsV1": ["f:x": .object([:])]])
    }
}
