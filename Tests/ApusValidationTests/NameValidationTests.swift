import Testing
@testable import ApusValidation

@Suite struct NameValidationTests {
    static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    @Test func subdomains() {
        for good in ["a", "example.com", "a-b.c-d", "0", "123-abc", String(repeating: "a", count: 253)] {
            #expect(NameValidation.isDNS1123Subdomain(good).isEmpty, "\(good)")
        }
        for bad in ["Foo", "-a", "a-", "a..b", ".a", "a.", "a_b", "", "é"] {
            #expect(NameValidation.isDNS1123Subdomain(bad) == [Self.subdomainMessage], "\(bad)")
        }
        #expect(NameValidation.isDNS1123Subdomain(String(repeating: "a", count: 254)) == ["must be no more than 253 characters"])
    }

    @Test func labels() {
        #expect(NameValidation.isDNS1123Label("my-name").isEmpty)
        #expect(NameValidation.isDNS1123Label("My-Name") == [Self.labelMessage])
        #expect(NameValidation.isDNS1123Label("a.b") == ["must not contain dots"])
        #expect(NameValidation.isDNS1123Label(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
    }

    @Test func dns1035Labels() {
        #expect(NameValidation.isDNS1035Label("web-1").isEmpty)
        #expect(NameValidation.isDNS1035Label("1web") == ["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"])
    }

    @Test func qualifiedNames() {
        for good in ["app", "app.kubernetes.io/name", "MyName", "my.name", "123-abc", "a_b"] {
            #expect(NameValidation.isQualifiedName(good).isEmpty, "\(good)")
        }
        let namePart = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        #expect(NameValidation.isQualifiedName("bad key") == [namePart])
        #expect(NameValidation.isQualifiedName("") == ["name part must be non-empty", namePart])
        #expect(NameValidation.isQualifiedName("/a") == ["prefix part must be non-empty"])
        #expect(NameValidation.isQualifiedName("Example.com/a") == ["prefix part " + Self.subdomainMessage])
        #expect(NameValidation.isQualifiedName(String(repeating: "a", count: 64)) == ["name part must be no more than 63 characters"])
        #expect(NameValidation.isQualifiedName("a/b/c") == ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"])
    }

    @Test func labelValues() {
        #expect(NameValidation.isValidLabelValue("").isEmpty)
        #expect(NameValidation.isValidLabelValue("v1.2_3-x").isEmpty)
        #expect(NameValidation.isValidLabelValue("-x") == ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"])
        #expect(NameValidation.isValidLabelValue(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
    }

    @Test func portNamesAndNumbers() {
        #expect(NameValidation.isValidPortName("http").isEmpty)
        #expect(NameValidation.isValidPortName("web-80").isEmpty)
        #expect(NameValidation.isValidPortName("80") == ["must contain at least one letter (a-z)"])
        #expect(NameValidation.isValidPortName("HTTP") == ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"])
        #expect(NameValidation.isValidPortName("a--b") == ["must not contain consecutive hyphens"])
        #expect(NameValidation.isValidPortName("-ab") == ["must not begin or end with a hyphen"])
        #expect(NameValidation.isValidPortName("abcdefghijklmnop") == ["must be no more than 15 characters"])
        #expect(NameValidation.isValidPortNum(80).isEmpty)
        #expect(NameValidation.isValidPortNum(0) == ["must be between 1 and 65535, inclusive"])
        #expect(NameValidation.isValidPortNum(65536) == ["must be between 1 and 65535, inclusive"])
    }

    @Test func configKeysAndEnvNames() {
        #expect(NameValidation.isConfigMapKey("app.properties").isEmpty)
        #expect(NameValidation.isConfigMapKey("a b") == ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"])
        #expect(NameValidation.isConfigMapKey("..x") == ["must not start with '..'"])
        #expect(NameValidation.isConfigMapKey("..") == ["must not be '..'"])
        #expect(NameValidation.isRelaxedEnvVarName("1-FOO.bar").isEmpty)
        #expect(NameValidation.isRelaxedEnvVarName("A=B") == ["a valid environment variable name must consist only of printable ASCII characters other than '='"])
        #expect(NameValidation.isEnvVarName("1A") == ["a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"])
    }

    @Test func pathSegmentsAndRules() {
        #expect(NameValidation.isValidPathSegmentName("system:admin").isEmpty)
        #expect(NameValidation.isValidPathSegmentName("..") == ["may not be '..'"])
        #expect(NameValidation.isValidPathSegmentName("a/b%c") == ["may not contain '/'", "may not contain '%'"])
        #expect(NameRule.dns1123Subdomain.messages(for: "web-", prefix: true).isEmpty)
        #expect(!NameRule.dns1123Subdomain.messages(for: "web-").isEmpty)
        #expect(NameRule.pathSegment.messages(for: "a/", prefix: true) == ["may not contain '/'"])
    }

    @Test func ipAddresses() {
        for good in ["10.0.0.1", "010.001.0.1", "::1", "2001:db8::ffff", "::ffff:10.0.0.1", "fe80::1", "1:2:3:4:5:6:7:8"] {
            #expect(NameValidation.isValidIP(good).isEmpty, "\(good)")
        }
        for bad in ["", "10.0.0", "256.1.1.1", "a.b.c.d", "1:2:3:4:5:6:7:8:9", "1::2::3", "fe80::1%eth0", "10.0.0.1 "] {
            #expect(NameValidation.isValidIP(bad) == ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"], "\(bad)")
        }
        #expect(NameValidation.isValidCIDR("10.0.0.0/8").isEmpty)
        #expect(NameValidation.isValidCIDR("2001:db8::/64").isEmpty)
        #expect(NameValidation.isValidCIDR("10.0.0.0/33") == ["must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"])
        #expect(NameValidation.isValidCIDR("10.0.0.0") == ["must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"])
    }

    @Test func goQuoting() {
        #expect(GoSyntax.quote("a\"b\\c\n\u{1}") == "\"a\\\"b\\\\c\\n\\x01\"")
        #expect(GoSyntax.quote("héllo") == "\"héllo\"")
    }
}
