import ApusMachinery

/// The patch formats a PATCH request may carry, named by their media types.
public enum PatchType: String, Sendable, CaseIterable {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategic = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"

    /// Reads a `Content-Type` header value. Parameters (`; charset=utf-8`), surrounding spaces and
    /// letter case are ignored, as media types are compared case-insensitively.
    public init?(contentType: String) {
        self.init(rawValue: MediaType.essence(of: contentType))
    }
}
