import ApusMachinery

/// What one kind does differently: defaults, preparation of writes, validation, field-selector
/// attributes. The generic store calls these and does everything else the same for every kind.
public protocol ResourceStrategy: Sendable {
    /// Whether `metadata.generation` starts at 1 and is bumped on spec changes.
    var tracksGeneration: Bool { get }
    /// Whether `status` is written only through the status subresource.
    var hasStatusSubresource: Bool { get }
    /// Whether PUT of a missing object creates it (Kubernetes' AllowCreateOnUpdate).
    var allowCreateOnUpdate: Bool { get }
    /// Whether `kubectl apply` may send an unconditional update (AllowUnconditionalUpdate).
    var allowUnconditionalUpdate: Bool { get }
    /// Extra field-selector fields beyond metadata.name and metadata.namespace.
    var selectableFields: [String] { get }

    /// Applies write defaults and clears what clients may not set on create.
    func prepareForCreate(_ object: inout JSON, context: WriteContext) async throws(APIError)
    /// Carries over what an update may not change (status on the main resource, for example).
    func prepareForUpdate(_ object: inout JSON, old: JSON, context: WriteContext) async throws(APIError)
    /// Values of the wrong JSON type, which Kubernetes rejects while decoding (400), before validation.
    func decodeError(_ object: JSON) -> APIError?
    func validate(_ object: JSON) -> [FieldError]
    func validateUpdate(_ object: JSON, old: JSON) -> [FieldError]
    /// Field values for field selectors (only those in `selectableFields` are asked for).
    func fieldValue(_ field: String, of object: JSON) -> String?
}

/// What a strategy may need to know about the write in progress.
public struct WriteContext: Sendable {
    public var namespace: String?
    public var now: Double
    public var allocator: ServiceAllocator?
    public var dryRun: Bool
    /// The stored objects, for admission that depends on other objects (a pod's PriorityClass).
    public var cache: WatchCache?

    public init(namespace: String?, now: Double, allocator: ServiceAllocator? = nil, dryRun: Bool = false, cache: WatchCache? = nil) {
        self.namespace = namespace
        self.now = now
        self.allocator = allocator
        self.dryRun = dryRun
        self.cache = cache
    }
}

extension ResourceStrategy {
    public var tracksGeneration: Bool { true }
    public var hasStatusSubresource: Bool { false }
    public var allowCreateOnUpdate: Bool { false }
    public var allowUnconditionalUpdate: Bool { true }
    public var selectableFields: [String] { [] }
    public func prepareForCreate(_ object: inout JSON, context: WriteContext) async throws(APIError) {}
    public func prepareForUpdate(_ object: inout JSON, old: JSON, context: WriteContext) async throws(APIError) {}
    public func decodeError(_ object: JSON) -> APIError? { nil }
    public func validate(_ object: JSON) -> [FieldError] { [] }
    public func validateUpdate(_ object: JSON, old: JSON) -> [FieldError] { [] }
    public func fieldValue(_ field: String, of object: JSON) -> String? { nil }
}

extension ResourceStrategy {
    /// A field value read by dotted path (`spec.nodeName`), rendered as Kubernetes' field sets do.
    public func value(atDottedPath field: String, of object: JSON) -> String? {
        let value = object[path: field.split(separator: ".").map(String.init)]
        switch value {
        case .string(let s): return s
        case .bool(let b): return String(b)
        case .int(let i): return String(i)
        case .null: return ""
        default: return nil
        }
    }
}
