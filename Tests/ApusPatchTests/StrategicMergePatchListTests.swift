import ApusMachinery
import Testing
@testable import ApusPatch

/// Lists, ordering and directives checked against Kubernetes' own strategicpatch test cases.
@Suite struct StrategicMergePatchListTests {
    let schema = PatchSchema.empty
        .adding(.merge(key: "name"), at: ["mergingList"])
        .adding(.merge(key: nil), at: ["mergingIntList"])
        .adding(.merge(key: "name"), at: ["mergingList", "nested"])

    func apply(_ patch: String, to live: String) throws -> JSON {
        try StrategicMergePatch.apply(try json(patch), to: try json(live), schema: schema)
    }

    @Test func mergeListsOfMaps() throws {
        let result = try apply("""
            {"$setElementOrder/mergingList":[{"name":"4"},{"name":"1"},{"name":"2"},{"name":"3"}],
             "mergingList":[{"name":"4","value":"4"},{"name":"3","value":"3"}]}
            """, to: #"{"mergingList":[{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"}]}"#)
        #expect(result == (try json("""
            {"mergingList":[{"name":"4","value":"4"},{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"},{"name":"3","value":"3"}]}
            """)))
    }

    @Test func addMapAndDeleteMapFromMergingList() throws {
        let result = try apply("""
            {"$setElementOrder/mergingList":[{"name":"2"},{"name":"3"}],
             "mergingList":[{"name":"3"},{"$patch":"delete","name":"1"}]}
            """, to: #"{"mergingList":[{"name":"1"},{"name":"2","other":"b"},{"name":"4","other":"c"}]}"#)
        #expect(result == (try json(#"{"mergingList":[{"name":"2","other":"b"},{"name":"4","other":"c"},{"name":"3"}]}"#)))
    }

    @Test func addMapAndDeleteMapWhenLiveDiffers() throws {
        let result = try apply("""
            {"$setElementOrder/mergingList":[{"name":"2"},{"name":"3"}],
             "mergingList":[{"name":"2"},{"name":"3"},{"$patch":"delete","name":"1"}]}
            """, to: #"{"mergingList":[{"name":"1","other":"a"},{"name":"4","other":"c"}]}"#)
        #expect(result == (try json(#"{"mergingList":[{"name":"4","other":"c"},{"name":"2"},{"name":"3"}]}"#)))
    }

    @Test func deleteMissingMapFromMergingList() throws {
        let result = try apply("""
            {"$setElementOrder/mergingList":[{"name":"2"}],"mergingList":[{"name":"2"},{"$patch":"delete","name":"1"}]}
            """, to: #"{"mergingList":[{"name":"3","other":"a"}]}"#)
        #expect(result == (try json(#"{"mergingList":[{"name":"2"},{"name":"3","other":"a"}]}"#)))
    }

    @Test func deleteFieldFromMapInMergingList() throws {
        let result = try apply("""
            {"$setElementOrder/mergingList":[{"name":"1"},{"name":"2"}],"mergingList":[{"name":"1","value":null}]}
            """, to: #"{"mergingList":[{"name":"1","value":"1","other":"a"},{"name":"2","value":"2","other":"b"}]}"#)
        #expect(result == (try json(#"{"mergingList":[{"name":"1","other":"a"},{"name":"2","value":"2","other":"b"}]}"#)))
    }

    @Test func deleteRemovesEveryItemWithTheKey() throws {
        let result = try apply(#"{"mergingList":[{"$patch":"delete","name":"1"}]}"#,
                               to: #"{"mergingList":[{"name":"1","v":1},{"name":"2"},{"name":"1","v":2}]}"#)
        #expect(result == (try json(#"{"mergingList":[{"name":"2"}]}"#)))
    }

    @Test func nestedMergingListsMergeRecursively() throws {
        let result = try apply("""
            {"mergingList":[{"name":"1","nested":[{"name":"b","v":2}]}]}
            """, to: #"{"mergingList":[{"name":"1","nested":[{"name":"a","v":1},{"name":"b","v":1}]}]}"#)
        #expect(result == (try json(#"{"mergingList":[{"name":"1","nested":[{"name":"a","v":1},{"name":"b","v":2}]}]}"#)))
    }

    @Test func primitiveListsMergeAsASet() throws {
        let result = try apply(#"{"mergingIntList":[2,3]}"#, to: #"{"mergingIntList":[1,2]}"#)
        #expect(result == (try json(#"{"mergingIntList":[1,2,3]}"#)))
    }

    @Test func deleteFromPrimitiveListWithSetElementOrder() throws {
        let result = try apply("""
            {"$setElementOrder/mergingIntList":[1,2,4],"$deleteFromPrimitiveList/mergingIntList":[3]}
            """, to: #"{"mergingIntList":[1,2,3,4]}"#)
        #expect(result == (try json(#"{"mergingIntList":[1,2,4]}"#)))
    }

    @Test func deleteFromPrimitiveListAndAddInOnePatch() throws {
        let result = try apply("""
            {"$setElementOrder/mergingIntList":[5,1,4],"mergingIntList":[5],"$deleteFromPrimitiveList/mergingIntList":[2,3]}
            """, to: #"{"mergingIntList":[1,2,3,4]}"#)
        #expect(result == (try json(#"{"mergingIntList":[5,1,4]}"#)))
    }

    @Test func deleteFromAMissingPrimitiveListDoesNothing() throws {
        let result = try apply(#"{"$deleteFromPrimitiveList/mergingIntList":[3]}"#, to: #"{"other":1}"#)
        #expect(result == (try json(#"{"other":1}"#)))
    }

    @Test func finalizersMergeAndDelete() throws {
        let schema = PatchSchema.forKind(group: "", kind: "ConfigMap")
        let live = try json(#"{"metadata":{"finalizers":["a","b"]}}"#)
        let added = try StrategicMergePatch.apply(try json(#"{"metadata":{"finalizers":["b","c"]}}"#), to: live, schema: schema)
        #expect(added["metadata"]["finalizers"] == (try json(#"["a","b","c"]"#)))
        let removed = try StrategicMergePatch.apply(try json(#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#), to: added, schema: schema)
        #expect(removed["metadata"]["finalizers"] == (try json(#"["b","c"]"#)))
    }

    @Test func servicePortsMergeByPort() throws {
        let service = try json(#"{"spec":{"ports":[{"port":80,"targetPort":8080,"protocol":"TCP"},{"port":443,"targetPort":8443}]}}"#)
        let result = try StrategicMergePatch.apply(try json(#"{"spec":{"ports":[{"port":80,"targetPort":9090}]}}"#),
                                                   to: service, schema: .forKind(group: "", kind: "Service"))
        #expect(result["spec"]["ports"] == (try json(#"[{"port":80,"targetPort":9090,"protocol":"TCP"},{"port":443,"targetPort":8443}]"#)))
    }

    @Test func ownerReferencesMergeByUID() throws {
        let live = try json(#"{"metadata":{"ownerReferences":[{"uid":"1","name":"a"},{"uid":"2","name":"b"}]}}"#)
        let result = try StrategicMergePatch.apply(try json(#"{"metadata":{"ownerReferences":[{"uid":"2","controller":true}]}}"#),
                                                   to: live, schema: .forKind(group: "", kind: "Secret"))
        #expect(result["metadata"]["ownerReferences"] == (try json(#"[{"uid":"1","name":"a"},{"uid":"2","name":"b","controller":true}]"#)))
    }

    @Test func configMapDataMergesAsAMap() throws {
        let live = try json(#"{"data":{"a":"1","b":"2"},"binaryData":{"x":"AA=="}}"#)
        let result = try StrategicMergePatch.apply(try json(#"{"data":{"b":null,"c":"3"}}"#),
                                                   to: live, schema: .forKind(group: "", kind: "ConfigMap"))
        #expect(result == (try json(#"{"data":{"a":"1","c":"3"},"binaryData":{"x":"AA=="}}"#)))
    }

    @Test func aChangedTypeIsReplaced() throws {
        let result = try apply(#"{"a":{"b":1},"c":"x","d":[1]}"#, to: #"{"a":"s","c":{"k":1},"d":{"e":2}}"#)
        #expect(result == (try json(#"{"a":{"b":1},"c":"x","d":[1]}"#)))
    }

    @Test func nonObjectOriginalIsTreatedAsEmpty() throws {
        let result = try StrategicMergePatch.apply(try json(#"{"a":1}"#), to: .null, schema: schema)
        #expect(result == (try json(#"{"a":1}"#)))
    }
}
