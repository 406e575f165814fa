import ApusControllerKit
import ApusMachinery
import Logging
import Testing
@testable import ApusClient

@Suite struct InformerTransformTests {
    static let pod: JSON = ["metadata": ["name": "p", "namespace": "default", "resourceVersion": "1",
                                         "managedFields": [["manager": "kubectl", "operation": "Update"]]],
                            "spec": ["nodeName": "n1"]]

    @Test func listedAndWatchedObjectsAreKeptAndReportedWithoutManagedFields() async throws {
        let api = try APIClient(config: ClientConfig(server: "https://127.0.0.1:1"))
        defer { Task { try? await api.shutdown() } }
        let informer = Informer(client: ResourceClient(api, .pods), transform: Informer.dropManagedFields, logger: Logger(label: "test"))
        let changes = await informer.changes()
        await informer.replace(with: [Self.pod])
        var modified = Self.pod
        modified[path: ["metadata", "resourceVersion"]] = "2"
        modified[path: ["spec", "nodeName"]] = "n2"
        await informer.apply(ResourceEvent(kind: .modified, object: modified))

        let kept = try #require(await informer.get("default/p"))
        #expect(kept["metadata"]["managedFields"].isNull)
        #expect(kept["metadata"]["name"] == "p")
        #expect(kept["spec"]["nodeName"] == "n2")
        var iterator = changes.makeAsyncIterator()
        guard case .added(let added) = await iterator.next(), case .updated(let old, let new) = await iterator.next() else {
            Issue.record("expected an added and an updated change")
            return
        }
        #expect(added["metadata"]["managedFields"].isNull && old["metadata"]["managedFields"].isNull && new["metadata"]["managedFields"].isNull)
        #expect(new["spec"]["nodeName"] == "n2")
    }

    @Test func anObjectWithoutManagedFieldsIsKeptAsItIs() {
        let plain: JSON = ["metadata": ["name": "p"], "spec": [:]]
        #expect(Informer.dropManagedFields(plain) == plain)
    }
}
