import ApusMachinery

/// EndpointSliceTracker: the generation of every slice this controller wrote, per service, so it
/// can tell its own writes from others' and a cache that has not caught up yet.
actor EndpointSliceTracker {
    /// Generation -1 marks a slice whose deletion is expected.
    private static let deletionExpected: Int64 = -1
    private var generations: [String: [String: Int64]] = [:]

    static func serviceKey(of slice: JSON) -> String? {
        guard let service = slice["metadata"]["labels"][EndpointSliceShapes.serviceNameLabel].string, !service.isEmpty else { return nil }
        return (slice["metadata"]["namespace"].string ?? "") + "/" + service
    }

    private static func uid(_ slice: JSON) -> String { slice["metadata"]["uid"].string ?? "" }
    private static func generation(_ slice: JSON) -> Int64 { slice["metadata"]["generation"].int ?? 0 }

    func update(_ slice: JSON) {
        guard let key = Self.serviceKey(of: slice) else { return }
        generations[key, default: [:]][Self.uid(slice)] = Self.generation(slice)
    }

    func expectDeletion(_ slice: JSON) {
        guard let key = Self.serviceKey(of: slice) else { return }
        generations[key, default: [:]][Self.uid(slice)] = Self.deletionExpected
    }

    /// ShouldSync: a slice change not made by this controller (unknown slice or newer generation).
    func shouldSync(_ slice: JSON) -> Bool {
        guard let key = Self.serviceKey(of: slice), let known = generations[key]?[Self.uid(slice)] else { return true }
        return Self.generation(slice) > known
    }

    func has(_ slice: JSON) -> Bool {
        guard let key = Self.serviceKey(of: slice) else { return false }
        return generations[key]?[Self.uid(slice)] != nil
    }

    /// HandleDeletion: forgets the slice; true when this controller deleted it.
    func handleDeletion(_ slice: JSON) -> Bool {
        guard let key = Self.serviceKey(of: slice), let known = generations[key]?.removeValue(forKey: Self.uid(slice)) else { return true }
        return known == Self.deletionExpected
    }

    /// StaleSlices: the cache lacks a slice this controller wrote, holds an older generation of one,
    /// or still holds one it deleted.
    func isStale(serviceKey: String, slices: [JSON]) -> Bool {
        guard let known = generations[serviceKey] else { return false }
        var seen: Set<String> = []
        for slice in slices {
            let uid = Self.uid(slice)
            seen.insert(uid)
            if let generation = known[uid], generation == Self.deletionExpected || generation > Self.generation(slice) { return true }
        }
        return known.contains { $0.value != Self.deletionExpected && !seen.contains($0.key) }
    }

    func forget(serviceKey: String) { generations[serviceKey] = nil }
}
