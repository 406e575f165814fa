import ApusControllerKit
import ApusMachinery

/// The scheduling-relevant parts of a Node, parsed once per node update. A class so the hot loop
/// reads it through one reference instead of copying its fields.
final class SchedulingNode: Sendable {
    let name: String
    let labels: [String: String]
    let taints: [Taint]
    let unschedulable: Bool
    let allocatable: ResourceAmounts
    /// Image name → size in bytes, for every name each image is known by.
    let images: [String: Int64]
    /// Region and zone, which order nodes so consecutive nodes come from different zones.
    let zoneKey: String
    /// The hostname and zone labels, read on every scored node by topology spreading.
    let hostnameValue: String?
    let zoneValue: String?

    static let hostnameLabel = "kubernetes.io/hostname"
    static let zoneLabel = "topology.kubernetes.io/zone"
    static let regionLabel = "topology.kubernetes.io/region"

    init(_ object: JSON) {
        name = object["metadata"]["name"].string ?? ""
        labels = PodState.labels(object)
        taints = (object["spec"]["taints"].array ?? []).map(Taint.init(json:))
        unschedulable = object["spec"]["unschedulable"].bool ?? false
        allocatable = ResourceAmounts(resourceList: object["status"]["allocatable"])
        var images: [String: Int64] = [:]
        for image in object["status"]["images"].array ?? [] {
            let size = image["sizeBytes"].int ?? 0
            for name in image["names"].array ?? [] {
                if let name = name.string { images[name] = size }
            }
        }
        self.images = images
        let region = labels[Self.regionLabel] ?? labels["failure-domain.beta.kubernetes.io/region"] ?? ""
        let zone = labels[Self.zoneLabel] ?? labels["failure-domain.beta.kubernetes.io/zone"] ?? ""
        zoneKey = region.isEmpty && zone.isEmpty ? "" : region + ":\u{0}:" + zone
        hostnameValue = labels[Self.hostnameLabel]
        zoneValue = labels[Self.zoneLabel]
    }

    /// A label's value; the hostname and zone labels without hashing.
    func label(_ key: String) -> String? {
        if key == Self.hostnameLabel { return hostnameValue }
        if key == Self.zoneLabel { return zoneValue }
        return labels[key]
    }

    /// Whether a change between two versions of a node can make an unschedulable pod schedulable.
    static func changes(from old: SchedulingNode, to new: SchedulingNode) -> Set<ClusterEvent> {
        var events: Set<ClusterEvent> = []
        if old.labels != new.labels { events.insert(.nodeLabelChange) }
        if old.taints != new.taints || old.unschedulable != new.unschedulable { events.insert(.nodeTaintChange) }
        if old.allocatable != new.allocatable { events.insert(.nodeAllocatableChange) }
        if old.images != new.images { events.insert(.nodeImageChange) }
        return events
    }
}
