import ApusMachinery
import ApusPatch

/// How the lists and structs of one kind take part in field ownership. Kubernetes reads this from the
/// `x-kubernetes-list-type`/`x-kubernetes-list-map-keys` and `structType` markers of its schemas;
/// Apus starts from the kind's strategic-merge table (lists merged by a key are associative, lists
/// merged as sets of scalars are sets, every other list is atomic) and completes the keys that
/// have more than one field.
public struct ListSemantics: Sendable {
    public enum ListType: Sendable, Equatable {
        /// Owned and replaced as a whole.
        case atomic
        /// Items are scalars, each owned on its own (`v:`).
        case set
        /// Items are objects identified by `keys` (`k:`); a key field missing from an item takes
        /// its default from `defaults` (a container port without protocol is a TCP port).
        case map(keys: [String], defaults: JSONObject)
    }

    let patchSchema: PatchSchema

    public init(group: String, kind: String) {
        patchSchema = PatchSchema.forKind(group: group, kind: kind)
    }

    /// `path` lists member names from the root and skips list levels, as PatchSchema paths do.
    public func listType(at path: [String]) -> ListType {
        switch patchSchema.listStrategy(at: path) {
        case .replace: return .atomic
        case .merge(key: nil): return .set
        case .merge(key: let key?): return Self.multiKeyLists[key] ?? .map(keys: [key], defaults: [:])
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

    /// The associative lists whose Kubernetes keys have more than one field, by their strategic
    /// merge key (each of these merge keys names one kind of list only).
    static let multiKeyLists: [String: ListType] = [
        "containerPort": .map(keys: ["containerPort", "protocol"], defaults: ["protocol": "TCP"]),
        "port": .map(keys: ["port", "protocol"], defaults: ["protocol": "TCP"]),
        "topologyKey": .map(keys: ["topologyKey", "whenUnsatisfiable"], defaults: [:]),
    ]
}
