import Foundation
import Testing

/// CustomResourceDefinitions serve new resources through the same registry.
@Suite struct CustomResourceTests {
    static let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: crontabs.stable.example.com
        spec:
          group: stable.example.com
          scope: Namespaced
          names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
          versions:
          - name: v1
            served: true
            storage: true
            additionalPrinterColumns:
            - {name: Spec, type: string, jsonPath: .spec.cronSpec}
            - {name: Replicas, type: integer, jsonPath: .spec.replicas}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      cronSpec: {type: string}
                      replicas: {type: integer}
        """

    static let crontab = """
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata: {name: nightly}
        spec: {cronSpec: "0 3 * * *", replicas: 2, notInSchema: dropped}
        """

    @Test func customResourcesAreServedValidatedAndPruned() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        #expect(try await apus.ok("apply", "-f", "-", stdin: Self.crd).contains("created"))
        // The catalog follows the stored CRD; discovery picks it up on kubectl's next lookup.
        var table = ""
        for _ in 0..<50 {
            let result = try await apus.kubectl(["apply", "-f", "-"], stdin: Self.crontab)
            if result.status == 0 { table = try await apus.ok("get", "ct"); break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(table.contains("SPEC") && table.contains("REPLICAS"))
        #expect(table.contains("nightly") && table.contains("0 3 * * *") && table.contains("2"))
        let spec = try await apus.ok("get", "crontab", "nightly", "-o", "jsonpath={.spec}")
        #expect(!spec.contains("notInSchema"), "unknown fields are pruned: \(spec)")
        let invalid = try await apus.fails("patch", "ct", "nightly", "--type=merge", "-p", "{\"spec\":{\"replicas\":\"two\"}}")
        #expect(invalid.contains("spec.replicas") && invalid.contains("integer"))
    }
}
