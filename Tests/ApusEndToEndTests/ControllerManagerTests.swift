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
