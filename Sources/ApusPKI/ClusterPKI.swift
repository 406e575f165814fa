import Crypto
import Foundation
import SwiftASN1
import X509

/// The cluster's certificates: a CA, the API server's serving certificate and the admin client
/// certificate. Created on first start in the data dir (keys 0600) and reused afterwards.
public struct ClusterPKI: Sendable {
    public let caCertificatePEM: String
    public let serverCertificatePEM: String
    public let serverKeyPEM: String
    public let adminCertificatePEM: String
    public let adminKeyPEM: String
    public let kubeletClientCertificatePEM: String
    public let kubeletClientKeyPEM: String

    public enum PKIError: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self { case .invalid(let message): return "PKI: \(message)" }
        }
    }

    /// Loads the certificates from `directory`, creating whatever is missing. The serving certificate is
    /// re-issued when its SANs no longer cover `hosts`.
    public static func loadOrCreate(directory: String, hosts: [String]) throws -> ClusterPKI {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let caCertPath = directory + "/ca.crt", caKeyPath = directory + "/ca.key"
        let caKey: P256.Signing.PrivateKey
        let caCert: Certificate
        if let certPEM = try? String(contentsOfFile: caCertPath, encoding: .utf8),
           let keyPEM = try? String(contentsOfFile: caKeyPath, encoding: .utf8) {
            caKey = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
            caCert = try Certificate(pemEncoded: certPEM)
        } else {
            caKey = P256.Signing.PrivateKey()
            caCert = try issueCA(key: caKey)
            try write(caKey.pemRepresentation, to: caKeyPath, mode: 0o600)
            try write(try caCert.serializeAsPEM().pemString, to: caCertPath, mode: 0o644)
        }

        let serverCertPath = directory + "/server.crt", serverKeyPath = directory + "/server.key"
        var serverCertPEM = try? String(contentsOfFile: serverCertPath, encoding: .utf8)
        var serverKeyPEM = try? String(contentsOfFile: serverKeyPath, encoding: .utf8)
        if let pem = serverCertPEM, let cert = try? Certificate(pemEncoded: pem), covers(cert, hosts: hosts), serverKeyPEM != nil {
            // Still valid for every host name and address.
        } else {
            let key = P256.Signing.PrivateKey()
            let cert = try issueLeaf(key: key, commonName: "apus-apiserver", organization: nil, hosts: hosts, server: true,
                                     caKey: caKey, caCert: caCert)
            serverCertPEM = try cert.serializeAsPEM().pemString
            serverKeyPEM = key.pemRepresentation
            try write(serverKeyPEM!, to: serverKeyPath, mode: 0o600)
            try write(serverCertPEM!, to: serverCertPath, mode: 0o644)
        }

        let admin = try loadOrIssueClient(directory: directory, file: "admin", commonName: "system:admin", organization: "system:masters",
                                          caKey: caKey, caCert: caCert)
        // The API server's identity towards kubelets (logs, exec, port-forward), as kubeadm's
        // apiserver-kubelet-client.
        let kubeletClient = try loadOrIssueClient(directory: directory, file: "apiserver-kubelet-client", commonName: "kube-apiserver-kubelet-client",
                                                  organization: "system:masters", caKey: caKey, caCert: caCert)
        return ClusterPKI(caCertificatePEM: try caCert.serializeAsPEM().pemString, serverCertificatePEM: serverCertPEM!,
                          serverKeyPEM: serverKeyPEM!, adminCertificatePEM: admin.certificate, adminKeyPEM: admin.key,
                          kubeletClientCertificatePEM: kubeletClient.certificate, kubeletClientKeyPEM: kubeletClient.key)
    }

    /// A client certificate kept in `<file>.crt` and `<file>.key`, issued on first use.
    static func loadOrIssueClient(directory: String, file: String, commonName: String, organization: String?,
                                  caKey: P256.Signing.PrivateKey, caCert: Certificate) throws -> (certificate: String, key: String) {
        let certPath = directory + "/\(file).crt", keyPath = directory + "/\(file).key"
        if let certificate = try? String(contentsOfFile: certPath, encoding: .utf8), let key = try? String(contentsOfFile: keyPath, encoding: .utf8) {
            return (certificate, key)
        }
        let key = P256.Signing.PrivateKey()
        let cert = try issueLeaf(key: key, commonName: commonName, organization: organization, hosts: [], server: false, caKey: caKey, caCert: caCert)
        let pair = (certificate: try cert.serializeAsPEM().pemString, key: key.pemRepresentation)
        try write(pair.key, to: keyPath, mode: 0o600)
        try write(pair.certificate, to: certPath, mode: 0o644)
        return pair
    }

    static func write(_ text: String, to path: String, mode: Int) throws {
        let fm = FileManager.default
        let temporary = path + ".tmp"
        fm.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
        try fm.moveItem(atPath: temporary, toPath: path)
    }

    static func issueCA(key: P256.Signing.PrivateKey) throws -> Certificate {
        let name = try DistinguishedName { CommonName("apus-ca") }
        let now = Date()
        let privateKey = Certificate.PrivateKey(key)
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: privateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: privateKey)
    }

    static func issueLeaf(key: P256.Signing.PrivateKey, commonName: String, organization: String?, hosts: [String], server: Bool,
                          caKey: P256.Signing.PrivateKey, caCert: Certificate) throws -> Certificate {
        let subject = try DistinguishedName {
            if let organization { OrganizationName(organization) }
            CommonName(commonName)
        }
        let now = Date()
        var names: [GeneralName] = []
        for host in hosts {
            if let bytes = ipv4Bytes(host) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            } else if !host.isEmpty {
                names.append(.dnsName(host))
            }
        }
        let sans = names
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PrivateKey(key).publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: caCert.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([server ? .serverAuth : .clientAuth])
                if !sans.isEmpty { SubjectAlternativeNames(sans) }
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey))
    }

    static func covers(_ cert: Certificate, hosts: [String]) -> Bool {
        guard let sans = try? cert.extensions.subjectAlternativeNames, cert.notValidAfter > Date().addingTimeInterval(86_400) else {
            return false
        }
        for host in hosts where !host.isEmpty {
            if let bytes = ipv4Bytes(host) {
                if !sans.contains(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes)))) { return false }
            } else if !sans.contains(.dnsName(host)) {
                return false
            }
        }
        return true
    }

    static func ipv4Bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// The identity a client certificate carries: user = CN, groups = O (Kubernetes' x509 authenticator).
    public static func identity(fromDER der: [UInt8]) -> (user: String, groups: [String])? {
        guard let cert = try? Certificate(derEncoded: der) else { return nil }
        var user: String?
        var groups: [String] = []
        for rdn in cert.subject {
            for attribute in rdn {
                if attribute.type == .RDNAttributeType.commonName { user = attribute.value.description }
                if attribute.type == .RDNAttributeType.organizationName { groups.append(attribute.value.description) }
            }
        }
        guard let user else { return nil }
        return (user, groups)
    }
}
