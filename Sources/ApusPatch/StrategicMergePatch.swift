import ApusMachinery

/// Strategic merge patch, the format `kubectl apply`, `kubectl set image` and `kubectl cordon` send
/// (`application/strategic-merge-patch+json`). It is a JSON merge patch in which lists merge according
/// to the object's `PatchSchema`, steered by `$`-directives:
///
/// - `null` deletes a member;
/// - `{"$patch": "replace"}` / `{"$patch": "delete"}` in a map replace it with the rest of the patch map /
///   empty it; a `{"$patch": "replace"}` item makes a merging list take the patch items only, and
///   `{"$patch": "delete", "<key>": v}` removes the items whose merge key is `v`;
/// - `"$retainKeys": [...]` drops the original's members not listed;
/// - `"$setElementOrder/<list>": [...]` puts the patched items in the given order, keeping items only
///   the server knows about where they were;
/// - `"$deleteFromPrimitiveList/<list>": [...]` removes those values from a merging list of scalars.
///
/// Semantics, output order and error classes follow Kubernetes' strategicpatch package. Where it would
/// store patch fragments raw (a member the original lacks, a list item it appends), Apus resolves the
/// fragment first: Kubernetes drops stray directives when it decodes into typed objects, but Apus stores
/// JSON, so directives and `null`s must not reach storage.
///
/// Errors: a patch that is not an object, or a malformed `$retainKeys`, `$setElementOrder/…` or
/// `$deleteFromPrimitiveList/…`, is a 400; lists of lists are a 422; anything else (a list item without
/// its merge key, an unknown `$patch` value, items out of `$setElementOrder` order) is the 500 with
/// Kubernetes' raw message that kube-apiserver answers, since it passes those errors through unclassified.
public enum StrategicMergePatch {
    public static func apply(_ patch: JSON, to original: JSON, schema: PatchSchema) throws(APIError) -> JSON {
        let patchMembers: JSONObject
        switch patch {
        case .null: return original
        case .object(let members): patchMembers = members
        default:
            throw .badRequest("json: cannot unmarshal \(GoValueText.jsonTypeName(patch)) into Go value of type map[string]interface {}")
        }
        let merger = StrategicMerger(schema: schema)
        return .object(try merger.mergeObject(original.object ?? [:], patchMembers, path: []))
    }
}

/// The directive spellings of strategic merge patch.
enum Directive {
    static let marker = "$patch"
    static let replace = "replace"
    static let delete = "delete"
    static let merge = "merge"
    static let retainKeys = "$retainKeys"
    static let setElementOrder = "$setElementOrder"
    static let deleteFromPrimitiveList = "$deleteFromPrimitiveList"

    /// The list a `$setElementOrder/<list>` or `$deleteFromPrimitiveList/<list>` member speaks of.
    static func listName(in key: String, prefix: String, malformed: APIError) throws(APIError) -> String {
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == prefix else { throw malformed }
        return String(parts[1])
    }
}

/// Applies one strategic merge patch; `path` arguments are member names from the object root, array
/// levels skipped, as `PatchSchema` expects.
struct StrategicMerger {
    let schema: PatchSchema

    func mergeObject(_ original: JSONObject, _ patch: JSONObject, path: [String]) throws(APIError) -> JSONObject {
        if let directive = patch[Directive.marker] {
            switch directive {
            case .string(Directive.replace):
                var replacement = patch
                replacement.removeValue(forKey: Directive.marker)
                return try mergeObject([:], replacement, path: path)
            case .string(Directive.delete):
                return [:]
            default:
                // Kubernetes accepts only replace and delete on maps; even "merge" is refused.
                throw .patchFailed("unknown patch type: \(GoValueText.render(directive)) in map: \(GoValueText.render(.object(patch)))")
            }
        }

        var result = original
        var remaining = patch
        try applyRetainKeys(to: &result, from: &remaining)
        try applySetElementOrders(to: &result, from: &remaining, path: path)

        // Kubernetes walks a Go map here, in no fixed order; deletions from primitive lists go last so a
        // patch that both merges into and deletes from one list behaves the same every time.
        let keys = remaining.keys.sorted { lhs, rhs in
            let lhsDeletes = lhs.hasPrefix(Directive.deleteFromPrimitiveList)
            let rhsDeletes = rhs.hasPrefix(Directive.deleteFromPrimitiveList)
            return lhsDeletes == rhsDeletes ? lhs < rhs : !lhsDeletes
        }
        for key in keys {
            guard let patchValue = remaining[key] else { continue }
            try mergeMember(key, patchValue, into: &result, path: path)
        }
        return result
    }

