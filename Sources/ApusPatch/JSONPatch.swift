import ApusMachinery

/// JSON patch (RFC 6902), the format of `kubectl rollout undo` and `application/json-patch+json` requests.
///
/// Failures are answered as kube-apiserver does: a document that is not a list of operation objects is a
/// 400 BadRequest; an operation that cannot be applied is a 422 whose cause carries the reason.
public enum JSONPatch {
    /// kube-apiserver refuses longer patches with 413 (its maxJSONPatchOperations).
    public static let maximumOperations = 10_000

    public static func apply(_ operations: JSON, to target: JSON) throws(APIError) -> JSON {
        let list: [JSON]
        switch operations {
        case .null: return target  // Go decodes `null` as an empty patch
        case .array(let items): list = items
        default:
            throw .badRequest("json: cannot unmarshal \(GoValueText.jsonTypeName(operations)) into Go value of type jsonpatch.Patch")
        }
        for item in list {
            switch item {
            case .object, .null: continue
            default:
                throw .badRequest("json: cannot unmarshal \(GoValueText.jsonTypeName(item)) into Go value of type jsonpatch.Operation")
            }
        }
        guard list.count <= maximumOperations else {
            throw .tooLarge("The allowed maximum operations in a JSON patch is \(maximumOperations), got \(list.count)")
        }
        // The operations work on a copy, so a failure half-way leaves `target` untouched.
        var document = target
        for item in list {
            let operation = try PatchOperation(item.object ?? [:])
            try operation.apply(to: &document)
        }
        return document
    }
}

/// One decoded operation of a JSON patch.
struct PatchOperation {
    enum Kind: String {
        case add, remove, replace, move, copy, test
    }

    let kind: Kind
    let path: JSONPointer
    let from: JSONPointer
    let value: JSON

    init(_ members: JSONObject) throws(APIError) {
        let name = members["op"]?.string ?? "unknown"
        guard let kind = Kind(rawValue: name) else { throw .patchNotApplicable("Unexpected kind: \(name)") }
        self.kind = kind
        guard let pathText = members["path"]?.string else {
            throw .patchNotApplicable("\(name) operation failed to decode path: missing value")
        }
        path = try JSONPointer(pathText)
        switch kind {
        case .move, .copy:
            guard let fromText = members["from"]?.string else {
                throw .patchNotApplicable("\(name) operation failed to decode from: missing value")
            }
            from = try JSONPointer(fromText)
            value = .null
        case .add, .replace, .test:
            guard let given = members["value"] else {
                throw .patchNotApplicable("\(name) operation does not apply: the operation has no value: missing value")
            }
            value = given
            from = path
        case .remove:
            value = .null
            from = path
        }
    }

    func apply(to document: inout JSON) throws(APIError) {
        switch kind {
        case .add:
            try add(value, at: path, in: &document, missing: "add operation does not apply: doc is missing path: \"\(path)\"")
        case .remove:
            _ = try remove(at: path, in: &document)
        case .replace:
            try replace(at: path, in: &document)
        case .move:
            guard let moved = PatchOperation.value(at: from, in: document) else {
                throw .patchNotApplicable("move operation does not apply: doc is missing from path: \(from): missing value")
            }
            guard !path.isStrictlyInside(from) else {
                throw .patchNotApplicable("move operation does not apply: path \(path) is inside from path \(from)")
            }
            guard path != from else { return }
            _ = try remove(at: from, in: &document)
            try add(moved, at: path, in: &document,
                    missing: "move operation does not apply: doc is missing destination path: \(path)")
        case .copy:
            guard let copied = PatchOperation.value(at: from, in: document) else {
                throw .patchNotApplicable("copy operation does not apply: doc is missing from path: \(from): missing value")
            }
            try add(copied, at: path, in: &document,
                    missing: "copy operation does not apply: doc is missing destination path: \(path)")
        case .test:
            guard let actual = PatchOperation.value(at: path, in: document) else {
                throw .patchNotApplicable("test operation does not apply: is missing path: \(path): missing value")
            }
            guard actual.isSemanticallyEqual(to: value) else {
                throw .patchNotApplicable("testing value \(path) failed: test failed")
            }
        }
    }

    // MARK: - The three mutations

    private func add(_ newValue: JSON, at pointer: JSONPointer, in document: inout JSON, missing: String) throws(APIError) {
        guard !pointer.tokens.isEmpty else {
            document = newValue
            return
        }
        let done: Void? = try PatchOperation.withContainer(of: pointer, in: &document) { (container, token) throws(APIError) in
            switch container {
            case .object(var members):
                container = .null
                members[token] = newValue
                container = .object(members)
                return ()
            case .array(var items):
                let position: Int
                if token == "-" {
                    position = items.count
                } else {
                    guard let index = JSONPointer.arrayIndex(token) else {
                        throw .patchNotApplicable("error in add for path: '\(pointer)': value was not a proper array index: '\(token)'")
                    }
                    guard index <= items.count else {
                        throw .patchNotApplicable("error in add for path: '\(pointer)': Unable to access invalid index: \(index): invalid index referenced")
                    }
                    position = index
                }
                container = .null
                items.insert(newValue, at: position)
                container = .array(items)
                return ()
            default:
                return nil
            }
        }
        guard done != nil else { throw .patchNotApplicable("\(missing): missing value") }
    }

    private func remove(at pointer: JSONPointer, in document: inout JSON) throws(APIError) -> JSON {
        let missing = "remove operation does not apply: doc is missing path: \"\(pointer)\": missing value"
        guard !pointer.tokens.isEmpty else { throw .patchNotApplicable(missing) }
        let removed: JSON? = try PatchOperation.withContainer(of: pointer, in: &document) { (container, token) throws(APIError) in
            switch container {
            case .object(var members):
                guard members[token] != nil else {
                    throw .patchNotApplicable("error in remove for path: '\(pointer)': Unable to remove nonexistent key: \(token): missing value")
                }
                container = .null
                let old = members.removeValue(forKey: token)
                container = .object(members)
                return old
            case .array(var items):
                guard let index = JSONPointer.arrayIndex(token), index < items.count else {
                    throw .patchNotApplicable("error in remove for path: '\(pointer)': Unable to access invalid index: \(token): invalid index referenced")
                }
                container = .null
                let old = items.remove(at: index)
                container = .array(items)
                return old
            default:
                return nil
            }
        }
        guard let removed else { throw .patchNotApplicable(missing) }
        return removed
    }

    private func replace(at pointer: JSONPointer, in document: inout JSON) throws(APIError) {
        guard !pointer.tokens.isEmpty else {
            document = value
            return
        }
        let newValue = value
        let done: Void? = try PatchOperation.withContainer(of: pointer, in: &document) { (container, token) throws(APIError) in
            switch container {
            case .object(var members):
                // Strict RFC 6902 rejects replacing an absent member, but `kubectl rollout undo` replaces
                // /metadata/annotations, which a fresh object may lack; the json-patch library kube-apiserver
                // uses sets the member in that case too, so replace behaves like add here.
                container = .null
                members[token] = newValue
                container = .object(members)
                return ()
            case .array(var items):
                guard let index = JSONPointer.arrayIndex(token), index < items.count else {
                    throw .patchNotApplicable("replace operation does not apply: doc is missing key: \(pointer): missing value")
                }
                container = .null
                items[index] = newValue
                container = .array(items)
                return ()
            default:
                return nil
            }
        }
        guard done != nil else {
            throw .patchNotApplicable("replace operation does not apply: doc is missing path: \(pointer): missing value")
        }
    }
}
