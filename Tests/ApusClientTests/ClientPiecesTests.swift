import ApusControllerKit
import ApusMachinery
import Foundation
import Testing
@testable import ApusClient

@Suite struct ClientPiecesTests {
    @Test func watchLinesSplitAcrossChunks() throws {
        var splitter = WatchLineSplitter()
        #expect(splitter.feed(Array(#"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}"#.utf8).prefix(20)).isEmpty)
        let lines = splitter.feed(Array(#"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}"#.utf8).dropFirst(20)
                                  + Array("\n{\"type\":\"BOOKMARK\",\"object\":{}}\n".utf8))
        #expect(lines.count == 2)
        let event = try WatchLineSplitter.event(lines[0])
        #expect(event.kind == .added && event.resourceVersion == "5")
        #expect(try WatchLineSplitter.event(lines[1]).kind == .bookmark)
        #expect(throws: ClientError.self) { try WatchLineSplitter.event(Array("not json".utf8)) }
    }

    @Test func resourcePaths() {
        #expect(Resource.pods.path(namespace: "default", name: "web", subresource: "status") == "/api/v1/namespaces/default/pods/web/status")
        #expect(Resource.nodes.path(namespace: "ignored", name: "n1") == "/api/v1/nodes/n1")
        #expect(Resource.deployments.path() == "/apis/apps/v1/deployments")
        #expect(APIClient.queryString([("labelSelector", "app in (a,b)"), ("watch", "true")]) == "?labelSelector=app%20in%20%28a%2Cb%29&watch=true")
    }

    @Test func kubeconfigCurrentContext() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apus-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "CA".write(to: directory.appendingPathComponent("ca.crt"), atomically: true, encoding: .utf8)
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: other
              cluster: {server: "https://192.0.2.1:6443"}
            - name: apus
              cluster: {server: "https://127.0.0.1:6443/", certificate-authority: ca.crt}
            users:
            - name: admin
              user: {client-certificate-data: \(Data("CERT".utf8).base64EncodedString()), client-key-data: \(Data("KEY".utf8).base64EncodedString())}
            contexts:
            - name: main
              context: {cluster: apus, user: admin, namespace: team}
            current-context: main
            """
        let path = directory.appendingPathComponent("config").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ClientConfig.kubeconfig(path: path)
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.caPEM == Array("CA".utf8))
        #expect(config.certificatePEM == Array("CERT".utf8) && config.keyPEM == Array("KEY".utf8))
        #expect(config.namespace == "team")
        #expect(throws: ClientConfig.LoadError.self) { try ClientConfig.kubeconfig(path: directory.appendingPathComponent("missing").path) }
    }
}
