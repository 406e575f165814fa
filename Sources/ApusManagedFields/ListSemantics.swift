import ApusMachinery
import ApusPatch

/// How the lists and structs of one kind take part in field ownership. Kubernetes reads this from the
/// `x-kubernetes-list-type`/`x-kubernetes-list-map-keys` and `structType` markers of its schemas;
/// Apus starts from the kind's strategic-merge table (lists merged by a key are associative, lists
/// merged as sets of scalars are sets, every other list is atomic) and adds the lists whose keys
/// have more than one field.
public struct ListSemantics: Sendable {
    public enum ListType: Sendable, Equatable {
        /// Owned and replaced as a whole.
        case atomic
        /// Items are scalars, each owned on its own (`v:`).
        case set
        /// Items are objects identified by `keys` (`k:`); a key field missing from an item takes
        /// its default from `defaults` (a container port without protocol is a TCP port).
        case map(keys: [String], defaults: [String: JSON])
    }

    let patchSchema: PatchSchema
    let multiKeyLists: [[String]: ListType]

    public init(group: String, kind: String) {
        patchSchema = PatchSchema.forKind(group: group, kind: kind)
        multiKeyLists = Self.multiKeyLists(group: group, kind: kind)
    }

    /// `path` lists member names from the root and skips list levels, as PatchSchema paths do.
    public func listType(at path: [String]) -> ListType {
        if let known = multiKeyLists[path] { return known }
        switch patchSchema.listStrategy(at: path) {
        case .replace: return .atomic
        case .merge(key: nil): return .set
        case .merge(key: let key?): return .map(keys: [key], defaults: [:])
        }
    }

    /// Label selectors are atomic structs in Kubernetes: whoever sets one owns all of it. A map is
    /// taken for one when it sits in a selector field and has selector members (a Service's
    /// `selector`, a plain label map, has not).
    public func isAtomicStruct(named name: String?, value: JSON) -> Bool {
        guard let name, Self.selectorFieldNames.contains(name), let members = value.object else { return false }
        return members["matchLabels"] != nil || members["matchExpressions"] != nil
    }

    static let selectorFieldNames: Set<String> = ["selector", "podSelector", "namespaceSelector", "labelSelector"]

    private static func multiKeyLists(group: String, kind: String) -> [[String]: ListType] {
        let containerPorts = ListType.map(keys: ["containerPort", "protocol"], defaults: ["protocol": "TCP"])
        let spread = ListType.map(keys: ["topologyKey", "whenUnsatisfiable"], defaults: [:])
        func podSpec(_ prefix: [String]) -> [[String]: ListType] {
            [
                prefix + ["containers", "ports"]: containerPorts,
                prefix + ["initContainers", "ports"]: containerPorts,
                prefix + ["ephemeralContainers", "ports"]: containerPorts,
                prefix + ["topologySpreadConstraints"]: spread,
            ]
        }
        switch (group, kind) {
        case ("", "Pod"): return podSpec(["spec"])
        case ("", "PodTemplate"): return podSpec(["template", "spec"])
        case ("", "ReplicationController"), ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"),
             ("apps", "DaemonSet"), ("batch", "Job"):
            return podSpec(["spec", "template", "spec"])
        case ("batch", "CronJob"): return podSpec(["spec", "jobTemplate", "spec", "template", "spec"])
        case ("", "Service"): return [["spec", "ports"]: .map(keys: ["port", "protocol"], defaults: ["protocol": "TCP"])]
        default: return [:]
        }
    }
}
