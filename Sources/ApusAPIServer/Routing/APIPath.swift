/// What a request path names, parsed once: a discovery document, or a resource (collection or
/// object, optionally a subresource) of some group/version.
public enum APIPath: Equatable, Sendable {
    case version
    case health(String)
    case coreGroups                  // /api
    case groups                      // /apis
    case group(String)               // /apis/<g>
    case groupVersion(group: String, version: String)
    case resource(ResourcePath)
    case openAPIv3Root
    case openAPIv3(group: String, version: String)
    case openAPIv2
    case metrics
    case unknown

    public struct ResourcePath: Equatable, Sendable {
        public var group: String
        public var version: String
        public var namespace: String?
        public var resource: String
        public var name: String?
        public var subresource: String?
        /// Legacy `/watch/` prefix form.
        public var legacyWatch: Bool
    }

    public static func parse(_ path: String) -> APIPath {
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let first = segments.first else { return .unknown }
        switch first {
        case "version": return segments.count == 1 ? .version : .unknown
        case "healthz", "livez", "readyz": return .health(first)
        case "metrics": return .metrics
        case "openapi":
            if segments.count == 2, segments[1] == "v2" { return .openAPIv2 }
            if segments.count == 2, segments[1] == "v3" { return .openAPIv3Root }
            if segments.count == 4, segments[1] == "v3", segments[2] == "api" { return .openAPIv3(group: "", version: segments[3]) }
            if segments.count == 5, segments[1] == "v3", segments[2] == "apis" { return .openAPIv3(group: segments[3], version: segments[4]) }
            return .unknown
        case "api":
            if segments.count == 1 { return .coreGroups }
            let version = segments[1]
            if segments.count == 2 { return .groupVersion(group: "", version: version) }
            segments.removeFirst(2)
            return resourcePath(group: "", version: version, rest: segments)
        case "apis":
            if segments.count == 1 { return .groups }
            if segments.count == 2 { return .group(segments[1]) }
            let group = segments[1], version = segments[2]
            if segments.count == 3 { return .groupVersion(group: group, version: version) }
            segments.removeFirst(3)
            return resourcePath(group: group, version: version, rest: segments)
        default: return .unknown
        }
    }

    /// `[watch/][namespaces/<ns>/]<resource>[/<name>[/<subresource>]]`; `namespaces/<name>[/<sub>]`
    /// itself names a namespace object.
    static func resourcePath(group: String, version: String, rest: [String]) -> APIPath {
        var rest = rest
        var legacyWatch = false
        if rest.first == "watch" { legacyWatch = true; rest.removeFirst() }
        guard !rest.isEmpty else { return .unknown }
        var namespace: String?
        // `namespaces/<name>/status|finalize` are subresources of a namespace, not a scope.
        let namespaceSubresource = rest.count == 3 && (rest[2] == "status" || rest[2] == "finalize")
        if rest[0] == "namespaces", rest.count >= 3, !namespaceSubresource {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard rest.count <= 3 else { return .unknown }
        return .resource(ResourcePath(group: group, version: version, namespace: namespace, resource: rest[0],
                                      name: rest.count > 1 ? rest[1] : nil, subresource: rest.count > 2 ? rest[2] : nil,
                                      legacyWatch: legacyWatch))
    }
}
