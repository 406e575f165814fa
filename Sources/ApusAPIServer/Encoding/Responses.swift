import ApusMachinery
import HTTPTypes
import Hummingbird
import NIOCore

/// How responses are written: JSON bodies, metav1.Status errors, and the exact content types
/// kubectl checks.
enum Responses {
    static let json = "application/json"
    static let aggregatedDiscovery = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    static let table = "application/json;as=Table;v=v1;g=meta.k8s.io"

    static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, contentType: String = json) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(bytes.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func object(_ value: JSON, status: HTTPResponse.Status = .ok, contentType: String = json) -> Response {
        bytes(value.serialized(), status: status, contentType: contentType)
    }

    static func error(_ error: APIError) -> Response {
        var response = object(error.status, status: HTTPResponse.Status(code: error.code))
        if let retry = error.details?.retryAfterSeconds { response.headers[.retryAfter] = String(retry) }
        return response
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        bytes(Array(text.utf8), status: status, contentType: "text/plain; charset=utf-8")
    }

    /// A list body assembled from already-serialized items, so large lists are not re-encoded.
    static func list(kind: String, apiVersion: String, items: [[UInt8]], resourceVersion: String,
                     continueToken: String?, remainingItemCount: Int64?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(128) { $0 + $1.count + 1 })
        out.append(contentsOf: "{\"apiVersion\":".utf8)
        JSON.string(apiVersion).write(to: &out)
        out.append(contentsOf: ",\"items\":[".utf8)
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: item)
        }
        out.append(contentsOf: "],\"kind\":".utf8)
        JSON.string(kind).write(to: &out)
        var metadata: JSON = ["resourceVersion": .string(resourceVersion)]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        if let remainingItemCount { metadata["remainingItemCount"] = .int(remainingItemCount) }
        out.append(contentsOf: ",\"metadata\":".utf8)
        metadata.write(to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
