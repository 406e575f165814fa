import Foundation
import Testing

/// The real kubectl against a real `apus server --disable-agent`: discovery, reads, and the
/// cluster's bootstrap state.
@Suite(.serialized) struct KubectlBasicsTests {
    @Test func versionDiscoveryAndBootstrap() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }

        let version = try await apus.ok("version")
        #expect(version.contains("Server Version: v1.32"))

        let namespaces = try await apus.ok("get", "namespaces")
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            #expect(namespaces.contains(name), "missing namespace \(name) in \(namespaces)")
        }
        #expect(namespaces.contains("Active"))

        let resources = try await apus.ok("api-resources")
        for shortName in ["po", "deploy", "svc", "cs", "ns", "cm", "rs", "sts", "ds", "cj", "hpa", "pdb", "crd"] {
            #expect(resources.range(of: "\\s\(shortName)(,\\S+)?\\s", options: .regularExpression) != nil, "short name \(shortName) missing")
        }

        let cs = try await apus.ok("get", "componentstatuses")
        #expect(cs.contains("Healthy"))

        let info = try await apus.ok("cluster-info")
        #expect(info.contains("Kubernetes control plane is running at https://127.0.0.1:\(apus.port)"))

        let service = try await apus.ok("get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP} {.spec.ports[0].port}")
        #expect(service == "10.43.0.1 443")
    }

    @Test func unauthenticatedRequestsGet401ButHealthIsOpen() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let anonymous = try await curl(["-k", "-s", "-o", "/dev/null", "-w", "%{http_code}", "https://127.0.0.1:\(apus.port)/api/v1/namespaces"])
        #expect(anonymous == "401")
        let health = try await curl(["-k", "-s", "https://127.0.0.1:\(apus.port)/healthz"])
        #expect(health == "ok")
        let version = try await curl(["-k", "-s", "https://127.0.0.1:\(apus.port)/version"])
        #expect(version.contains("\"minor\":\"32\""))
        let key = try String(contentsOfFile: apus.dataDir + "/server/tls/server.key", encoding: .utf8)
        #expect(key.contains("PRIVATE KEY"))
        let attributes = try FileManager.default.attributesOfItem(atPath: apus.dataDir + "/server/tls/server.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    func curl(_ arguments: [String]) async throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else {
            throw HarnessError("curl is not installed: apt-get install curl")
        }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try ApusProcess.run("/usr/bin/curl", arguments, stdin: nil, timeout: 20).stdout })
            }
        }
    }
}