    private func mergeMember(_ key: String, _ patchValue: JSON, into result: inout JSONObject, path: [String]) throws(APIError) {
        var name = key
        var deletesFromList = false
        if key.hasPrefix(Directive.deleteFromPrimitiveList) {
            name = try Directive.listName(in: key, prefix: Directive.deleteFromPrimitiveList, malformed: .badPrimitiveListFormat)
            deletesFromList = true
        }
        if patchValue.isNull {
            result.removeValue(forKey: name)
            return
        }
        let memberPath = path + [name]
        guard let current = result[name] else {
            // Kubernetes would store the deletion list itself as the new list; there is nothing to delete from.
            if !deletesFromList { result[name] = try resolved(patchValue, path: memberPath) }
            return
        }
        switch (current, patchValue) {
        case (.object(let originalMembers), .object(let patchMembers)):
            result[name] = .object(try mergeObject(originalMembers, patchMembers, path: memberPath))
        case (.array(let originalItems), .array(let patchItems)):
            result[name] = .array(try mergeList(originalItems, patchItems, path: memberPath, deleting: deletesFromList).merged)
        default:
            // Scalars, or a value whose type changed: the patch value wins (a deletion list cannot apply).
            if !deletesFromList { result[name] = try resolved(patchValue, path: memberPath) }
        }
    }

    /// What a patch fragment amounts to on its own: directives applied against nothing, `null`s dropped.
    func resolved(_ value: JSON, path: [String]) throws(APIError) -> JSON {
        switch value {
        case .object(let members): return .object(try mergeObject([:], members, path: path))
        case .array(let items): return .array(try mergeList([], items, path: path, deleting: false).merged)
        default: return value
        }
    }

    // MARK: - $retainKeys

    private func applyRetainKeys(to original: inout JSONObject, from patch: inout JSONObject) throws(APIError) {
        guard let directive = patch.removeValue(forKey: Directive.retainKeys) else { return }
        guard case .array(let listed) = directive else { throw .badRetainKeysFormat }
        let retained = Set(listed)
        // Every member the patch sets must be one of the retained keys.
        for (key, value) in patch where !value.isNull
            && !key.hasPrefix(Directive.deleteFromPrimitiveList) && !key.hasPrefix(Directive.setElementOrder)
            && !retained.contains(.string(key))
        {
            throw .badRetainKeysFormat
        }
        original = original.filter { retained.contains(.string($0.key)) }
    }

    // MARK: - $setElementOrder

    /// Merges each list that has a `$setElementOrder/<list>` together with its patch list (removing both
    /// from `patch`), then orders it: patch items as the directive lists them, server-only items where
    /// the live list had them.
    private func applySetElementOrders(to original: inout JSONObject, from patch: inout JSONObject, path: [String]) throws(APIError) {
        for key in patch.keys.sorted() where key.hasPrefix(Directive.setElementOrder) {
            guard let directive = patch.removeValue(forKey: key) else { continue }
            guard case .array(let order) = directive else { throw .notAList(directive) }
            let name = try Directive.listName(in: key, prefix: Directive.setElementOrder, malformed: .badSetElementOrderFormat)
            let listPath = path + [name]
            let mergeKey = schema.mergeKey(at: listPath)

            let liveList = try original[name].map { value throws(APIError) -> [JSON] in
                guard case .array(let items) = value else { throw .notAList(value) }
                return items
            }
            let patchList = try patch[name].map { value throws(APIError) -> [JSON] in
                guard case .array(let items) = value else { throw .notAList(value) }
                return items
            }
            try ListOrdering.checkPatchFollows(order, patchList ?? [], mergeKey: mergeKey)

            let outcome: ListMergeOutcome
            switch (liveList, patchList) {
            case (let live?, nil): outcome = ListMergeOutcome(merged: live, liveView: live)
            case (nil, let added?): outcome = try mergeList([], added, path: listPath, deleting: false)
            case (let live?, let changes?): outcome = try mergeList(live, changes, path: listPath, deleting: false)
            case (nil, nil): continue
            }
            patch.removeValue(forKey: name)

            // Kubernetes cannot type an empty pair of lists and fails there; an empty list needs no order.
            let elements = try ListElements.classify(liveList ?? [], patchList ?? [])
            guard elements != .none else {
                original[name] = .array(outcome.merged)
                continue
            }
            let identity = ItemIdentity(mergeKey: elements == .objects ? mergeKey : nil)
            original[name] = .array(try ListOrdering.enforce(order: order, on: outcome.merged,
                                                             serverOrder: outcome.liveView, identity: identity))
        }
    }
}
