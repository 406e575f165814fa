import ApusMachinery
import Testing

private func requirement(_ key: String, _ op: LabelSelector.Operator, _ values: [String] = []) -> LabelSelector.Requirement {
    LabelSelector.Requirement(key: key, op: op, values: values)
}

@Suite("LabelSelector.parse")
struct LabelSelectorParseTests {
    @Test("empty and blank strings select everything")
    func empty() throws {
        #expect(try LabelSelector.parse("").requirements.isEmpty)
        #expect(try LabelSelector.parse("   ").requirements.isEmpty)
        #expect(try LabelSelector.parse("").isEmpty)
        #expect(try LabelSelector.parse("").matches(["any": "thing"]))
    }

    @Test("equality operators")
    func equality() throws {
        #expect(try LabelSelector.parse("app=web").requirements == [requirement("app", .equals, ["web"])])
        #expect(try LabelSelector.parse("app==web").requirements == [requirement("app", .equals, ["web"])])
        #expect(try LabelSelector.parse("app!=web").requirements == [requirement("app", .notEquals, ["web"])])
        #expect(try LabelSelector.parse("app=").requirements == [requirement("app", .equals, [""])])
    }

    @Test("set operators")
    func sets() throws {
        #expect(try LabelSelector.parse("env in (prod,staging)").requirements == [requirement("env", .in, ["prod", "staging"])])
        #expect(try LabelSelector.parse("env notin (dev)").requirements == [requirement("env", .notIn, ["dev"])])
        #expect(try LabelSelector.parse("env in(a, b ,c)").requirements == [requirement("env", .in, ["a", "b", "c"])])
    }

    @Test("existence")
    func existence() throws {
        #expect(try LabelSelector.parse("tier").requirements == [requirement("tier", .exists)])
        #expect(try LabelSelector.parse("!legacy").requirements == [requirement("legacy", .doesNotExist)])
        #expect(try LabelSelector.parse("! legacy").requirements == [requirement("legacy", .doesNotExist)])
    }

    @Test("several requirements, with spaces anywhere between tokens")
    func several() throws {
        let selector = try LabelSelector.parse("  app = web , tier!=db,env in ( a , b ),!legacy , x  ")
        #expect(selector.requirements == [
            requirement("app", .equals, ["web"]), requirement("tier", .notEquals, ["db"]),
            requirement("env", .in, ["a", "b"]), requirement("legacy", .doesNotExist), requirement("x", .exists),
        ])
    }

    @Test("qualified keys and values with dots, dashes and underscores")
    func qualifiedKeys() throws {
        let selector = try LabelSelector.parse("app.kubernetes.io/name=my-app_1.0,batch.kubernetes.io/controller-uid")
        #expect(selector.requirements == [
            requirement("app.kubernetes.io/name", .equals, ["my-app_1.0"]),
            requirement("batch.kubernetes.io/controller-uid", .exists),
        ])
    }

    @Test("malformed selectors are 400 Bad Request", arguments: [
        "app=web,", ",app", "app in prod", "app in (a", "app in (a b)", "app !x", "app notanop (a)",
        "=web", "!", "app=a/b", "app=(x)",
    ])
    func malformed(text: String) {
        let error = #expect(throws: APIError.self) { _ = try LabelSelector.parse(text) }
        #expect(error?.code == 400)
        #expect(error?.reason == "BadRequest")
        #expect(error?.message.hasPrefix("unable to parse requirement: ") == true)
    }

    @Test("description writes the selector back")
    func description() throws {
        let text = "app=web,tier!=db,env in (a,b),env notin (c),x,!y"
        #expect(try LabelSelector.parse(text).description == text)
        #expect(try LabelSelector.parse(try LabelSelector.parse(text).description) == LabelSelector.parse(text))
    }

    @Test("an unexpected token is named whole, as Kubernetes' lexer names it")
    func unexpectedTokenMessage() {
        let error = #expect(throws: APIError.self) { _ = try LabelSelector.parse("app=web tier") }
        #expect(error?.message.hasSuffix("found 'tier', expected: ',' or 'end of string'") == true)
    }
}

@Suite("LabelSelector matching")
struct LabelSelectorMatchTests {
    static let labels = ["app": "web", "tier": "frontend", "env": "prod"]

