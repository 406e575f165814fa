import Crypto
import Foundation
import SwiftASN1
import X509

/// A serving certificate that signs itself, as the kubelet makes one when it is given none: the
/// API server does not verify kubelets' certificates unless told a CA for them.
public enum SelfSignedCertificate {
    /// The pair kept in `<directory>/<file>.crt|.key`, made anew when missing, expiring within a day,
    /// or not covering `hosts`.
    public static func loadOrCreate(directory: String, file: String, commonName: String, hosts: [String]) throws -> (certificate: String, key: String) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let certPath = directory + "/\(file).crt", keyPath = directory + "/\(file).key"
        if let certificate = try? String(contentsOfFile: certPath, encoding: .utf8), let key = try? String(contentsOfFile: keyPath, encoding: .utf8),
           let parsed = try? Certificate(pemEncoded: certificate), ClusterPKI.covers(parsed, hosts: hosts) {
            return (certificate, key)
        }
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        var names: [GeneralName] = []
        for host in hosts where !host.isEmpty {
            if let bytes = ClusterPKI.ipv4Bytes(host) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            } else {
                names.append(.dnsName(host))
            }
        }
        let sans = names
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PrivateKey(key).publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                if !sans.isEmpty { SubjectAlternativeNames(sans) }
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        let pair = (certificate: try certificate.serializeAsPEM().pemString, key: key.pemRepresentation)
        try ClusterPKI.write(pair.key, to: keyPath, mode: 0o600)
        try ClusterPKI.write(pair.certificate, to: certPath, mode: 0o644)
        return pair
    }
}
