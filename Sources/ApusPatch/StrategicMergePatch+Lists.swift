import ApusMachinery

/// The result of merging one list.
struct ListMergeOutcome {
    var merged: [JSON]
    /// The live list as Kubernetes' caller still sees it after the merge edited the shared Go slice in
    /// place: deletions shift later items left (leaving the old tail behind) and appended items land in
    /// the freed slots. `$setElementOrder` places server-only items by this view, so output order
    /// matches Kubernetes even when a patch both deletes and adds items.
    var liveView: [JSON]
}

/// What a list holds, as far as merging cares.
enum ListElements {
    case none, objects, scalars

    /// Kubernetes requires all items of both lists to share one type and refuses lists of lists.
    static func classify(_ lists: [JSON]...) throws(APIError) -> ListElements {
        var firstTag: String?
        for list in lists {
            for item in list where !item.isNull {
                let tag = GoValueText.goTypeName(item)
                guard let expected = firstTag else {
                    if case .array = item { throw .listOfLists }
                    firstTag = tag
                    continue
                }
                if tag != expected {
                    let all = lists.map { GoValueText.render(.array($0)) }.joined(separator: " ")
                    throw .patchFailed("list element types are not identical: [\(all)]")
                }
            }
        }
        switch firstTag {
        case nil: return .none
        case GoValueText.goTypeName(.emptyObject): return .objects
        default: return .scalars
        }
    }
}

extension StrategicMerger {
    /// Merges a patch list into a live list by the list's strategy. `deleting` marks a
    /// `$deleteFromPrimitiveList` list, whose values are removed instead of added.
    func mergeList(_ original: [JSON], _ patch: [JSON], path: [String], deleting: Bool) throws(APIError) -> ListMergeOutcome {
        guard case .merge(let mergeKey) = schema.listStrategy(at: path) else {
            if deleting {
                // Kubernetes would store the deletion list as the new list; removing the values is the intent.
                return ListMergeOutcome(merged: original.filter { !patch.contains($0) }, liveView: original)
            }
            var replacement: [JSON] = []
            replacement.reserveCapacity(patch.count)
            for item in patch {
                if case .object(let members) = item {
                    replacement.append(.object(try mergeObject([:], members, path: path)))
                } else {
                    replacement.append(item)
                }
            }
            return ListMergeOutcome(merged: replacement, liveView: original)
        }
        if original.isEmpty && patch.isEmpty { return ListMergeOutcome(merged: original, liveView: original) }

        switch try ListElements.classify(original, patch) {
        case .none, .scalars:
            if deleting {
                return ListMergeOutcome(merged: original.filter { !patch.contains($0) }, liveView: original)
            }
            // A set union: patch values in patch order, interleaved with the live-only values.
            var union = original
            for item in patch where !union.contains(item) { union.append(item) }
            var unique: [JSON] = []
            for item in union where !unique.contains(item) { unique.append(item) }
            let merged = try ListOrdering.enforce(order: patch, on: unique, serverOrder: original,
                                                  identity: ItemIdentity(mergeKey: nil))
            return ListMergeOutcome(merged: merged, liveView: original)
        case .objects:
            guard let mergeKey else {
                throw .patchFailed("cannot merge lists without merge key for type map")
            }
            return try mergeObjectList(original, patch, mergeKey: mergeKey, path: path)
        }
    }

    /// Merges lists of objects item by item on `mergeKey`: directive items first (deletions, a replace
    /// marker), then each patch item merges into the live item with the same key or joins the list.
    private func mergeObjectList(_ original: [JSON], _ patch: [JSON], mergeKey: String, path: [String]) throws(APIError) -> ListMergeOutcome {
        var working = original
        var liveView = original
        var replacesAll = false
        var plainItems: [JSONObject] = []

        for item in patch {
            guard case .object(let members) = item else { throw .notAnObject(item) }
            guard let directive = members[Directive.marker] else {
                plainItems.append(members)
                continue
            }
            switch directive {
            case .string(Directive.delete):
                guard let doomed = members[mergeKey] else { throw .noMergeKey(members, mergeKey) }
                while let position = try firstPosition(of: doomed, mergeKey: mergeKey, in: working) {
                    working.remove(at: position)
                    for slot in position..<working.count { liveView[slot] = working[slot] }
                }
            case .string(Directive.replace):
                replacesAll = true  // later directive items are still honoured, as in Kubernetes
            case .string(Directive.merge):
                throw .patchFailed("merging lists cannot yet be specified in the patch")
            default:
                throw .patchFailed("unknown patch type: \(GoValueText.render(directive)) in map: \(GoValueText.render(item))")
            }
        }

        if replacesAll {
            var replacement: [JSON] = []
            for members in plainItems {
                replacement.append(.object(try mergeObject([:], members, path: path)))
            }
            try ListOrdering.requireMergeKey(mergeKey, in: replacement)
            return ListMergeOutcome(merged: replacement, liveView: liveView)
        }

        let afterDeletions = working
        for members in plainItems {
            guard let keyValue = members[mergeKey] else { throw .noMergeKey(members, mergeKey) }
            if let position = try firstPosition(of: keyValue, mergeKey: mergeKey, in: working),
               case .object(let existing) = working[position] {
                working[position] = .object(try mergeObject(existing, members, path: path))
            } else {
                working.append(.object(try mergeObject([:], members, path: path)))
                if working.count <= liveView.count { liveView[working.count - 1] = working[working.count - 1] }
            }
        }
        let ordered = try ListOrdering.enforce(order: plainItems.map { .object($0) }, on: working,
                                               serverOrder: afterDeletions, identity: ItemIdentity(mergeKey: mergeKey))
        return ListMergeOutcome(merged: ordered, liveView: liveView)
    }

    /// Where the first item whose merge key equals `value` sits; every item must be an object.
    private func firstPosition(of value: JSON, mergeKey: String, in items: [JSON]) throws(APIError) -> Int? {
        for (position, item) in items.enumerated() {
            guard case .object(let members) = item else {
                throw .patchFailed("value for key \(position) is not a map.")
            }
            if members[mergeKey] == value { return position }
        }
        return nil
    }
}
