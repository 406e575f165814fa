import ApusMachinery
import Testing

private func requirement(_ field: String, _ value: String, negated: Bool = false) -> FieldSelector.Requirement {
    FieldSelector.Requirement(field: field, value: value, negated: negated)
}

@Suite("FieldSelector")
struct FieldSelectorTests {
    @Test("empty selects everything")
    func empty() throws {
        let selector = try FieldSelector.parse("")
        #expect(selector.isEmpty)
        #expect(selector.matches([:]))
        #expect(FieldSelector.everything.matches(["metadata.name": "x"]))
    }

    @Test("=, == and !=")
    func operators() throws {
        #expect(try FieldSelector.parse("metadata.name=web").requirements == [requirement("metadata.name", "web")])
        #expect(try FieldSelector.parse("metadata.name==web").requirements == [requirement("metadata.name", "web")])
        #expect(try FieldSelector.parse("status.phase!=Running").requirements == [requirement("status.phase", "Running", negated: true)])
        #expect(try FieldSelector.parse("spec.nodeName=").requirements == [requirement("spec.nodeName", "")])
    }

    @Test("several terms")
    func several() throws {
        let selector = try FieldSelector.parse("metadata.namespace=default,status.phase!=Succeeded,spec.nodeName==node-1")
        #expect(selector.requirements == [
            requirement("metadata.namespace", "default"), requirement("status.phase", "Succeeded", negated: true),
            requirement("spec.nodeName", "node-1"),
        ])
        #expect(selector.description == "metadata.namespace=default,status.phase!=Succeeded,spec.nodeName=node-1")
    }

    @Test("escaped commas and backslashes stay in the value")
    func escapes() throws {
        let selector = try FieldSelector.parse(#"metadata.name=a\,b,status.phase=Running"#)
        #expect(selector.requirements == [requirement("metadata.name", "a,b"), requirement("status.phase", "Running")])
        #expect(try FieldSelector.parse(#"metadata.name=a\\b"#).requirements == [requirement("metadata.name", #"a\b"#)])
        #expect(try FieldSelector.parse(#"metadata.name=x\=y"#).requirements == [requirement("metadata.name", "x=y")])
    }

    @Test("a value may contain = after the operator")
    func equalsInValue() throws {
        #expect(try FieldSelector.parse("metadata.name=a=b").requirements == [requirement("metadata.name", "a=b")])
    }

    @Test("terms without an operator or a field are 400", arguments: ["metadata.name", "=x", "a=b,c", "!=x"])
    func malformed(text: String) throws {
        let error = #expect(throws: APIError.self) { _ = try FieldSelector.parse(text) }
        #expect(error?.code == 400)
        #expect(error?.message.hasPrefix("invalid selector: '\(text)'; can't understand '") == true)
    }

    @Test("the exact message for a term without an operator")
    func message() {
        #expect(throws: APIError.badRequest("invalid selector: 'a=b,c'; can't understand 'c'")) {
            _ = try FieldSelector.parse("a=b,c")
        }
    }

    @Test("matching", arguments: [
        ("metadata.name=web", true), ("metadata.name=api", false), ("metadata.name!=api", true), ("metadata.name!=web", false),
        ("status.phase=Running,metadata.name=web", true), ("status.phase=Running,metadata.name=api", false),
        ("spec.nodeName=", true), ("spec.nodeName!=", false), ("spec.nodeName!=node-1", true),
    ])
    func matching(text: String, expected: Bool) throws {
        let fields = ["metadata.name": "web", "metadata.namespace": "default", "status.phase": "Running"]
        #expect(try FieldSelector.parse(text).matches(fields) == expected)
    }

    @Test("escaped values match literally")
    func escapedMatch() throws {
        #expect(try FieldSelector.parse(#"metadata.name=a\,b"#).matches(["metadata.name": "a,b"]))
        #expect(!(try FieldSelector.parse(#"metadata.name=a\,b"#).matches(["metadata.name": "a"])))
    }

    @Test("requiredValue finds an = term, not a != one")
    func requiredValue() throws {
        let selector = try FieldSelector.parse("metadata.namespace!=kube-system,metadata.name=web")
        #expect(selector.requiredValue("metadata.name") == "web")
        #expect(selector.requiredValue("metadata.namespace") == nil)
        #expect(selector.requiredValue("status.phase") == nil)
    }
}
