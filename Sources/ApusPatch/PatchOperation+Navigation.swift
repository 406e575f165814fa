import ApusMachinery

/// Reading and editing the value a JSON pointer names.
extension PatchOperation {
    /// The value a pointer names, or nil when any step is missing.
    static func value(at pointer: JSONPointer, in document: JSON) -> JSON? {
        var current = document
        for token in pointer.tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = JSONPointer.arrayIndex(token), index < items.count else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Runs `body` on the object or array that holds the pointer's last token and writes the changed
    /// container back along the path. Returns nil when a step before the last is missing (or `body` says
    /// the container is not one). Each level is taken out of its parent before it changes, so the edit
    /// does not copy the whole document. On a thrown error the document is left half-taken-apart; callers
    /// work on a scratch copy that is then dropped.
    static func withContainer<Result>(
        of pointer: JSONPointer, in document: inout JSON,
        _ body: (inout JSON, String) throws(APIError) -> Result?
    ) throws(APIError) -> Result? {
        try descend(&document, pointer.tokens[...], body)
    }

    private static func descend<Result>(
        _ value: inout JSON, _ tokens: ArraySlice<String>,
        _ body: (inout JSON, String) throws(APIError) -> Result?
    ) throws(APIError) -> Result? {
        guard let token = tokens.first else { return nil }
        let rest = tokens.dropFirst()
        if rest.isEmpty { return try body(&value, token) }
        switch value {
        case .object(var members):
            value = .null
            guard var child = members.removeValue(forKey: token) else {
                value = .object(members)
                return nil
            }
            let result = try descend(&child, rest, body)
            members[token] = child
            value = .object(members)
            return result
        case .array(var items):
            guard let index = JSONPointer.arrayIndex(token), index < items.count else { return nil }
            value = .null
            var child = items[index]
            items[index] = .null
            let result = try descend(&child, rest, body)
            items[index] = child
            value = .array(items)
            return result
        default:
            return nil
        }
    }
}
