/// An error the API answers with: it becomes a `metav1.Status` body with the same code, reason and
/// message Kubernetes would write, so kubectl prints it the way users expect.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var reason: String
    public var message: String
    public var details: Details?

    public struct Details: Sendable, Equatable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var uid: String?
        public var causes: [Cause]
        public var retryAfterSeconds: Int?

        public init(name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
                    causes: [Cause] = [], retryAfterSeconds: Int? = nil) {
            self.name = name
            self.group = group
            self.kind = kind
            self.uid = uid
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    public struct Cause: Sendable, Equatable {
        public var reason: String
        public var message: String
        public var field: String?
        public init(reason: String, message: String, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public init(code: Int, reason: String, message: String, details: Details? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { "\(code) \(reason): \(message)" }

    /// Reads a metav1.Status body back (the inverse of `status`); nil when the body is not one.
    public init?(status body: JSON, httpStatus: Int) {
        guard body["kind"].string == "Status" else { return nil }
        var details: Details?
        if case .object = body["details"] {
            let d = body["details"]
            let causes = (d["causes"].array ?? []).map {
                Cause(reason: $0["reason"].string ?? "", message: $0["message"].string ?? "", field: $0["field"].string)
            }
            details = Details(name: d["name"].string, group: d["group"].string, kind: d["kind"].string, uid: d["uid"].string,
                              causes: causes, retryAfterSeconds: d["retryAfterSeconds"].int.map { Int($0) })
        }
        self.init(code: Int(body["code"].int ?? Int64(httpStatus)), reason: body["reason"].string ?? "",
                  message: body["message"].string ?? "", details: details)
    }

    /// The metav1.Status object for this error.
    public var status: JSON {
        var body: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject,
            "status": "Failure", "message": .string(message), "reason": .string(reason), "code": .int(Int64(code)),
        ]
        if let details {
            var d = JSON.emptyObject
            if let name = details.name { d["name"] = .string(name) }
            if let group = details.group { d["group"] = .string(group) }
            if let kind = details.kind { d["kind"] = .string(kind) }
            if let uid = details.uid { d["uid"] = .string(uid) }
            if !details.causes.isEmpty {
                d["causes"] = .array(details.causes.map { cause in
                    var c: JSON = ["reason": .string(cause.reason), "message": .string(cause.message)]
                    if let field = cause.field { c["field"] = .string(field) }
                    return c
                })
            }
            if let retry = details.retryAfterSeconds { d["retryAfterSeconds"] = .int(Int64(retry)) }
            body["details"] = d
        }
        if reason.isEmpty { body["reason"] = .null }
        return body
    }
}

/// The resource an error speaks of, as Kubernetes names it in messages: `pods`, `deployments.apps`.
public struct GroupResource: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var resource: String
    public init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

extension APIError {
    public static func notFound(_ resource: GroupResource, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(resource) \"\(name)\" not found",
                 details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    public static func alreadyExists(_ resource: GroupResource, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(resource) \"\(name)\" already exists",
                 details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    public static func conflict(_ resource: GroupResource, name: String,
                                detail: String = "the object has been modified; please apply your changes to the latest version and try again") -> APIError {
        APIError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(detail)",
                 details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    /// 422 with one cause per field error; `kind` is the object's Kind ("Pod"), as Kubernetes writes it.
    public static func invalid(kind: String, group: String, name: String, errors: [FieldError]) -> APIError {
        let summary = errors.count == 1 ? errors[0].description : "[" + errors.map(\.description).joined(separator: ", ") + "]"
        // The message names the group-qualified kind ("Deployment.apps"); details carry kind and group apart.
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        return APIError(code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(summary)",
                        details: Details(name: name, group: group, kind: kind, causes: errors.map(\.cause)))
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    public static func methodNotSupported(_ resource: GroupResource, verb: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "\(verb) is not supported on resources of kind \"\(resource)\"",
                 details: Details(group: resource.group, kind: resource.resource))
    }

    public static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf; got \(contentType)")
    }

    public static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    public static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Gone", message: message)
    }

    public static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    public static func forbidden(_ resource: GroupResource, name: String, message: String) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: "\(resource) \"\(name)\" is forbidden: \(message)",
                 details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    public static func notFoundPath(_ path: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource",
                 details: Details(causes: [Cause(reason: "UnexpectedServerResponse", message: "404 page not found")]))
    }

    public static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                 details: Details(causes: [Cause(reason: "", message: message)]))
    }

    public static func tooLarge(_ message: String) -> APIError {
        APIError(code: 413, reason: "RequestEntityTooLarge", message: message)
    }

    public static func timeout(_ message: String) -> APIError {
        APIError(code: 504, reason: "Timeout", message: message)
    }

    public static func serviceUnavailable(_ message: String) -> APIError {
        APIError(code: 503, reason: "ServiceUnavailable", message: message)
    }
}
