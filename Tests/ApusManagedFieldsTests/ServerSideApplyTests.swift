import ApusMachinery
import Testing
@testable import ApusManagedFields

@Suite struct ServerSideApplyTests {
    let manager = deploymentManager()

    @Test func firstApplyCreatesWithTheApplierOwningItsConfiguration() throws {
        let created = try applying(manager, live: nil, config: try json(deploymentConfig), as: "kubectl")
        #expect(created["spec"]["replicas"] == 3)
        let entries = try #require(created["metadata"]["managedFields"].array)
        #expect(entries.count == 1)
        #expect(entries[0]["operation"] == "Apply")
        #expect(entries[0]["fieldsV1"]["f:spec"]["f:selector"] == .emptyObject)
    }

    @Test func changingAFieldAnotherManagerOwnsIsAConflict() throws {
        let created = try applying(manager, live: nil, config: try json(deploymentConfig), as: "kubectl")
        var scaled = created
        scaled[path: ["spec", "replicas"]] = 5
        let live = deploymentManager(scope: .subresource("scale")).update(live: created, new: scaled, manager: "kubectl-scale", now: "t2")
        // The applier still owns replicas too? No: the scale took it.
        #expect(fields(of: live, manager: "kubectl", operation: "Apply")?["f:spec"]["f:replicas"].isNull == true)

        let error = try #require(applyError { () throws(APIError) -> JSON in try applying(manager, live: live, config: try! json(deploymentConfig), as: "kubectl") })
        #expect(error.code == 409)
        #expect(error.reason == "Conflict")
        #expect(error.message == #"Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas"#)
        #expect(error.details?.causes == [APIError.Cause(reason: "FieldManagerConflict",
                                                          message: #"conflict with "kubectl-scale" with subresource "scale" using apps/v1"#,
                                                          field: ".spec.replicas")])

        let forced = try applying(manager, live: live, config: try json(deploymentConfig), as: "kubectl", force: true)
        #expect(forced["spec"]["replicas"] == 3)
        #expect(fields(of: forced, manager: "kubectl-scale", operation: "Update") == nil)
        #expect(fields(of: forced, manager: "kubectl", operation: "Apply")?["f:spec"]["f:replicas"] == .emptyObject)
    }

    @Test func applyingTheSameValueSharesOwnershipWithoutConflict() throws {
        let created = try applying(manager, live: nil, config: try json(deploymentConfig), as: "kubectl")
        let second = try applying(manager, live: created, config: try json(deploymentConfig), as: "other-tool")
        #expect(fields(of: second, manager: "kubectl", operation: "Apply")?["f:spec"]["f:replicas"] == .emptyObject)
        #expect(fields(of: second, manager: "other-tool", operation: "Apply")?["f:spec"]["f:replicas"] == .emptyObject)
    }

    @Test func severalConflictsAreListedPerManager() throws {
        let created = try applying(manager, live: nil, config: try json(deploymentConfig), as: "kubectl")
        var config = try json(deploymentConfig)
        config[path: ["spec", "replicas"]] = 7
        config[path: ["spec", "template", "spec", "containers"]] = [["name": "nginx", "image": "nginx:2"]]
        let error = try #require(applyError { () throws(APIError) -> JSON in try applying(manager, live: created, config: config, as: "ci") })
        #expect(error.message == """
            Apply failed with 2 conflicts: conflicts with "kubectl":
            - .spec.replicas
            - .spec.template.spec.containers[name="nginx"].image
            """)
    }

    @Test func fieldsNoLongerAppliedAreRemovedUnlessAnotherApplierHoldsThem() throws {
        var config = try json(deploymentConfig)
        config[path: ["metadata", "labels", "tier"]] = "front"
        config[path: ["spec", "template", "spec", "containers"]] = [["name": "nginx", "image": "nginx:1.14"], ["name": "sidecar", "image": "busybox"]]
        let first = try applying(manager, live: nil, config: config, as: "kubectl")
        let second = try applying(manager, live: first, config: try json(deploymentConfig), as: "kubectl")
        #expect(second["metadata"]["labels"] == ["app": "web"])
        #expect(second["spec"]["template"]["spec"]["containers"].array?.map { $0["name"] } == ["nginx"])

        // A label another applier also applied stays.
        var other = try json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"tier":"front"}}}"#)
        other[path: ["metadata", "name"]] = "web"
        let shared = try applying(manager, live: first, config: other, as: "labeller")
        let third = try applying(manager, live: shared, config: try json(deploymentConfig), as: "kubectl")
        #expect(third["metadata"]["labels"] == ["app": "web", "tier": "front"])
    }

    @Test func aRepeatedApplyChangesNothing() throws {
        let created = try applying(manager, live: nil, config: try json(deploymentConfig), as: "kubectl", at: "t1")
        let again = try applying(manager, live: created, config: try json(deploymentConfig), as: "kubectl", at: "t2")
        #expect(again == created)
    }

    @Test func objectsWithoutManagedFieldsAreOwnedBeforeTheFirstApply() throws {
        var live = try json(deploymentConfig)
        live[path: ["spec", "replicas"]] = 1
        let error = try #require(applyError { () throws(APIError) -> JSON in try applying(manager, live: live, config: try! json(deploymentConfig), as: "kubectl") })
        #expect(error.message.contains(#"conflict with "before-first-apply" using apps/v1: .spec.replicas"#))
    }
}


@Suite struct ApplyAfterMigrationTests {
    /// kubectl moves a client-side applier's fields to its server-side apply entry, then applies
    /// again: fields the configuration still sets, and the maps and lists holding them, stay.
    @Test func fieldsTakenOverFromAnUpdateEntryAreNotPrunedWithTheirParents() throws {
        let manager = deploymentManager()
        var created = manager.update(live: nil, new: try json(deploymentConfig), manager: "kubectl-client-side-apply", now: "t1")
        var entries = try #require(created["metadata"]["managedFields"].array)
        entries[0]["manager"] = "kubectl"
        entries[0]["operation"] = "Apply"
        created[path: ["metadata", "managedFields"]] = .array(entries)
        let applied = try applying(manager, live: created, config: try json(deploymentConfig), as: "kubectl")
        #expect(applied["spec"]["template"]["metadata"]["labels"] == ["app": "web"])
        #expect(applied["spec"]["template"]["spec"]["containers"].array?.count == 1)
        #expect(applied["metadata"]["labels"] == ["app": "web"])
    }

    @Test func listsAreTheirItemsInUpdateEntries() throws {
        let created = deploymentManager().update(live: nil, new: try json(deploymentConfig), manager: "creator", now: "t1")
        let containers = try #require(fields(of: created, manager: "creator", operation: "Update"))["f:spec"]["f:template"]["f:spec"]["f:containers"]
        #expect(containers["."].isNull, "no entry for the list itself")
        #expect(containers["k:{\"name\":\"nginx\"}"]["."] == .emptyObject)
    }
}
