import Foundation
import Testing

/// `kubectl apply --server-side`: field ownership, conflicts with other managers, `--force-conflicts`,
/// and removal of fields an applier stops applying.
@Suite struct ServerSideApplyTests {
    static func withLabel(_ manifest: String, _ label: String) -> String {
        manifest.replacingOccurrences(of: "  labels:\n    app: nginx\n", with: "  labels:\n    app: nginx\n    \(label)\n")
    }

    @Test func createsUpdatesAndRecordsTheApplier() async throws {
        // No controllers: the deployment controller's status writes would change the
        // resourceVersion this test compares.
        let apus = try await ApusProcess(serverArguments: ["--controllers=-*", "--disable-scheduler"])
        defer { apus.stop() }
        let manifest = KubectlObjectsTests.manifest(image: "nginx:1.14.2")
        #expect(try await apus.ok("apply", "--server-side", "-f", "-", stdin: manifest).contains("serverside-applied"))
        let changed = KubectlObjectsTests.manifest(image: "nginx:1.16.1")
        #expect(try await apus.ok("apply", "--server-side", "-f", "-", stdin: changed).contains("serverside-applied"))
        let state = try await apus.ok("get", "deployment", "nginx-deployment", "-o",
                                      "jsonpath={.spec.template.spec.containers[0].image} {.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}")
        #expect(state == "nginx:1.16.1 kubectl Apply")
        let version = try await apus.ok("get", "deployment", "nginx-deployment", "-o", "jsonpath={.metadata.resourceVersion}")
        try await apus.ok("apply", "--server-side", "-f", "-", stdin: changed)
        #expect(try await apus.ok("get", "deployment", "nginx-deployment", "-o", "jsonpath={.metadata.resourceVersion}") == version,
                "applying the same configuration again writes nothing")
        let owned = try await apus.ok("get", "deployment", "nginx-deployment", "-o", "yaml", "--show-managed-fields")
        #expect(owned.contains("k:{\"name\":\"nginx\"}:") && owned.contains("f:image: {}") && owned.contains("f:replicas: {}"))
    }

    @Test func conflictsWithAnotherManagerUntilForced() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let manifest = KubectlObjectsTests.manifest(image: "nginx:1.14.2")
        try await apus.ok("apply", "--server-side", "-f", "-", stdin: manifest)
        try await apus.ok("scale", "deployment", "nginx-deployment", "--replicas=5")

        let conflict = try await apus.fails("apply", "--server-side", "-f", "-", stdin: manifest)
        #expect(conflict.contains("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas"),
                "\(conflict)")
        #expect(conflict.contains("--force-conflicts"))
        #expect(try await apus.ok("get", "deployment", "nginx-deployment", "-o", "jsonpath={.spec.replicas}") == "5")

        // The same value as the other manager's is shared ownership, not a conflict.
        let matching = manifest.replacingOccurrences(of: "replicas: 3", with: "replicas: 5")
        try await apus.ok("apply", "--server-side", "-f", "-", stdin: matching)

        try await apus.ok("apply", "--server-side", "--force-conflicts", "-f", "-", stdin: manifest)
        let after = try await apus.ok("get", "deployment", "nginx-deployment", "-o",
                                      "jsonpath={.spec.replicas} {range .metadata.managedFields[*]}{.manager}/{.operation}/{.subresource};{end}")
        // The controllers' own entries (status, revision annotation) are theirs; of kubectl's, only the apply is left.
        let kubectlEntries = after.split(separator: ";").filter { $0.contains("kubectl") }.joined(separator: ";")
        #expect(kubectlEntries == "3 kubectl/Apply/", "the scale entry lost its only field: \(after)")

        let editConflict = try await apus.fails("apply", "--server-side", "--field-manager=ci", "-f", "-",
                                                stdin: manifest.replacingOccurrences(of: "replicas: 3", with: "replicas: 2"))
        #expect(editConflict.contains("conflict with \"kubectl\": .spec.replicas"), "\(editConflict)")
    }

    @Test func fieldsNoLongerAppliedAreRemoved() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let manifest = KubectlObjectsTests.manifest(image: "nginx:1.14.2")
        try await apus.ok("apply", "--server-side", "-f", "-", stdin: Self.withLabel(manifest, "tier: web"))
        #expect(try await apus.ok("get", "deployment", "nginx-deployment", "-o", "jsonpath={.metadata.labels}") == "{\"app\":\"nginx\",\"tier\":\"web\"}")
        try await apus.ok("label", "deployment", "nginx-deployment", "owner=ops")
        try await apus.ok("apply", "--server-side", "-f", "-", stdin: manifest)
        #expect(try await apus.ok("get", "deployment", "nginx-deployment", "-o", "jsonpath={.metadata.labels}") == "{\"app\":\"nginx\",\"owner\":\"ops\"}",
                "the applier's dropped label goes; the label another manager set stays")
    }

    @Test func applyOptionsAreChecked() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let noManager = try await apus.fails("patch", "configmap", "x", "--type=merge", "-p", "{}", "--field-manager=")
        #expect(noManager.contains("NotFound"), "a merge patch needs no manager: \(noManager)")
        let raw = try await apus.fails("apply", "--server-side", "--field-manager=", "-f", "-",
                                       stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
        #expect(raw.contains("fieldManager: Required value: is required for apply patch") || raw.contains("field-manager"), "\(raw)")
    }

    @Test func movingFromClientSideApplyKeepsTheObjectWhole() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let manifest = KubectlObjectsTests.manifest(image: "nginx:1.14.2")
        try await apus.ok("apply", "-f", "-", stdin: manifest)
        // kubectl moves the client-side applier's fields to its own entry, then applies again.
        let moved = try await apus.kubectl(["apply", "--server-side", "--force-conflicts", "-f", "-"], stdin: manifest)
        #expect(moved.status == 0)
        #expect(!moved.stderr.contains("failed to re-apply"), "\(moved.stderr)")
        let state = try await apus.ok("get", "deployment", "nginx-deployment", "-o",
                                      "jsonpath={.spec.template.metadata.labels.app} {.spec.template.spec.containers[0].name} {.metadata.managedFields[*].manager}")
        #expect(state.hasPrefix("nginx nginx kubectl"), "\(state)")
        #expect(!state.contains("kubectl-client-side-apply"), "the client-side applier's entry was moved: \(state)")
    }
}
