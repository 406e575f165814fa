import ApusMachinery

/// The 409 an apply gets when it would change fields other managers own, worded as Kubernetes
/// words it so that `kubectl apply --server-side` can print it and suggest `--force-conflicts`.
enum ApplyConflict {
    static func error(_ conflicts: [(ManagedFieldsEntry, FieldSet)]) -> APIError {
        var causes: [APIError.Cause] = []
        var byManager: [String: [String]] = [:]
        for (entry, fields) in conflicts {
            let manager = describe(entry)
            for path in fields.paths {
                causes.append(APIError.Cause(reason: "FieldManagerConflict", message: "conflict with \(manager)", field: path.displayed))
                byManager[manager, default: []].append(path.displayed)
            }
        }
        let message: String
        if causes.count == 1, let only = byManager.first {
            message = "Apply failed with 1 conflict: conflict with \(only.key): \(only.value[0])"
        } else {
            var lines: [String] = []
            for manager in byManager.keys.sorted() {
                lines.append("conflicts with \(manager):")
                lines += (byManager[manager] ?? []).map { "- " + $0 }
            }
            message = "Apply failed with \(causes.count) conflicts: " + lines.joined(separator: "\n")
        }
        return APIError(code: 409, reason: "Conflict", message: message, details: APIError.Details(causes: causes))
    }

    /// `"kubectl-edit" using apps/v1`, `"kubectl" with subresource "scale" using apps/v1`, or just
    /// `"kubectl"` for an applier.
    static func describe(_ entry: ManagedFieldsEntry) -> String {
        var text = "\"\(entry.manager)\""
        if !entry.subresource.isEmpty { text += " with subresource \"\(entry.subresource)\"" }
        if entry.operation == .update { text += " using \(entry.apiVersion)" }
        return text
    }
}
