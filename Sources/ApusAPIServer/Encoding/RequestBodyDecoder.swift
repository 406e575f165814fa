import ApusMachinery
import ApusProtobuf
import Foundation
import ApusYAML

/// Turns a request body into a JSON tree, whatever form the client sent: JSON, YAML or Kubernetes
/// protobuf (which kubectl's typed clients send for `kubectl create <kind>`).
enum RequestBodyDecoder {
    static func decode(_ bytes: [UInt8], contentType: String?) throws(APIError) -> JSON {
        let mediaType = MediaType.essence(of: contentType ?? "application/json")
        if bytes.isEmpty { throw APIError.badRequest("the request body is empty") }
        switch mediaType {
        case "application/vnd.kubernetes.protobuf":
            return try KubernetesProtobuf.decode(bytes)
        case "application/yaml", "application/x-yaml", "text/yaml", "application/apply-patch+yaml":
            return try yaml(bytes)
        case "application/json", "application/merge-patch+json", "application/strategic-merge-patch+json",
             "application/json-patch+json", "*/*", "":
            return try json(bytes)
        default:
            throw APIError.unsupportedMediaType(mediaType)
        }
    }

    static func json(_ bytes: [UInt8]) throws(APIError) -> JSON {
        do {
            return try JSON.parse(bytes)
        } catch {
            throw APIError.badRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (\(error.description))")
        }
    }

    static func yaml(_ bytes: [UInt8]) throws(APIError) -> JSON {
        try YAMLDocument.parse(bytes)
    }
}
