import Foundation
import Testing

/// Controllers inside `apus server`: the controller manager holds its Lease, and the namespace
/// controller empties and finalizes deleted namespaces so `kubectl delete namespace` returns.
@Suite struct ControllerManagerTests {
    @Test func deletingANamespaceDeletesItsContentAndThenTheNamespace() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.ok("create", "namespace", "demo")
        try await apus.ok("-n", "demo", "create", "configmap", "settings", "--from-literal=a=b")
        try await apus.ok("-n", "demo", "create", "deployment", "web", "--image=nginx:1.14.2")
        try await apus.ok("-n", "demo", "create", "secret", "generic", "token", "--from-literal=t=x")

        let deleted = try await apus.ok("delete", "namespace", "demo", "--timeout=60s")
        #expect(deleted.contains("namespace \"demo\" deleted"))
        let gone = try await apus.fails("get", "namespace", "demo")
        #expect(gone.contains("NotFound"))
        #expect(try await apus.ok("get", "configmaps,deployments,secrets", "-A", "-o", "name").split(separator: "\n")
            .allSatisfy { !$0.contains("settings") && !$0.contains("web") && !$0.contains("token") })

        let holder = try await apus.ok("get", "lease", "kube-controller-manager", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}")
        #expect(holder.hasSuffix("_controller-manager"))
    }
}

/// The garbage collector: dependents follow their owners unless orphaned.
@Suite struct GarbageCollectorTests {
    static func dependent(_ name: String, ownerUID: String, block: Bool = false) -> String {
        """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\(name)","ownerReferences":[
          {"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"\(ownerUID)","blockOwnerDeletion":\(block)}]}}
        """
    }

    @Test func dependentsAreCollectedInTheBackgroundAndTheForegroundAndKeptWhenOrphaned() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        for policy in ["background", "foreground", "orphan"] {
            try await apus.ok("create", "configmap", "owner")
            let uid = try await apus.ok("get", "configmap", "owner", "-o", "jsonpath={.metadata.uid}")
            try await apus.ok("create", "-f", "-", stdin: Self.dependent("child-\(policy)", ownerUID: uid, block: true))
            try await apus.ok("delete", "configmap", "owner", "--cascade=\(policy)", "--timeout=60s")
            #expect(try await apus.fails("get", "configmap", "owner").contains("NotFound"))
            if policy == "orphan" {
                try await Task.sleep(for: .seconds(1))
                let owners = try await apus.ok("get", "configmap", "child-orphan", "-o", "jsonpath={.metadata.ownerReferences}")
                #expect(owners.isEmpty, "an orphaned dependent stays, without the reference")
            } else {
                try await apus.eventually("child-\(policy) collected", timeout: 30) {
                    try await apus.kubectl(["get", "configmap", "child-\(policy)"]).stderr.contains("NotFound")
                }
            }
        }
        // A dependent whose owner never existed is collected too.
        try await apus.ok("create", "-f", "-", stdin: Self.dependent("stray", ownerUID: "00000000-0000-0000-0000-000000000000"))
        try await apus.eventually("stray collected", timeout: 30) {
            try await apus.kubectl(["get", "configmap", "stray"]).stderr.contains("NotFound")
        }
    }
}
