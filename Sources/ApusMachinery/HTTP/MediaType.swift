/// Media types as HTTP compares them.
public enum MediaType {
    /// The type of a `Content-Type` value without parameters, spaces or letter case:
    /// "Application/JSON; charset=utf-8" -> "application/json"; an empty header gives "".
    public static func essence(of header: String) -> String {
        let type = header.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(type.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()).lowercased()
    }
}
