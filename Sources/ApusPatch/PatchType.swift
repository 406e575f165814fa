/// The patch formats a PATCH request may carry, named by their media types.
public enum PatchType: String, Sendable, CaseIterable {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategic = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"

    /// Reads a `Content-Type` header value. Parameters (`; charset=utf-8`), surrounding spaces and
    /// letter case are ignored, as media types are compared case-insensitively.
    public init?(contentType: String) {
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let trimmed = mediaType.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
        self.init(rawValue: String(trimmed).lowercased())
    }
}
