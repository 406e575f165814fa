import ApusMachinery
import Testing
@testable import ApusManagedFields

@Suite struct FieldSetOfObjectTests {
    let semantics = ListSemantics(group: "apps", kind: "Deployment")

    @Test func appliedDeploymentOwnsLeavesItemsAndAtomicSelector() throws {
        var config = try json(deploymentConfig)
        config["apiVersion"] = .null
        config["kind"] = .null
        config[path: ["metadata", "name"]] = .null
        let set = semantics.fieldSet(of: config)
        let expected = #"{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}"#
        #expect(set.fieldsV1.serializedString == expected)
    }

    @Test func listsWithoutKeysOrWithDuplicateKeysAreAtomic() throws {
        let object = try json(#"{"spec":{"template":{"spec":{"tolerations":[{"key":"a"}],"containers":[{"image":"x"},{"image":"y"}]}}}}"#)
        let set = semantics.fieldSet(of: object)
        #expect(set.contains([.field("spec"), .field("template"), .field("spec"), .field("tolerations")]))
        #expect(set.contains([.field("spec"), .field("template"), .field("spec"), .field("containers")]))
    }

    @Test func finalizersAreASet() throws {
        let set = semantics.fieldSet(of: try json(#"{"metadata":{"finalizers":["a","b"]}}"#))
        #expect(set.paths == [[.field("metadata"), .field("finalizers"), .value("a")], [.field("metadata"), .field("finalizers"), .value("b")]])
    }

    @Test func comparisonFindsAddedModifiedAndRemoved() throws {
        let old = try json(#"{"spec":{"replicas":1,"paused":true,"template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}}}"#)
        let new = try json(#"{"spec":{"replicas":2,"minReadySeconds":5,"template":{"spec":{"containers":[{"name":"a","image":"z"},{"name":"c","image":"y"}]}}}}"#)
        let result = semantics.compare(old, new)
        let containers: [PathElement] = [.field("spec"), .field("template"), .field("spec"), .field("containers")]
        #expect(result.modified.paths == [[.field("spec"), .field("replicas")], containers + [.key(["name": "a"]), .field("image")]])
        #expect(result.added.contains([.field("spec"), .field("minReadySeconds")]))
        #expect(result.added.contains(containers + [.key(["name": "c"])]))
        #expect(result.added.contains(containers + [.key(["name": "c"]), .field("image")]))
        #expect(result.removed.contains([.field("spec"), .field("paused")]))
        #expect(result.removed.contains(containers + [.key(["name": "b"]), .field("name")]))
        #expect(semantics.compare(old, old).isEmpty)
    }

    @Test func removalDropsItemsFieldsAndEmptiedParents() throws {
        let object = try json(#"{"metadata":{"labels":{"a":"1"}},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}}}"#)
        let containers: [PathElement] = [.field("spec"), .field("template"), .field("spec"), .field("containers")]
        let removed = semantics.removing(FieldSet(paths: [[.field("metadata"), .field("labels"), .field("a")], containers + [.key(["name": "b"])]]),
                                         from: object)
        #expect(removed == (try json(#"{"metadata":{},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"a","image":"x"}]}}}}"#)))
    }
}
