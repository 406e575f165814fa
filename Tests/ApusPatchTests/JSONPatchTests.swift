import ApusMachinery
import Testing
@testable import ApusPatch

struct JSONPatchCase: Sendable, CustomTestStringConvertible {
    let name: String
    let document: String
    let patch: String
    /// nil when the patch must fail with a 422.
    let expected: String?
    var testDescription: String { name }
}

@Suite struct JSONPatchTests {
    /// RFC 6902, Appendix A (A.13, a duplicated member, cannot be expressed once parsed).
    static let rfcAppendix: [JSONPatchCase] = [
        JSONPatchCase(name: "A.1 add an object member", document: #"{"foo":"bar"}"#,
                      patch: #"[{"op":"add","path":"/baz","value":"qux"}]"#, expected: #"{"baz":"qux","foo":"bar"}"#),
        JSONPatchCase(name: "A.2 add an array element", document: #"{"foo":["bar","baz"]}"#,
                      patch: #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, expected: #"{"foo":["bar","qux","baz"]}"#),
        JSONPatchCase(name: "A.3 remove an object member", document: #"{"baz":"qux","foo":"bar"}"#,
                      patch: #"[{"op":"remove","path":"/baz"}]"#, expected: #"{"foo":"bar"}"#),
        JSONPatchCase(name: "A.4 remove an array element", document: #"{"foo":["bar","qux","baz"]}"#,
                      patch: #"[{"op":"remove","path":"/foo/1"}]"#, expected: #"{"foo":["bar","baz"]}"#),
        JSONPatchCase(name: "A.5 replace a value", document: #"{"baz":"qux","foo":"bar"}"#,
                      patch: #"[{"op":"replace","path":"/baz","value":"boo"}]"#, expected: #"{"baz":"boo","foo":"bar"}"#),
        JSONPatchCase(name: "A.6 move a value", document: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
                      patch: #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
                      expected: #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        JSONPatchCase(name: "A.7 move an array element", document: #"{"foo":["all","grass","cows","eat"]}"#,
                      patch: #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, expected: #"{"foo":["all","cows","eat","grass"]}"#),
        JSONPatchCase(name: "A.8 test a value: success", document: #"{"baz":"qux","foo":["a",2,"c"]}"#,
                      patch: #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
                      expected: #"{"baz":"qux","foo":["a",2,"c"]}"#),
        JSONPatchCase(name: "A.9 test a value: error", document: #"{"baz":"qux"}"#,
                      patch: #"[{"op":"test","path":"/baz","value":"bar"}]"#, expected: nil),
        JSONPatchCase(name: "A.10 add a nested member object", document: #"{"foo":"bar"}"#,
                      patch: #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
                      expected: #"{"foo":"bar","child":{"grandchild":{}}}"#),
        JSONPatchCase(name: "A.11 ignore unrecognised members", document: #"{"foo":"bar"}"#,
                      patch: #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, expected: #"{"foo":"bar","baz":"qux"}"#),
        JSONPatchCase(name: "A.12 add to a nonexistent target", document: #"{"foo":"bar"}"#,
                      patch: #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, expected: nil),
        JSONPatchCase(name: "A.14 ~ escape ordering", document: #"{"/":9,"~1":10}"#,
                      patch: #"[{"op":"test","path":"/~01","value":10}]"#, expected: #"{"/":9,"~1":10}"#),
        JSONPatchCase(name: "A.15 strings and numbers differ", document: #"{"/":9,"~1":10}"#,
                      patch: #"[{"op":"test","path":"/~01","value":"10"}]"#, expected: nil),
        JSONPatchCase(name: "A.16 add an array value", document: #"{"foo":["bar"]}"#,
                      patch: #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, expected: #"{"foo":["bar",["abc","def"]]}"#),
    ]

    @Test(arguments: rfcAppendix)
    func rfc6902AppendixA(_ testCase: JSONPatchCase) throws {
        let document = try json(testCase.document)
        let patch = try json(testCase.patch)
        if let expected = testCase.expected {
            let result = try JSONPatch.apply(patch, to: document)
            #expect(result == (try json(expected)))
        } else {
            let error = patchError { () throws(APIError) in try JSONPatch.apply(patch, to: document) }
            #expect(error?.code == 422)
            #expect(error?.reason == "Invalid")
        }
    }

    /// The body `kubectl rollout undo` sends, against a deployment that has no annotations yet.
    @Test func rolloutUndoReplacesTemplateAndMissingAnnotations() throws {
        let deployment = try json("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"app","namespace":"default","uid":"u1"},
             "spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"app"}},"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}
            """)
        let patch = try json("""
            [{"op":"replace","path":"/spec/template","value":{"metadata":{"creationTimestamp":null,"labels":{"app":"app"}},"spec":{"containers":[{"image":"nginx:1.25","name":"web","resources":{}}]}}},
             {"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"1"}}]
            """)
        let result = try JSONPatch.apply(patch, to: deployment)
        #expect(result["spec"]["template"]["spec"]["containers"][0]["image"].string == "nginx:1.25")
        #expect(result["spec"]["template"]["metadata"]["creationTimestamp"] == .null)
        #expect(result["metadata"]["annotations"] == (try json(#"{"deployment.kubernetes.io/revision":"1"}"#)))
        #expect(result["metadata"]["uid"].string == "u1")
        #expect(result["spec"]["replicas"] == .int(2))
    }

    @Test func replaceOfExistingAnnotationsSwapsThemWhole() throws {
        let deployment = try json(#"{"metadata":{"annotations":{"a":"1","deployment.kubernetes.io/revision":"3"}}}"#)
        let patch = try json(#"[{"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"4"}}]"#)
        let result = try JSONPatch.apply(patch, to: deployment)
        #expect(result["metadata"]["annotations"] == (try json(#"{"deployment.kubernetes.io/revision":"4"}"#)))
    }

    @Test func copyDuplicatesAValue() throws {
        let result = try JSONPatch.apply(try json(#"[{"op":"copy","from":"/a/b","path":"/c"}]"#), to: try json(#"{"a":{"b":[1,2]}}"#))
        #expect(result == (try json(#"{"a":{"b":[1,2]},"c":[1,2]}"#)))
    }

    @Test func rootPointerAddsReplacesAndTestsTheWholeDocument() throws {
        let document = try json(#"{"a":1}"#)
        #expect(try JSONPatch.apply(try json(#"[{"op":"replace","path":"","value":{"b":2}}]"#), to: document) == (try json(#"{"b":2}"#)))
        #expect(try JSONPatch.apply(try json(#"[{"op":"add","path":"","value":[1]}]"#), to: document) == .array([.int(1)]))
        #expect(try JSONPatch.apply(try json(#"[{"op":"test","path":"","value":{"a":1}}]"#), to: document) == document)
        let removeRoot = try json(#"[{"op":"remove","path":""}]"#)
        #expect(patchError { () throws(APIError) in try JSONPatch.apply(removeRoot, to: document) }?.code == 422)
    }

    @Test func escapedTokensReachTheirMembers() throws {
        let document = try json(#"{"metadata":{"annotations":{"kubernetes.io/change-cause":"x","a~b":"y"}}}"#)
        let patch = try json("""
            [{"op":"replace","path":"/metadata/annotations/kubernetes.io~1change-cause","value":"rollback"},
             {"op":"remove","path":"/metadata/annotations/a~0b"}]
            """)
        let result = try JSONPatch.apply(patch, to: document)
        #expect(result["metadata"]["annotations"] == (try json(#"{"kubernetes.io/change-cause":"rollback"}"#)))
    }

    @Test func arrayIndexBounds() throws {
        let document = try json(#"{"a":[1,2]}"#)
        let atEnd = try JSONPatch.apply(try json(#"[{"op":"add","path":"/a/2","value":3}]"#), to: document)
        #expect(atEnd == (try json(#"{"a":[1,2,3]}"#)))
        let appended = try JSONPatch.apply(try json(#"[{"op":"add","path":"/a/-","value":3}]"#), to: document)
        #expect(appended == atEnd)

        for bad in [
            #"[{"op":"add","path":"/a/3","value":3}]"#,
            #"[{"op":"add","path":"/a/01","value":3}]"#,
            #"[{"op":"add","path":"/a/-1","value":3}]"#,
            #"[{"op":"remove","path":"/a/2"}]"#,
            #"[{"op":"remove","path":"/a/-"}]"#,
            #"[{"op":"replace","path":"/a/2","value":0}]"#,
            #"[{"op":"test","path":"/a/5","value":0}]"#,
            #"[{"op":"add","path":"/a/x","value":3}]"#,
            #"[{"op":"add","path":"/a/99999999999999999999999","value":3}]"#,
        ] {
            let patch = try json(bad)
            let error = patchError { () throws(APIError) in try JSONPatch.apply(patch, to: document) }
            #expect(error?.code == 422, "\(bad)")
        }
    }

    @Test func removingAMissingMemberFails() throws {
        let patch = try json(#"[{"op":"remove","path":"/nope"}]"#)
        let error = patchError { () throws(APIError) in try JSONPatch.apply(patch, to: .emptyObject) }
        #expect(error?.code == 422)
        #expect(error?.details?.causes.first?.message == "error in remove for path: '/nope': Unable to remove nonexistent key: nope: missing value")
    }

    @Test func replaceUnderAMissingParentFails() throws {
        let patch = try json(#"[{"op":"replace","path":"/metadata/annotations/x","value":"y"}]"#)
        let error = patchError { () throws(APIError) in try JSONPatch.apply(patch, to: .emptyObject) }
        #expect(error?.code == 422)
    }

    @Test func failedTestIsA422WithKubernetesWording() throws {
        let patch = try json(#"[{"op":"test","path":"/spec/replicas","value":3},{"op":"replace","path":"/spec/replicas","value":4}]"#)
        let deployment = try json(#"{"spec":{"replicas":2}}"#)
        let error = patchError { () throws(APIError) in try JSONPatch.apply(patch, to: deployment) }
        #expect(error?.code == 422)
        #expect(error?.reason == "Invalid")
        #expect(error?.message == "the server rejected our request due to an error in our request")
        #expect(error?.details?.causes == [APIError.Cause(reason: "UnexpectedServerResponse", message: "testing value /spec/replicas failed: test failed")])
        #expect(error?.status["code"] == .int(422))
    }

    @Test func testComparesNumbersByValueAndObjectsStructurally() throws {
        let document = try json(#"{"n":1,"o":{"a":[1,{"b":2.0}],"c":"d"}}"#)
        let patch = try json(#"[{"op":"test","path":"/n","value":1.0},{"op":"test","path":"/o","value":{"c":"d","a":[1.0,{"b":2}]}}]"#)
        #expect(try JSONPatch.apply(patch, to: document) == document)
        let mismatch = try json(#"[{"op":"test","path":"/o","value":{"c":"d"}}]"#)
        #expect(patchError { () throws(APIError) in try JSONPatch.apply(mismatch, to: document) }?.code == 422)
    }

    @Test func moveIntoItsOwnChildFails() throws {
        let patch = try json(#"[{"op":"move","from":"/a","path":"/a/b"}]"#)
        let document = try json(#"{"a":{}}"#)
        #expect(patchError { () throws(APIError) in try JSONPatch.apply(patch, to: document) }?.code == 422)
    }

    @Test func moveOntoItselfChangesNothing() throws {
        let document = try json(#"{"a":[1,2,3]}"#)
        #expect(try JSONPatch.apply(try json(#"[{"op":"move","from":"/a/1","path":"/a/1"}]"#), to: document) == document)
    }

    @Test func malformedOperationsAre422() throws {
        for bad in [
            #"[{"op":"frobnicate","path":"/a"}]"#,
            #"[{"path":"/a","value":1}]"#,
            #"[null]"#,
            #"[{"op":"add","value":1}]"#,
            #"[{"op":"add","path":5,"value":1}]"#,
            #"[{"op":"add","path":"/a"}]"#,
            #"[{"op":"move","path":"/a"}]"#,
            #"[{"op":"add","path":"a","value":1}]"#,
            #"[{"op":"add","path":"/a~2","value":1}]"#,
        ] {
            let patch = try json(bad)
            let error = patchError { () throws(APIError) in try JSONPatch.apply(patch, to: .emptyObject) }
            #expect(error?.code == 422, "\(bad)")
        }
        let unknown = try json(#"[{"op":"frobnicate","path":"/a"}]"#)
        #expect(patchError { () throws(APIError) in try JSONPatch.apply(unknown, to: .emptyObject) }?
            .details?.causes.first?.message == "Unexpected kind: frobnicate")
    }

    @Test func aDocumentThatIsNotAListOfOperationsIs400() throws {
        for bad in [#"{"op":"add","path":"/a","value":1}"#, #""add""#, #"[1]"#, #"[["op"]]"#] {
            let patch = try json(bad)
            let error = patchError { () throws(APIError) in try JSONPatch.apply(patch, to: .emptyObject) }
            #expect(error?.code == 400, "\(bad)")
            #expect(error?.reason == "BadRequest")
        }
        let object = try json(#"{"op":"add"}"#)
        #expect(patchError { () throws(APIError) in try JSONPatch.apply(object, to: .emptyObject) }?.message
            == "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    }

    @Test func nullAndEmptyPatchesChangeNothing() throws {
        let document = try json(#"{"a":1}"#)
        #expect(try JSONPatch.apply(.null, to: document) == document)
        #expect(try JSONPatch.apply(.array([]), to: document) == document)
    }

    @Test func tooManyOperationsIs413() throws {
        let operation = try json(#"{"op":"test","path":"","value":{}}"#)
        let patch = JSON.array(Array(repeating: operation, count: JSONPatch.maximumOperations + 1))
        #expect(patchError { () throws(APIError) in try JSONPatch.apply(patch, to: .emptyObject) }?.code == 413)
    }

    @Test func operationsApplyInOrderAndSeeEarlierChanges() throws {
        let patch = try json("""
            [{"op":"add","path":"/spec","value":{}},{"op":"add","path":"/spec/list","value":[]},
             {"op":"add","path":"/spec/list/-","value":"a"},{"op":"add","path":"/spec/list/0","value":"b"},
             {"op":"copy","from":"/spec/list","path":"/copy"},{"op":"remove","path":"/spec/list/1"},
             {"op":"test","path":"/copy","value":["b","a"]}]
            """)
        let result = try JSONPatch.apply(patch, to: .emptyObject)
        #expect(result == (try json(#"{"spec":{"list":["b"]},"copy":["b","a"]}"#)))
    }

    @Test func aFailureLeavesTheTargetUntouched() throws {
        let document = try json(#"{"a":{"b":1}}"#)
        let patch = try json(#"[{"op":"add","path":"/a/c","value":2},{"op":"remove","path":"/a/zzz"}]"#)
        #expect(patchError { () throws(APIError) in try JSONPatch.apply(patch, to: document) } != nil)
        #expect(document == (try json(#"{"a":{"b":1}}"#)))
    }
}
