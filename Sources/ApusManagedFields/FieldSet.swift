import ApusMachinery

/// A set of paths into an object, stored as a tree: `members` are the paths that end at this level,
/// `children` the subtrees below it. A path can be both a member and have children (a list item
/// owned as a whole whose fields are owned too), which FieldsV1 writes as `".": {}`.
public struct FieldSet: Hashable, Sendable {
    public private(set) var members: Set<PathElement> = []
    public private(set) var children: [PathElement: FieldSet] = [:]

    public init() {}

    public init(paths: [[PathElement]]) {
        for path in paths { insert(path) }
    }

    public var isEmpty: Bool { members.isEmpty && children.isEmpty }

    public mutating func insert(_ path: [PathElement]) {
        insert(path[...])
    }

    private mutating func insert(_ path: ArraySlice<PathElement>) {
        guard let first = path.first else { return }
        if path.count == 1 {
            members.insert(first)
        } else {
            children[first, default: FieldSet()].insert(path.dropFirst())
        }
    }

    public func contains(_ path: [PathElement]) -> Bool {
        guard let first = path.first else { return false }
        if path.count == 1 { return members.contains(first) }
        return children[first]?.contains(Array(path.dropFirst())) ?? false
    }

    public func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.members.formUnion(other.members)
        for (element, child) in other.children {
            result.children[element] = result.children[element].map { $0.union(child) } ?? child
        }
        return result
    }

    public func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet()
        result.members = members.subtracting(other.members)
        for (element, child) in children {
            let remaining = other.children[element].map { child.subtracting($0) } ?? child
            if !remaining.isEmpty { result.children[element] = remaining }
        }
        return result
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet()
        result.members = members.intersection(other.members)
        for (element, child) in children {
            guard let otherChild = other.children[element] else { continue }
            let common = child.intersection(otherChild)
            if !common.isEmpty { result.children[element] = common }
        }
        return result
    }

    /// Every path in the set, parents before their children, siblings in a stable order.
    public var paths: [[PathElement]] {
        var out: [[PathElement]] = []
        collect(prefix: [], into: &out)
        return out
    }

    private func collect(prefix: [PathElement], into out: inout [[PathElement]]) {
        let elements = Set(members).union(children.keys).sorted(by: PathElement.precedes)
        for element in elements {
            let path = prefix + [element]
            if members.contains(element) { out.append(path) }
            children[element]?.collect(prefix: path, into: &out)
        }
    }
}

// MARK: - FieldsV1

extension FieldSet {
    /// The FieldsV1 JSON form of the set, as stored in `managedFields[].fieldsV1`.
    public var fieldsV1: JSON {
        var object: JSONObject = [:]
        for element in members where children[element] == nil {
            object[element.fieldsV1Name] = .emptyObject
        }
        for (element, child) in children {
            var node = child.fieldsV1
            if members.contains(element) { node["."] = .emptyObject }
            object[element.fieldsV1Name] = node
        }
        return .object(object)
    }

    /// Reads a FieldsV1 tree; nil when it is malformed.
    public init?(fieldsV1 json: JSON) {
        guard let object = json.object else { return nil }
        for (name, node) in object {
            if name == "." { continue }
            guard let element = PathElement(fieldsV1Name: name), let nodeMembers = node.object else { return nil }
            if nodeMembers.isEmpty || nodeMembers["."] != nil { members.insert(element) }
            if nodeMembers.keys.contains(where: { $0 != "." }) {
                guard let child = FieldSet(fieldsV1: node) else { return nil }
                if !child.isEmpty { children[element] = child }
            }
        }
    }
}
