/// The members of a JSON object: one array of name–value pairs kept sorted by name.
///
/// Informer caches hold every pod, node and replica set of a cluster as `JSON`, so the object form
/// decides most of a control plane's memory. A Swift dictionary costs a hash table per object
/// (about 400 bytes for the handful of members a Kubernetes object usually has); a sorted array
/// costs one allocation of exactly its members. Lookups are binary searches, and the serializer
/// writes members in this order, which is Go's order for map keys, without sorting.
///
/// The API follows `Dictionary`'s where callers need it, so code reads the same either way.
public struct JSONObject: Sendable {
    public typealias Element = (key: String, value: JSON)

    /// Sorted by `key` with `<`, keys unique.
    public private(set) var members: [Element]

    public init() { members = [] }

    /// Members that are already sorted by key and unique, as the parser produces them.
    init(sortedUniqueMembers: [Element]) { members = sortedUniqueMembers }

    public init(_ dictionary: [String: JSON]) {
        members = dictionary.map { (key: $0.key, value: $0.value) }
        members.sort { $0.key < $1.key }
    }

    /// Pairs in any order; a repeated name keeps its last value, as JSON parsers and dictionary
    /// literals do.
    public init<S: Sequence>(lastValueWins pairs: S) where S.Element == (String, JSON) {
        var collected = pairs.map { (key: $0.0, value: $0.1) }
        JSONObject.sortKeepingLast(&collected)
        members = collected
    }

    /// Sorts by key, and of equal keys keeps the one that came last.
    static func sortKeepingLast(_ pairs: inout [Element]) {
        if pairs.count < 2 { return }
        var sortedAndUnique = true
        for i in 1..<pairs.count where !(pairs[i - 1].key < pairs[i].key) {
            sortedAndUnique = false
            break
        }
        if sortedAndUnique { return }
        // Sorting positions keeps it stable, so the last of equal keys is last in its run.
        let order = pairs.indices.sorted { a, b in
            if pairs[a].key < pairs[b].key { return true }
            if pairs[b].key < pairs[a].key { return false }
            return a < b
        }
        var result: [Element] = []
        result.reserveCapacity(pairs.count)
        for position in order {
            let pair = pairs[position]
            if let last = result.last, last.key == pair.key {
                result[result.count - 1] = pair
            } else {
                result.append(pair)
            }
        }
        pairs = result
    }

    /// Where `key` is, or where it would be inserted.
    @inline(__always)
    func search(_ key: String) -> (found: Bool, index: Int) {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = members[middle].key
            if candidate == key { return (true, middle) }
            if candidate < key { low = middle + 1 } else { high = middle }
        }
        return (false, low)
    }

    public func index(forKey key: String) -> Int? {
        let position = search(key)
        return position.found ? position.index : nil
    }

    public subscript(key: String) -> JSON? {
        get {
            let position = search(key)
            // Not a ternary: `JSON` is ExpressibleByNilLiteral, so `found ? value : nil` would give `.null`.
            guard position.found else { return Optional.none }
            return members[position.index].value
        }
        set {
            let position = search(key)
            switch (position.found, newValue) {
            case (true, let value?): members[position.index].value = value
            case (true, nil): members.remove(at: position.index)
            case (false, let value?): members.insert((key: key, value: value), at: position.index)
            case (false, nil): break
            }
        }
    }

    public subscript(key: String, default defaultValue: @autoclosure () -> JSON) -> JSON {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    public var keys: [String] { members.map(\.key) }
    public var values: [JSON] { members.map(\.value) }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        let position = search(key)
        guard position.found else { return nil }
        return members.remove(at: position.index).value
    }

    public mutating func reserveCapacity(_ count: Int) { members.reserveCapacity(count) }

    public func mapValues(_ transform: (JSON) throws -> JSON) rethrows -> JSONObject {
        JSONObject(sortedUniqueMembers: try members.map { (key: $0.key, value: try transform($0.value)) })
    }

    public func compactMapValues(_ transform: (JSON) throws -> JSON?) rethrows -> JSONObject {
        var result: [Element] = []
        for member in members {
            if let value = try transform(member.value) { result.append((key: member.key, value: value)) }
        }
        return JSONObject(sortedUniqueMembers: result)
    }

    /// Values of another type come out as a dictionary, as `Dictionary.mapValues` gives them.
    public func mapValues<T>(_ transform: (JSON) throws -> T) rethrows -> [String: T] {
        Dictionary(uniqueKeysWithValues: try members.map { ($0.key, try transform($0.value)) })
    }

    public func compactMapValues<T>(_ transform: (JSON) throws -> T?) rethrows -> [String: T] {
        var result: [String: T] = [:]
        for member in members {
            if let value = try transform(member.value) { result[member.key] = value }
        }
        return result
    }

    /// The members `isIncluded` keeps, as an object (as `Dictionary.filter` returns a dictionary).
    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> JSONObject {
        JSONObject(sortedUniqueMembers: try members.filter(isIncluded))
    }

    public mutating func merge(_ other: JSONObject, uniquingKeysWith combine: (JSON, JSON) throws -> JSON) rethrows {
        for member in other.members {
            if let existing = self[member.key] {
                self[member.key] = try combine(existing, member.value)
            } else {
                self[member.key] = member.value
            }
        }
    }

    public func merging(_ other: JSONObject, uniquingKeysWith combine: (JSON, JSON) throws -> JSON) rethrows -> JSONObject {
        var result = self
        try result.merge(other, uniquingKeysWith: combine)
        return result
    }

    /// The members as a dictionary, for code that wants one.
    public var dictionary: [String: JSON] {
        Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) })
    }
}

extension JSONObject: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { members.count }
    public subscript(position: Int) -> Element { members[position] }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (left, right) in zip(lhs.members, rhs.members) where left.key != right.key || left.value != right.value {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(lastValueWins: elements)
    }
}
