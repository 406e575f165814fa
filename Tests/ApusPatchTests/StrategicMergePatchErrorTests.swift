import ApusMachinery
import Testing
@testable import ApusPatch

/// Malformed strategic merge patches answer as kube-apiserver does and never crash.
@Suite struct StrategicMergePatchErrorTests {
    let schema = PatchSchema.forKind(group: "apps", kind: "Deployment")
    let live: JSON = ["spec": ["template": ["spec": ["containers": [["name": "web", "image": "nginx"]]]]],
                      "metadata": ["finalizers": ["a"]]]

    func error(_ patch: String) throws -> APIError? {
        let document = try json(patch)
        let live = self.live
        let schema = self.schema
        return patchError { () throws(APIError) in try StrategicMergePatch.apply(document, to: live, schema: schema) }
    }

    @Test func aPatchThatIsNotAnObjectIs400() throws {
        let failure = try error(#"[{"op":"add"}]"#)
        #expect(failure?.code == 400)
        #expect(failure?.message == "json: cannot unmarshal array into Go value of type map[string]interface {}")
        #expect(try error(#""text""#)?.code == 400)
    }

    @Test func missingMergeKeyIsReportedLikeKubernetes() throws {
        let failure = try error(#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#)
        #expect(failure?.code == 500)
        #expect(failure?.message == "map: map[image:x] does not contain declared merge key: name")
        #expect(failure?.status["reason"] == .null)
    }

    @Test func mergeDirectivesAreRefused() throws {
        #expect(try error(#"{"spec":{"template":{"spec":{"containers":[{"$patch":"merge","name":"web"}]}}}}"#)?.message
                == "merging lists cannot yet be specified in the patch")
        #expect(try error(#"{"spec":{"$patch":"merge"}}"#)?.message == "unknown patch type: merge in map: map[$patch:merge]")
        #expect(try error(#"{"spec":{"template":{"spec":{"containers":[{"$patch":"explode","name":"web"}]}}}}"#)?.code == 500)
        #expect(try error(#"{"spec":{"$patch":7}}"#)?.code == 500)
    }

    @Test func retainKeysMustListEveryPatchedMember() throws {
        let failure = try error(#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":{"maxSurge":1}}}}"#)
        #expect(failure?.code == 400)
        #expect(failure?.message == "invalid patch format of retainKeys")
        #expect(try error(#"{"spec":{"strategy":{"$retainKeys":"type"}}}"#)?.code == 400)
    }

    @Test func setElementOrderMustCoverThePatchList() throws {
        let failure = try error("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"other","image":"x"}]}}}}
            """)
        #expect(failure?.code == 500)
        #expect(failure?.message.hasPrefix("The order in patch list:") == true)
        #expect(try error(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":"web"}}}}"#)?.code == 500)
        #expect(try error(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"image":"x"}],"containers":[{"name":"web"}]}}}}"#)?.code == 500)
    }

    @Test func malformedDirectiveKeysAre400() throws {
        #expect(try error(#"{"spec":{"$setElementOrderX":[]}}"#)?.message == "invalid patch format of setElementOrder list")
        #expect(try error(#"{"metadata":{"$deleteFromPrimitiveList":["a"]}}"#)?.message == "invalid patch format of primitive list")
    }

    @Test func listsOfListsAre422() throws {
        let patch = try json(#"{"metadata":{"finalizers":[["a"]]}}"#)
        let live = try json(#"{"metadata":{"finalizers":[]}}"#)
        let failure = patchError { () throws(APIError) in try StrategicMergePatch.apply(patch, to: live, schema: schema) }
        #expect(failure?.code == 422)
        #expect(failure?.details?.causes.first?.message == "lists of lists are not supported")
        // Against a list of strings the item types differ first, which Kubernetes reports unclassified.
        #expect(try error(#"{"metadata":{"finalizers":[["a"]]}}"#)?.code == 500)
    }

    @Test func mixedItemTypesAreRefused() throws {
        #expect(try error(#"{"metadata":{"finalizers":[1]}}"#)?.code == 500)
        #expect(try error(#"{"spec":{"template":{"spec":{"containers":["web"]}}}}"#)?.code == 500)
    }

    @Test func oddShapesNeverCrash() throws {
        let oddities = [
            #"{"spec":{"template":{"spec":{"containers":[null]}}}}"#,
            #"{"spec":{"template":{"spec":{"containers":[{"$patch":"delete"}]}}}}"#,
            #"{"spec":{"template":{"spec":{"containers":{"name":"web"}}}}}"#,
            #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[],"containers":[]}}}}"#,
            #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":null}}}}"#,
            #"{"spec":{"template":{"spec":{"$setElementOrder/volumes":[{"name":"v"}]}}}}"#,
            #"{"spec":{"template":{"spec":{"$setElementOrder/args":["a"],"args":["a"]}}}}"#,
            #"{"spec":{"template":{"spec":{"$deleteFromPrimitiveList/containers":["web"]}}}}"#,
            #"{"spec":{"template":{"spec":{"$deleteFromPrimitiveList/":["web"]}}}}"#,
            #"{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":1},{"$patch":"replace"},{"$patch":"delete","containerPort":1}]}]}}}}"#,
            #"{"spec":{"$retainKeys":[],"x":null}}"#,
            #"{"metadata":{"finalizers":[null,"b"]}}"#,
            #"{"metadata":{"finalizers":{"a":1}}}"#,
            #"{"$setElementOrder/metadata":[1]}"#,
        ]
        for oddity in oddities {
            let document = try json(oddity)
            do {
                let result = try StrategicMergePatch.apply(document, to: live, schema: schema)
                #expect(result.object != nil, "\(oddity)")
            } catch {
                #expect([400, 422, 500].contains(error.code), "\(oddity)")
            }
        }
    }
}
