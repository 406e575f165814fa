import ApusMachinery
import Testing
@testable import ApusPatch

struct MergeCase: Sendable, CustomTestStringConvertible {
    let target: String
    let patch: String
    let expected: String
    var testDescription: String { "\(target) + \(patch)" }
}

@Suite struct JSONMergePatchTests {
    /// RFC 7386, Appendix A.
    static let rfcAppendix: [MergeCase] = [
        MergeCase(target: #"{"a":"b"}"#, patch: #"{"a":"c"}"#, expected: #"{"a":"c"}"#),
        MergeCase(target: #"{"a":"b"}"#, patch: #"{"b":"c"}"#, expected: #"{"a":"b","b":"c"}"#),
        MergeCase(target: #"{"a":"b"}"#, patch: #"{"a":null}"#, expected: #"{}"#),
        MergeCase(target: #"{"a":"b","b":"c"}"#, patch: #"{"a":null}"#, expected: #"{"b":"c"}"#),
        MergeCase(target: #"{"a":["b"]}"#, patch: #"{"a":"c"}"#, expected: #"{"a":"c"}"#),
        MergeCase(target: #"{"a":"c"}"#, patch: #"{"a":["b"]}"#, expected: #"{"a":["b"]}"#),
        MergeCase(target: #"{"a":{"b":"c"}}"#, patch: #"{"a":{"b":"d","c":null}}"#, expected: #"{"a":{"b":"d"}}"#),
        MergeCase(target: #"{"a":[{"b":"c"}]}"#, patch: #"{"a":[1]}"#, expected: #"{"a":[1]}"#),
        MergeCase(target: #"["a","b"]"#, patch: #"["c","d"]"#, expected: #"["c","d"]"#),
        MergeCase(target: #"{"a":"b"}"#, patch: #"["c"]"#, expected: #"["c"]"#),
        MergeCase(target: #"{"a":"foo"}"#, patch: #"null"#, expected: #"null"#),
        MergeCase(target: #"{"a":"foo"}"#, patch: #""bar""#, expected: #""bar""#),
        MergeCase(target: #"{"e":null}"#, patch: #"{"a":1}"#, expected: #"{"e":null,"a":1}"#),
        MergeCase(target: #"[1,2]"#, patch: #"{"a":"b","c":null}"#, expected: #"{"a":"b"}"#),
        MergeCase(target: #"{}"#, patch: #"{"a":{"bb":{"ccc":null}}}"#, expected: #"{"a":{"bb":{}}}"#),
    ]

    @Test(arguments: rfcAppendix)
    func rfc7386AppendixA(_ testCase: MergeCase) throws {
        let result = JSONMergePatch.apply(try json(testCase.patch), to: try json(testCase.target))
        #expect(result == (try json(testCase.expected)))
    }

    /// The worked example of RFC 7386 section 3.
    @Test func rfc7386Example() throws {
        let target = try json("""
            {"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}
            """)
        let patch = try json("""
            {"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}
            """)
        let expected = try json("""
            {"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}
            """)
        #expect(JSONMergePatch.apply(patch, to: target) == expected)
    }

    @Test func kubectlLabelAddsALabel() throws {
        let pod = try json(#"{"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}"#)
        let result = JSONMergePatch.apply(try json(#"{"metadata":{"labels":{"tier":"frontend"}}}"#), to: pod)
        #expect(result["metadata"]["labels"] == (try json(#"{"app":"web","tier":"frontend"}"#)))
        #expect(result["spec"] == pod["spec"])
    }

    @Test func kubectlLabelCreatesMissingLabels() throws {
        let pod = try json(#"{"metadata":{"name":"web"}}"#)
        let result = JSONMergePatch.apply(try json(#"{"metadata":{"labels":{"tier":"frontend"}}}"#), to: pod)
        #expect(result["metadata"]["labels"]["tier"].string == "frontend")
        #expect(result["metadata"]["name"].string == "web")
    }

    @Test func kubectlLabelRemovesWithNull() throws {
        let pod = try json(#"{"metadata":{"labels":{"app":"web","tier":"frontend"}}}"#)
        let result = JSONMergePatch.apply(try json(#"{"metadata":{"labels":{"tier":null}}}"#), to: pod)
        #expect(result["metadata"]["labels"] == (try json(#"{"app":"web"}"#)))
    }

    @Test func kubectlScaleChangesReplicasAndKeepsIntegers() throws {
        let scale = try json(#"{"kind":"Scale","spec":{"replicas":2},"status":{"replicas":2}}"#)
        let result = JSONMergePatch.apply(try json(#"{"spec":{"replicas":5}}"#), to: scale)
        #expect(result["spec"]["replicas"] == .int(5))
        #expect(result["status"]["replicas"] == .int(2))
    }

    @Test func listsInsideThePatchKeepTheirNulls() throws {
        // Only object members are merge-patched; array contents are values.
        let result = JSONMergePatch.apply(try json(#"{"a":[null,{"b":null}]}"#), to: .emptyObject)
        #expect(result == (try json(#"{"a":[null,{"b":null}]}"#)))
    }
}
