import ApusMachinery

/// Keeps `metadata.managedFields` for writes to one kind through one endpoint, as Kubernetes'
/// field manager does: an update gives its manager the fields it changed and takes them from
/// everyone else; an apply makes its manager own exactly the fields of its configuration, removes
/// what that manager applied before and no longer applies, and refuses to change fields other
/// managers own unless forced.
public struct FieldManager: Sendable {
    /// Which part of the object the endpoint writes; the rest is not tracked for its writes.
    public enum Scope: Sendable, Equatable {
        /// The main resource; `status` is excluded when the kind has a status subresource.
        case main(statusIsSubresource: Bool)
        /// `status`, `scale` or another subresource, recorded in the entries' `subresource`.
        case subresource(String)
    }

    let semantics: ListSemantics
    let apiVersion: String
    let scope: Scope

    public init(group: String, kind: String, apiVersion: String, scope: Scope) {
        semantics = ListSemantics(group: group, kind: kind)
        self.apiVersion = apiVersion
        self.scope = scope
    }

    var subresource: String {
        if case .subresource(let name) = scope { return name }
        return ""
    }

    // MARK: Update

    /// `new` with its managedFields after `manager` wrote it over `live` (nil on create).
    public func update(live: JSON?, new: JSON, manager: String, now: String) -> JSON {
        var entries = baseEntries(live: live, new: new)
        let me = ManagedFieldsEntry(manager: manager, operation: .update, apiVersion: apiVersion, subresource: subresource,
                                    time: now, fields: FieldSet()).identity
        let comparison = semantics.compare(view(live ?? Self.skeleton), view(new))
        let changed = comparison.changed
        let touched = changed.union(comparison.removed)
        for index in entries.indices where entries[index].identity != me {
            entries[index].fields = entries[index].fields.subtracting(touched)
        }
        if !comparison.isEmpty {
            if let index = entries.firstIndex(where: { $0.identity == me }) {
                entries[index].fields = entries[index].fields.union(changed).subtracting(comparison.removed)
                entries[index].time = now
            } else {
                entries.append(ManagedFieldsEntry(manager: manager, operation: .update, apiVersion: apiVersion,
                                                  subresource: subresource, time: now, fields: changed))
            }
        }
        return Self.storing(entries, in: new)
    }

    /// The entries a write starts from: those the client sent when it sent any (`[{}]` clears them,
    /// as in Kubernetes), else the stored ones.
    func baseEntries(live: JSON?, new: JSON) -> [ManagedFieldsEntry] {
        if let sent = new["metadata"]["managedFields"].array, !sent.isEmpty {
            if sent.count == 1, sent[0] == .emptyObject { return [] }
            return ManagedFieldsEntry.entries(of: new)
        }
        return live.map(ManagedFieldsEntry.entries(of:)) ?? []
    }

    // MARK: Apply

    /// The object after `manager` applied `config` over `live` (nil when the object does not exist
    /// yet). `merge` folds the configuration into the live object (strategic merge by list keys).
    public func apply(live: JSON?, config: JSON, manager: String, force: Bool, now: String,
                      merge: (JSON, JSON) throws(APIError) -> JSON) throws(APIError) -> JSON {
        var entries = live.map(ManagedFieldsEntry.entries(of:)) ?? []
        let liveView = view(live ?? Self.skeleton)
        if live != nil, entries.isEmpty {
            // An object nobody has claimed yet is owned, for this apply, by its previous writers.
            let owned = semantics.fieldSet(of: liveView)
            if !owned.isEmpty {
                entries.append(ManagedFieldsEntry(manager: "before-first-apply", operation: .update, apiVersion: apiVersion,
                                                  subresource: subresource, time: now, fields: owned))
            }
        }
        let me = ManagedFieldsEntry(manager: manager, operation: .apply, apiVersion: apiVersion, subresource: subresource,
                                    time: now, fields: semantics.fieldSet(of: view(config)))
        var merged = try merge(live ?? .emptyObject, config)
        let previous = entries.first { $0.identity == me.identity }
        if let previous {
            let otherAppliers = entries.filter { $0.operation == .apply && $0.identity != me.identity }
                .reduce(FieldSet()) { $0.union($1.fields) }
            let kept = me.fields.union(otherAppliers)
            merged = semantics.removing(previous.fields.subtracting(kept), keeping: kept, from: merged)
        }
        let comparison = semantics.compare(liveView, view(merged))
        let changed = comparison.changed
        var conflicts: [(ManagedFieldsEntry, FieldSet)] = []
        for entry in entries where entry.identity != me.identity {
            let taken = entry.fields.intersection(changed)
            if !taken.isEmpty { conflicts.append((entry, taken)) }
        }
        if !force, !conflicts.isEmpty { throw ApplyConflict.error(conflicts) }
        entries.removeAll { $0.identity == me.identity }
        let touched = changed.union(comparison.removed)
        for index in entries.indices {
            entries[index].fields = entries[index].fields.subtracting(touched)
        }
        var mine = me
        if let previous, previous.fields == me.fields, comparison.isEmpty, previous.apiVersion == apiVersion {
            mine.time = previous.time  // A repeated apply changes nothing, not even the time.
        }
        entries.append(mine)
        return Self.storing(entries, in: merged)
    }

    // MARK: Support

    /// The part of an object this endpoint's writes are tracked for: no identity or server-set
    /// metadata, and only the fields the endpoint may change.
    func view(_ object: JSON) -> JSON {
        var view = object
        view["apiVersion"] = .null
        view["kind"] = .null
        for field in ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                      "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"] {
            view[path: ["metadata", field]] = .null
        }
        switch scope {
        case .main(let statusIsSubresource):
            if statusIsSubresource { view["status"] = .null }
        case .subresource("status"):
            view = .emptyObject
            view["status"] = object["status"]
        case .subresource("scale"):
            view = .emptyObject
            view[path: ["spec", "replicas"]] = object["spec"]["replicas"]
        case .subresource:
            break
        }
        return view
    }

    /// What an object is compared against when it is created: the top-level structs every object
    /// has, so that creating one does not claim `spec` itself.
    static let skeleton: JSON = ["metadata": .emptyObject, "spec": .emptyObject, "status": .emptyObject]

    static func storing(_ entries: [ManagedFieldsEntry], in object: JSON) -> JSON {
        var result = object
        let kept = entries.filter { !$0.fields.isEmpty }
        result[path: ["metadata", "managedFields"]] = kept.isEmpty ? .null : ManagedFieldsEntry.encode(kept)
        return result
    }
}
