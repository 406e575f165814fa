import ApusMachinery
import Testing
@testable import ApusValidation

@Suite struct ObjectMetaValidationTests {
    @Test func validMetadata() {
        let meta: JSON = ["name": "web", "namespace": "default", "labels": ["app": "web", "app.kubernetes.io/name": "x"],
                          "annotations": ["Example.com/Note": "anything at all"], "finalizers": ["example.com/cleanup", "kubernetes"]]
        #expect(ObjectMetaValidation.validate(meta, namespaced: true, nameRule: .dns1123Subdomain).isEmpty)
    }

    @Test func badName() {
        let errs = ObjectMetaValidation.validate(["name": "Foo", "namespace": "default"], namespaced: true, nameRule: .dns1123Subdomain)
        #expect(messages(errs) == [
            "metadata.name: Invalid value: \"Foo\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
        #expect(errs.first?.kind == .invalid)
        #expect(errs.first?.field == "metadata.name")
    }

    @Test func missingName() {
        let errs = ObjectMetaValidation.validate(["namespace": "default"], namespaced: true, nameRule: .dns1123Subdomain)
        #expect(messages(errs) == ["metadata.name: Required value: name or generateName is required"])
        let error = APIError.invalid(kind: "Pod", group: "", name: "", errors: errs)
        #expect(error.message == "Pod \"\" is invalid: metadata.name: Required value: name or generateName is required")
        #expect(error.details?.causes.first?.reason == "FieldValueRequired")
    }

    @Test func generateNameStandsInForName() {
        #expect(ObjectMetaValidation.validate(["generateName": "web-", "namespace": "d"], namespaced: true, nameRule: .dns1123Subdomain).isEmpty)
        let errs = ObjectMetaValidation.validate(["generateName": "Web-", "namespace": "d"], namespaced: true, nameRule: .dns1123Subdomain)
        #expect(errs.map(\.field) == ["metadata.generateName"])
    }

    @Test func namespaceRules() {
        #expect(messages(ObjectMetaValidation.validate(["name": "a"], namespaced: true, nameRule: .dns1123Subdomain))
                == ["metadata.namespace: Required value"])
        #expect(messages(ObjectMetaValidation.validate(["name": "a", "namespace": "x"], namespaced: false, nameRule: .dns1123Label))
                == ["metadata.namespace: Forbidden: not allowed on this type"])
        #expect(ObjectMetaValidation.validate(["name": "a", "namespace": "Bad_NS"], namespaced: true, nameRule: .dns1123Subdomain)
                    .map(\.field) == ["metadata.namespace"])
    }

    @Test func nameRulesPerKind() {
        #expect(KindValidation.nameRule(group: "", kind: "Service") == .dns1035Label)
        #expect(KindValidation.nameRule(group: "", kind: "Namespace") == .dns1123Label)
        #expect(KindValidation.nameRule(group: "rbac.authorization.k8s.io", kind: "ClusterRole") == .pathSegment)
        #expect(KindValidation.nameRule(group: "apps", kind: "Deployment") == .dns1123Subdomain)
        let errs = ObjectMetaValidation.validate(["name": "1svc", "namespace": "d"], namespaced: true, nameRule: .dns1035Label)
        #expect(errs.count == 1)
        #expect(ObjectMetaValidation.validate(["name": "system:node-proxier"], namespaced: false, nameRule: .pathSegment).isEmpty)
    }

    @Test func badLabels() {
        let meta: JSON = ["name": "a", "namespace": "d", "labels": ["app": "bad value", "bad key!": "ok"]]
        let errs = ObjectMetaValidation.validate(meta, namespaced: true, nameRule: .dns1123Subdomain)
        #expect(messages(errs) == [
            "metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            "metadata.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ])
    }

    @Test func annotationSize() {
        let big = String(repeating: "x", count: 256 * 1024)
        let errs = ObjectMetaValidation.validate(["name": "a", "namespace": "d", "annotations": ["k": .string(big)]],
                                                 namespaced: true, nameRule: .dns1123Subdomain)
        #expect(messages(errs) == ["metadata.annotations: Too long: must have at most 262144 bytes"])
    }

    @Test func ownerReferencesAndFinalizers() {
        let meta: JSON = [
            "name": "a", "namespace": "d",
            "ownerReferences": [["apiVersion": "apps/", "kind": "ReplicaSet", "name": "", "uid": ""]],
            "finalizers": ["cleanup", "orphan", "foregroundDeletion"],
        ]
        #expect(messages(ObjectMetaValidation.validate(meta, namespaced: true, nameRule: .dns1123Subdomain)) == [
            "metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty",
            "metadata.ownerReferences.name: Invalid value: \"\": must not be empty",
            "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty",
            "metadata.finalizers: Invalid value: []string{\"cleanup\", \"orphan\", \"foregroundDeletion\"}: finalizer orphan and foregroundDeletion cannot be both set",
            "metadata.finalizers[0]: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified",
        ])
        let controllers: JSON = ["name": "a", "namespace": "d", "ownerReferences": [
            ["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "r1", "uid": "1", "controller": true],
            ["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "r2", "uid": "2", "controller": true],
        ]]
        let errs = ObjectMetaValidation.validate(controllers, namespaced: true, nameRule: .dns1123Subdomain)
        #expect(errs.count == 1)
        #expect(errs.first?.detail == "Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/r1 and ReplicaSet/r2")
    }

    @Test func updateKeepsIdentity() {
        let old: JSON = ["name": "a", "namespace": "d", "uid": "u1", "generation": 3, "creationTimestamp": "2024-01-01T00:00:00Z"]
        var same = old
        same["uid"] = .null
        same["creationTimestamp"] = .null
        #expect(ObjectMetaValidation.validateUpdate(new: same, old: old).isEmpty)

        var changed = old
        changed["name"] = "b"
        changed["uid"] = "u2"
        changed["generation"] = 2
        #expect(messages(ObjectMetaValidation.validateUpdate(new: changed, old: old)) == [
            "metadata.generation: Invalid value: 2: must not be decremented",
            "metadata.name: Invalid value: \"b\": field is immutable",
            "metadata.uid: Invalid value: \"u2\": field is immutable",
        ])
    }

    @Test func noNewFinalizersWhileDeleting() {
        let old: JSON = ["name": "a", "namespace": "d", "deletionTimestamp": "2024-01-01T00:00:00Z", "finalizers": ["example.com/a"]]
        var new = old
        new["finalizers"] = ["example.com/a", "example.com/b"]
        #expect(messages(ObjectMetaValidation.validateUpdate(new: new, old: old)) == [
            "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/b\"}",
        ])
    }
}