    @Test("matches", arguments: [
        ("app=web", true), ("app=api", false), ("app==web", true), ("missing=x", false),
        ("app!=api", true), ("app!=web", false), ("missing!=x", true),
        ("env in (prod,staging)", true), ("env in (dev)", false), ("missing in (x)", false),
        ("env notin (dev)", true), ("env notin (prod)", false), ("missing notin (x)", true),
        ("app", true), ("missing", false), ("!missing", true), ("!app", false),
        ("app=web,tier=frontend", true), ("app=web,tier=backend", false), ("app=web,!env", false),
    ])
    func matching(text: String, expected: Bool) throws {
        #expect(try LabelSelector.parse(text).matches(Self.labels) == expected)
    }

    @Test("an empty value matches an empty label, not a missing one")
    func emptyValue() throws {
        let selector = try LabelSelector.parse("flag=")
        #expect(selector.matches(["flag": ""]))
        #expect(!selector.matches([:]))
    }

    @Test("everything and nothing")
    func everythingAndNothing() {
        #expect(LabelSelector.everything.matches([:]))
        #expect(LabelSelector.everything.isEmpty)
        #expect(!LabelSelector.nothing.matches([:]))
        #expect(!LabelSelector.nothing.matches(Self.labels))
        #expect(!LabelSelector.nothing.isEmpty)
    }
}

@Suite("LabelSelector.from (metav1.LabelSelector)")
struct LabelSelectorFromTests {
    @Test("a missing selector selects nothing")
    func null() throws {
        let selector = try LabelSelector.from(.null)
        #expect(!selector.matches([:]))
        #expect(!selector.matches(["app": "web"]))
    }

    @Test("an empty selector selects everything")
    func empty() throws {
        let selector = try LabelSelector.from(.emptyObject)
        #expect(selector.matches([:]))
        #expect(selector.matches(["app": "web"]))
        #expect(try LabelSelector.from(["matchLabels": [:], "matchExpressions": []]).matches(["a": "b"]))
    }

    @Test("matchLabels are equality requirements, in key order")
    func matchLabels() throws {
        let selector = try LabelSelector.from(["matchLabels": ["tier": "frontend", "app": "web"]])
        #expect(selector.requirements == [requirement("app", .equals, ["web"]), requirement("tier", .equals, ["frontend"])])
        #expect(selector.matches(["app": "web", "tier": "frontend", "extra": "x"]))
        #expect(!selector.matches(["app": "web"]))
    }

    @Test("matchExpressions with every operator")
    func matchExpressions() throws {
        let selector = try LabelSelector.from([
            "matchExpressions": [
                ["key": "env", "operator": "In", "values": ["prod", "staging"]],
                ["key": "track", "operator": "NotIn", "values": ["canary"]],
                ["key": "app", "operator": "Exists"],
                ["key": "legacy", "operator": "DoesNotExist"],
            ],
        ])
        #expect(selector.requirements == [
            requirement("env", .in, ["prod", "staging"]), requirement("track", .notIn, ["canary"]),
            requirement("app", .exists), requirement("legacy", .doesNotExist),
        ])
        #expect(selector.matches(["env": "prod", "app": "x"]))
        #expect(selector.matches(["env": "staging", "app": "x", "track": "stable"]))
        #expect(!selector.matches(["env": "prod", "app": "x", "track": "canary"]))
        #expect(!selector.matches(["env": "dev", "app": "x"]))
        #expect(!selector.matches(["env": "prod"]))
        #expect(!selector.matches(["env": "prod", "app": "x", "legacy": "true"]))
    }

    @Test("matchLabels and matchExpressions combine with AND")
    func combined() throws {
        let selector = try LabelSelector.from([
            "matchLabels": ["app": "web"],
            "matchExpressions": [["key": "env", "operator": "In", "values": ["prod"]]],
        ])
        #expect(selector.matches(["app": "web", "env": "prod"]))
        #expect(!selector.matches(["app": "web", "env": "dev"]))
        #expect(!selector.matches(["app": "api", "env": "prod"]))
    }

    @Test("bad expressions are 400")
    func badExpressions() {
        #expect(throws: APIError.badRequest(#""Near" is not a valid label selector operator"#)) {
            _ = try LabelSelector.from(["matchExpressions": [["key": "a", "operator": "Near", "values": ["x"]]]])
        }
        #expect(throws: APIError.self) {
            _ = try LabelSelector.from(["matchExpressions": [["operator": "Exists"]]])
        }
    }
}
