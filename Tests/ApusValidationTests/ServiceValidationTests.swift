import ApusMachinery
import Testing
@testable import ApusValidation

@Suite struct ServiceValidationTests {
    func service(_ spec: JSON) -> JSON { ["metadata": ["name": "web", "namespace": "d"], "spec": spec] }

    func validate(_ spec: JSON) -> [String] {
        messages(KindValidation.validate(group: "", kind: "Service", object: service(spec)))
    }

    @Test func validServices() {
        #expect(validate(["selector": ["app": "web"], "ports": [["port": 80, "targetPort": 8080]]]) == [])
        #expect(validate(["type": "NodePort", "ports": [["name": "http", "port": 80, "nodePort": 30080], ["name": "https", "port": 443, "targetPort": "https"]]]) == [])
        #expect(validate(["clusterIP": "None", "selector": ["app": "db"]]) == [])
        #expect(validate(["type": "ExternalName", "externalName": "db.example.com."]) == [])
        #expect(validate(["type": "LoadBalancer", "ports": [["port": 443]], "externalTrafficPolicy": "Local", "healthCheckNodePort": 30000]) == [])
    }

    @Test func portsRequired() {
        #expect(validate(["selector": ["app": "web"]]) == ["spec.ports: Required value"])
        #expect(validate(["type": "ExternalName"]) == ["spec.externalName: Required value"])
    }

    @Test func portRules() {
        #expect(validate(["ports": [["port": 80], ["port": 0, "protocol": "ICMP", "targetPort": "Bad"]]]) == [
            "spec.ports[0].name: Required value",
            "spec.ports[1].name: Required value",
            "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.ports[1].targetPort: Invalid value: \"Bad\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        ])
        #expect(validate(["ports": [["name": "a", "port": 80], ["name": "a", "port": 80]]]) == [
            "spec.ports[1].name: Duplicate value: \"a\"",
            "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}",
        ])
    }

    @Test func typesAndIPs() {
        #expect(validate(["type": "Internal", "ports": [["port": 80]]]) == [
            "spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
        ])
        #expect(validate(["clusterIP": "10.0.0.300", "ports": [["port": 80, "nodePort": 30001]]]) == [
            "spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
        ])
        #expect(validate(["type": "NodePort", "clusterIP": "None", "ports": [["port": 80]]]) == [
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
        ])
        #expect(validate(["externalIPs": ["127.0.0.1"], "ports": [["port": 80]]]) == [
            "spec.externalIPs[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ])
    }

    @Test func clusterIPImmutable() {
        let old = service(["clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"], "ports": [["port": 80]]])
        let new = service(["clusterIP": "10.96.0.11", "ports": [["port": 80]]])
        #expect(messages(KindValidation.validateUpdate(group: "", kind: "Service", new: new, old: old)) == [
            "spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set",
        ])
        let unset = service(["ports": [["port": 81]]])
        #expect(KindValidation.validateUpdate(group: "", kind: "Service", new: unset, old: old).isEmpty)
    }
}

@Suite struct ConfigDataValidationTests {
    @Test func configMaps() {
        let good: JSON = ["data": ["app.properties": "a=b", "KEY_1": "v"], "binaryData": ["blob": "AAEC"]]
        #expect(KindValidation.validate(group: "", kind: "ConfigMap", object: good).isEmpty)
        let bad: JSON = ["data": ["bad key": "x", "dup": "y"], "binaryData": ["dup": "AA=="]]
        #expect(messages(KindValidation.validate(group: "", kind: "ConfigMap", object: bad)) == [
            "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            "data[dup]: Invalid value: \"dup\": duplicate of key present in binaryData",
        ])
        let big: JSON = ["data": ["a": .string(String(repeating: "x", count: 1024 * 1024 + 1))]]
        #expect(messages(KindValidation.validate(group: "", kind: "ConfigMap", object: big)) == [": Too long: must have at most 1048576 bytes"])
    }

    @Test func secrets() {
        #expect(KindValidation.validate(group: "", kind: "Secret", object: ["data": ["password": "c2VjcmV0"]]).isEmpty)
        #expect(messages(KindValidation.validate(group: "", kind: "Secret", object: ["type": "kubernetes.io/tls", "data": ["tls.crt": "AA=="]])) == [
            "data[tls.key]: Required value",
        ])
        #expect(messages(KindValidation.validate(group: "", kind: "Secret", object: ["type": "kubernetes.io/basic-auth"])) == [
            "data[username]: Required value", "data[password]: Required value",
        ])
        #expect(KindValidation.validate(group: "", kind: "Secret", object: [
            "type": "kubernetes.io/dockerconfigjson", "stringData": [".dockerconfigjson": "{\"auths\":{}}"],
        ]).isEmpty)
        #expect(messages(KindValidation.validate(group: "", kind: "Secret", object: ["stringData": ["bad/key": "x"]])).count == 1)
        let big = String(repeating: "QUFB", count: 350_000)
        #expect(messages(KindValidation.validate(group: "", kind: "Secret", object: ["data": ["a": .string(big)]])) == [
            "data: Too long: must have at most 1048576 bytes",
        ])
    }

    @Test func updates() {
        let old: JSON = ["type": "Opaque", "immutable": true, "data": ["a": "YQ=="]]
        var new = old
        new["type"] = "kubernetes.io/tls"
        new["data"] = ["a": "Yg=="]
        new["immutable"] = .null
        #expect(messages(KindValidation.validateUpdate(group: "", kind: "Secret", new: new, old: old)) == [
            "type: Invalid value: \"kubernetes.io/tls\": field is immutable",
            "immutable: Forbidden: field is immutable when `immutable` is set",
            "data: Forbidden: field is immutable when `immutable` is set",
        ])
        let cm: JSON = ["immutable": true, "data": ["a": "1"]]
        #expect(KindValidation.validateUpdate(group: "", kind: "ConfigMap", new: cm, old: cm).isEmpty)
    }

    @Test func base64() {
        #expect(Base64.check("") == .decoded(length: 0))
        #expect(Base64.check("YWJj") == .decoded(length: 3))
        #expect(Base64.check("YWI=") == .decoded(length: 2))
        #expect(Base64.check("YQ==") == .decoded(length: 1))
        #expect(Base64.check("YQ==\n") == .decoded(length: 1))
        #expect(Base64.check("abc") == .illegal(offset: 0))
        #expect(Base64.check("ab!d") == .illegal(offset: 2))
        #expect(Base64.check("Y===") == .illegal(offset: 1))
        #expect(Base64.check("YQ=") == .illegal(offset: 3))
        #expect(Base64.check("YQ==YQ==") == .illegal(offset: 4))
        #expect(ConfigDataValidation.decode("aGVsbG8=") == Array("hello".utf8))
    }
}
