import ApusMachinery
import Testing
@testable import ApusManagedFields

@Suite struct FieldManagerTests {
    let manager = deploymentManager()

    @Test func createRecordsEveryFieldForTheCreator() throws {
        let created = manager.update(live: nil, new: try json(deploymentConfig), manager: "kubectl-create", now: "t1")
        let entry = try #require(created["metadata"]["managedFields"].array?.first)
        #expect(entry["manager"] == "kubectl-create")
        #expect(entry["operation"] == "Update")
        #expect(entry["apiVersion"] == "apps/v1")
        #expect(entry["time"] == "t1")
        #expect(entry["fieldsV1"]["f:spec"]["."].isNull)  // `spec` itself is not claimed
        #expect(entry["fieldsV1"]["f:metadata"]["f:labels"]["."] == .emptyObject)
        #expect(entry["fieldsV1"]["f:spec"]["f:replicas"] == .emptyObject)
        #expect(entry["fieldsV1"]["f:apiVersion"].isNull)
    }

    @Test func anUpdateTakesTheFieldsItChanges() throws {
        let created = manager.update(live: nil, new: try json(deploymentConfig), manager: "kubectl-create", now: "t1")
        var edited = created
        edited[path: ["spec", "replicas"]] = 5
        let updated = manager.update(live: created, new: edited, manager: "kubectl-edit", now: "t2")
        #expect(fields(of: updated, manager: "kubectl-edit", operation: "Update") == (try json(#"{"f:spec":{"f:replicas":{}}}"#)))
        #expect(fields(of: updated, manager: "kubectl-create", operation: "Update")?["f:spec"]["f:replicas"].isNull == true)
        // Nothing changed: no new entry, no new time.
        #expect(manager.update(live: updated, new: updated, manager: "other", now: "t3") == updated)
    }

    @Test func statusWritesAreTrackedOnlyThroughTheStatusSubresource() throws {
        let created = manager.update(live: nil, new: try json(deploymentConfig), manager: "kubectl-create", now: "t1")
        var withStatus = created
        withStatus[path: ["status", "replicas"]] = 3
        #expect(manager.update(live: created, new: withStatus, manager: "x", now: "t2")["metadata"] == created["metadata"])
        let status = deploymentManager(scope: .subresource("status")).update(live: created, new: withStatus, manager: "controller", now: "t2")
        let entry = try #require(status["metadata"]["managedFields"].array?.first { $0["manager"] == "controller" })
        #expect(entry["subresource"] == "status")
        #expect(entry["fieldsV1"] == (try json(#"{"f:status":{".":{},"f:replicas":{}}}"#)))
    }

    @Test func clientsCanClearManagedFields() throws {
        let created = manager.update(live: nil, new: try json(deploymentConfig), manager: "kubectl-create", now: "t1")
        var cleared = created
        cleared[path: ["metadata", "managedFields"]] = [.emptyObject]
        cleared[path: ["spec", "paused"]] = true
        let updated = manager.update(live: created, new: cleared, manager: "m", now: "t2")
        #expect(updated["metadata"]["managedFields"].array?.count == 1)
        #expect(fields(of: updated, manager: "m", operation: "Update") == (try json(#"{"f:spec":{"f:paused":{}}}"#)))
    }
}
