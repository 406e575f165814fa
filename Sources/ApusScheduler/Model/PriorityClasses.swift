import ApusMachinery

/// The PriorityClasses the scheduler knows, to resolve a pod's priority when admission did not
/// fill `spec.priority` (by `priorityClassName`, else the global default class, else 0).
struct PriorityClasses: Sendable {
    struct Class: Sendable, Equatable {
        var value: Int32
        var globalDefault: Bool
        var preemptsLowerPriority: Bool
    }

    private(set) var byName: [String: Class] = [:]

    mutating func apply(old: JSON?, new: JSON?) {
        if let old, let name = old["metadata"]["name"].string { byName[name] = nil }
        guard let new, let name = new["metadata"]["name"].string else { return }
        let value = Int32(clamping: new["value"].int ?? 0)
        byName[name] = Class(value: value, globalDefault: new["globalDefault"].bool ?? false,
                             preemptsLowerPriority: (new["preemptionPolicy"].string ?? "PreemptLowerPriority") != "Never")
    }

    /// The global default class (the lowest valued one if several claim it, as admission picks).
    var globalDefault: Class? {
        byName.values.filter(\.globalDefault).min { $0.value < $1.value }
    }

    /// Priority and whether the pod may preempt, from the spec first and the classes second.
    func resolve(spec: JSON) -> (priority: Int32, preempts: Bool) {
        let className = spec["priorityClassName"].string ?? ""
        let fallback = className.isEmpty ? globalDefault : byName[className]
        let priority: Int32 = spec["priority"].int.map { Int32(clamping: $0) } ?? fallback?.value ?? 0
        let preempts: Bool = spec["preemptionPolicy"].string.map { $0 != "Never" } ?? fallback?.preemptsLowerPriority ?? true
        return (priority, preempts)
    }
}
