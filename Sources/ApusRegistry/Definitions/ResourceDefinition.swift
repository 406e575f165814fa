import ApusMachinery

/// Everything the server needs to know to serve one resource at one group/version: its names, scope,
/// verbs and subresources, and the strategy that holds its behaviour. Discovery, OpenAPI, printing
/// and storage keys all come from these registrations.
public struct ResourceDefinition: Sendable {
    public var group: String
    public var version: String
    /// Plural, lower case: "deployments".
    public var resource: String
    public var kind: String
    public var singular: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    public var verbs: [String]
    public var subresources: [Subresource]
    public var strategy: any ResourceStrategy
    /// The group/resource whose storage this definition shares (the same objects served at another
    /// version share one storage key).
    public var storage: GroupResource
    /// Served from the server's own state rather than the store (componentstatuses).
    public var isVirtual: Bool
    /// A CRD version's additionalPrinterColumns (empty for built-in kinds).
    public var printerColumns: [JSON] = []
    /// Defined by a CustomResourceDefinition (no strategic merge patch, no protobuf).
    public var isCustom = false
    /// Set when the objects are stored at another version than this one serves.
    public var conversion: (any VersionConversion)?

    public enum Subresource: String, Sendable, CaseIterable {
        case status, scale, binding, eviction, log, exec, attach, portforward, proxy
    }

    public init(group: String, version: String, resource: String, kind: String, namespaced: Bool,
                shortNames: [String] = [], categories: [String] = [], verbs: [String] = ResourceDefinition.allVerbs,
                subresources: [Subresource] = [], strategy: any ResourceStrategy, storage: GroupResource? = nil,
                isVirtual: Bool = false) {
        self.group = group
        self.version = version
        self.resource = resource
        self.kind = kind
        self.singular = kind.lowercased()
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.verbs = verbs
        self.subresources = subresources
        self.strategy = strategy
        self.storage = storage ?? GroupResource(group: group, resource: resource)
        self.isVirtual = isVirtual
    }

    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var groupResource: GroupResource { GroupResource(group: group, resource: resource) }
    public var listKind: String { kind + "List" }

    /// The storage key prefix of every object of this resource.
    public var keyPrefix: String { "/registry/\(storage.group.isEmpty ? "core" : storage.group)/\(storage.resource)/" }

    public func key(namespace: String?, name: String) -> String {
        if namespaced, let namespace { return keyPrefix + namespace + "/" + name }
        return keyPrefix + name
    }

    /// The prefix that bounds a list: one namespace, or all of them.
    public func listPrefix(namespace: String?) -> String {
        if namespaced, let namespace, !namespace.isEmpty { return keyPrefix + namespace + "/" }
        return keyPrefix
    }
}
