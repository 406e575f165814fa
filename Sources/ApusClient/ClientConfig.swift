import ApusMachinery
import ApusYAML
import Foundation

/// Where the API server is and how to prove who we are: read from a kubeconfig (the current
/// context), or from the in-cluster settings a pod's service account provides.
public struct ClientConfig: Sendable {
    /// `https://host:port`, without a trailing slash.
    public var server: String
    public var caPEM: [UInt8]?
    public var certificatePEM: [UInt8]?
    public var keyPEM: [UInt8]?
    public var bearerToken: String?
    /// The context's namespace (`default` when it names none).
    public var namespace: String
    /// Sent as User-Agent; the server names writes without a fieldManager after it.
    public var userAgent: String

    public init(server: String, caPEM: [UInt8]? = nil, certificatePEM: [UInt8]? = nil, keyPEM: [UInt8]? = nil,
                bearerToken: String? = nil, namespace: String = "default", userAgent: String = "apus") {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.caPEM = caPEM
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
        self.bearerToken = bearerToken
        self.namespace = namespace
        self.userAgent = userAgent
    }

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case invalid(String)

        public var description: String {
            switch self {
            case .unreadable(let detail), .invalid(let detail): detail
            }
        }
    }

    /// The current context of a kubeconfig file; relative certificate paths are relative to it.
    public static func kubeconfig(path: String, userAgent: String = "apus") throws(LoadError) -> ClientConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("cannot read kubeconfig \(path)") }
        let document: JSON
        do { document = try YAMLDocument.parse(Array(data)) } catch { throw .invalid("kubeconfig \(path): \(error.message)") }
        let directory = (path as NSString).deletingLastPathComponent
        func named(_ list: String, _ name: String?) -> JSON {
            (document[list].array ?? []).first { $0["name"].string == name } ?? .null
        }
        let contextName = document["current-context"].string
        let context = named("contexts", contextName)["context"]
        guard case .object = context else { throw .invalid("kubeconfig \(path): no current context") }
        let cluster = named("clusters", context["cluster"].string)["cluster"]
        let user = named("users", context["user"].string)["user"]
        guard let server = cluster["server"].string else { throw .invalid("kubeconfig \(path): the cluster has no server") }
        func material(_ inline: JSON, _ file: JSON) throws(LoadError) -> [UInt8]? {
            if let text = inline.string {
                guard let decoded = Data(base64Encoded: text) else { throw .invalid("kubeconfig \(path): bad base64 data") }
                return Array(decoded)
            }
            guard let name = file.string else { return nil }
            let full = name.hasPrefix("/") ? name : directory + "/" + name
            guard let contents = FileManager.default.contents(atPath: full) else { throw .unreadable("cannot read \(full)") }
            return Array(contents)
        }
        var token = user["token"].string
        if token == nil, let tokenFile = user["tokenFile"].string {
            token = (try? String(contentsOfFile: tokenFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ClientConfig(server: server,
                            caPEM: try material(cluster["certificate-authority-data"], cluster["certificate-authority"]),
                            certificatePEM: try material(user["client-certificate-data"], user["client-certificate"]),
                            keyPEM: try material(user["client-key-data"], user["client-key"]),
                            bearerToken: token, namespace: context["namespace"].string ?? "default", userAgent: userAgent)
    }

    /// Inside a pod: the `kubernetes` service from the environment, the service account's token,
    /// CA and namespace from their mounted files.
    public static func inCluster(userAgent: String = "apus",
                                 accountDirectory: String = "/var/run/secrets/kubernetes.io/serviceaccount") throws(LoadError) -> ClientConfig {
        let environment = ProcessInfo.processInfo.environment
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"] else {
            throw .unreadable("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set")
        }
        func read(_ name: String) throws(LoadError) -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: accountDirectory + "/" + name) else {
                throw .unreadable("cannot read \(accountDirectory)/\(name)")
            }
            return Array(data)
        }
        let token = String(decoding: try read("token"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let namespace = (try? read("namespace")).map { String(decoding: $0, as: UTF8.self) } ?? "default"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return ClientConfig(server: "https://\(hostPart):\(port)", caPEM: try read("ca.crt"), bearerToken: token,
                            namespace: namespace.trimmingCharacters(in: .whitespacesAndNewlines), userAgent: userAgent)
    }
}
