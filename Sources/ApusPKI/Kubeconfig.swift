import Foundation

/// A kubeconfig for the admin user, with the CA and client certificate embedded, as k3s writes it.
public enum Kubeconfig {
    public static func render(server: String, pki: ClusterPKI, clusterName: String = "default") -> String {
        func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: \(b64(pki.caCertificatePEM))
                server: \(server)
              name: \(clusterName)
            contexts:
            - context:
                cluster: \(clusterName)
                user: \(clusterName)
              name: \(clusterName)
            current-context: \(clusterName)
            preferences: {}
            users:
            - name: \(clusterName)
              user:
                client-certificate-data: \(b64(pki.adminCertificatePEM))
                client-key-data: \(b64(pki.adminKeyPEM))

            """
    }

    /// Writes the file atomically with mode 0600 (it holds a private key).
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ClusterPKI.write(text, to: path, mode: 0o600)
    }
}
