import ApusMachinery

/// What identifies a list item when lists are ordered: its merge key's value for lists of objects, the
/// item itself for lists of scalars.
struct ItemIdentity {
    let mergeKey: String?

    func of(_ item: JSON) -> JSON {
        guard let mergeKey else { return item }
        return item.object?[mergeKey] ?? .null
    }
}

/// First positions of identities in a list, for constant-time "where was it" questions.
struct Positions {
    private var first: [JSON: Int] = [:]

    init(_ items: [JSON], identity: ItemIdentity) {
        for (position, item) in items.enumerated() {
            let id = identity.of(item)
            if first[id] == nil { first[id] = position }
        }
    }

    func of(_ item: JSON, identity: ItemIdentity) -> Int? {
        first[identity.of(item)]
    }
}

/// The ordering rules of Kubernetes' strategic merge: patch items take the order the patch (or
/// `$setElementOrder`) gives them, server-only items keep their live order, and the two interleave by
/// live position where both are known, patch items first otherwise.
enum ListOrdering {
    static func enforce(order: [JSON], on merged: [JSON], serverOrder: [JSON], identity: ItemIdentity) throws(APIError) -> [JSON] {
        if let key = identity.mergeKey {
            try requireMergeKey(key, in: merged)
            try requireMergeKey(key, in: order)
            try requireMergeKey(key, in: serverOrder)
        }
        let patchPositions = Positions(order, identity: identity)
        let serverPositions = Positions(serverOrder, identity: identity)
        var patchItems: [JSON] = []
        var serverOnly: [JSON] = []
        for item in merged {
            if patchPositions.of(item, identity: identity) != nil {
                patchItems.append(item)
            } else {
                serverOnly.append(item)
            }
        }
        return interleave(serverOnly: sorted(serverOnly, by: serverPositions, identity: identity),
                          patchItems: sorted(patchItems, by: patchPositions, identity: identity),
                          serverPositions: serverPositions, identity: identity)
    }

    /// Kubernetes' stable insertion sort, comparator included: an item whose position is unknown counts
    /// as "less" than anything, which only matters for items that are in neither list.
    static func sorted(_ items: [JSON], by positions: Positions, identity: ItemIdentity) -> [JSON] {
        guard items.count > 1 else { return items }
        var result = items
        var keys = result.map { positions.of($0, identity: identity) }
        for next in 1..<result.count {
            var slot = next
            while slot > 0 {
                let isLess: Bool
                if let this = keys[slot], let previous = keys[slot - 1] { isLess = this < previous } else { isLess = true }
                guard isLess else { break }
                result.swapAt(slot, slot - 1)
                keys.swapAt(slot, slot - 1)
                slot -= 1
            }
        }
        return result
    }

    /// Merges two ordered runs, taking a server-only item first only when both it and the next patch
    /// item have live positions and it came earlier.
    static func interleave(serverOnly: [JSON], patchItems: [JSON], serverPositions: Positions, identity: ItemIdentity) -> [JSON] {
        var result: [JSON] = []
        result.reserveCapacity(serverOnly.count + patchItems.count)
        var serverIndex = 0
        var patchIndex = 0
        while serverIndex < serverOnly.count || patchIndex < patchItems.count {
            guard serverIndex < serverOnly.count else {
                result.append(patchItems[patchIndex])
                patchIndex += 1
                continue
            }
            guard patchIndex < patchItems.count else {
                result.append(serverOnly[serverIndex])
                serverIndex += 1
                continue
            }
            if let server = serverPositions.of(serverOnly[serverIndex], identity: identity),
               let patch = serverPositions.of(patchItems[patchIndex], identity: identity), server < patch {
                result.append(serverOnly[serverIndex])
                serverIndex += 1
            } else {
                result.append(patchItems[patchIndex])
                patchIndex += 1
            }
        }
        return result
    }

    /// Kubernetes' check that a patch list lists its items in the `$setElementOrder` order and names no
    /// item the directive lacks (deletions and other directive items excepted).
    static func checkPatchFollows(_ order: [JSON], _ patchList: [JSON], mergeKey: String?) throws(APIError) {
        guard !order.isEmpty, !patchList.isEmpty else { return }
        var items = patchList
        if mergeKey != nil {
            var kept: [JSON] = []
            for item in patchList {
                guard case .object(let members) = item else { throw .notAnObject(item) }
                if members[Directive.marker] != .string(Directive.delete) { kept.append(item) }
            }
            items = kept
        }
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < items.count, orderIndex < order.count {
            if items[patchIndex].object?[Directive.marker] != nil {
                patchIndex += 1
                continue
            }
            if try sameItem(items[patchIndex], order[orderIndex], mergeKey: mergeKey) { patchIndex += 1 }
            orderIndex += 1
        }
        if patchIndex < items.count {
            throw .patchFailed("The order in patch list:\n\(GoValueText.render(.array(patchList)))\n doesn't match \(Directive.setElementOrder) list:\n\(GoValueText.render(.array(order)))\n")
        }
    }

    private static func sameItem(_ lhs: JSON, _ rhs: JSON, mergeKey: String?) throws(APIError) -> Bool {
        guard let mergeKey else { return lhs == rhs }
        guard case .object(let left) = lhs else { throw .notAnObject(lhs) }
        guard case .object(let right) = rhs else { throw .notAnObject(rhs) }
        guard let leftKey = left[mergeKey] else { throw .noMergeKey(left, mergeKey) }
        guard let rightKey = right[mergeKey] else { throw .noMergeKey(right, mergeKey) }
        return leftKey == rightKey
    }

    static func requireMergeKey(_ key: String, in items: [JSON]) throws(APIError) {
        for item in items {
            guard case .object(let members) = item else { throw .notAnObject(item) }
            guard members[key] != nil else { throw .noMergeKey(members, key) }
        }
    }
}
