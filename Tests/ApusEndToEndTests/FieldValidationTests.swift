import Foundation
import Testing

/// Unknown fields of built-in kinds (kubectl's default `--validate=strict` sends fieldValidation=Strict)
/// and the OpenAPI v3 schemas `kubectl explain` reads.
@Suite struct FieldValidationTests {
    @Test func unknownFieldsAreRefusedOrDroppedWithAWarning() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let manifest = KubectlObjectsTests.manifest(image: "nginx:1.14.2")
            .replacingOccurrences(of: "  replicas: 3\n", with: "  replicas: 3\n  replicass: 3\n")
        let strict = try await apus.fails("apply", "-f", "-", stdin: manifest)
        #expect(strict.contains("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replicass\""),
                "\(strict)")
        let warned = try await apus.kubectl(["apply", "--validate=warn", "-f", "-"], stdin: manifest)
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("Warning: unknown field \"spec.replicass\""), "\(warned.stderr)")
        #expect(try await apus.ok("get", "deployment", "nginx-deployment", "-o", "jsonpath={.spec.replicas}|{.spec.replicass}") == "3|")
    }

    @Test func explainReadsTheServedSchemas() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let spec = try await apus.ok("explain", "pod.spec")
        #expect(spec.contains("containers\t<[]Container>") && spec.contains("restartPolicy\t<string>"), "\(spec)")
        let recursive = try await apus.ok("explain", "deployment.spec", "--recursive")
        #expect(recursive.contains("maxSurge") && recursive.contains("containerPort"))
    }
}
