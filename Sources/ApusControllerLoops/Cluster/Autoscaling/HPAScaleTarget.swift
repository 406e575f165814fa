import ApusControllerKit
import ApusMachinery

/// The scale subresource of an HPA's target, read from the workload caches.
struct HPAScaleTarget: Sendable {
    var resource: Resource
    var name: String
    var specReplicas: Int64
    var statusReplicas: Int64
    /// The target's pod selector (nil when it has none, which the HPA cannot work with).
    var selector: LabelSelector?
    /// `kind/namespace/name`, as the controller names the target in errors.
    var reference: String

    struct Failure: Error, Sendable { var message: String }

    private static let scalable: [String: Resource] = [
        "apps/Deployment": .deployments, "apps/ReplicaSet": .replicaSets, "apps/StatefulSet": .statefulSets,
    ]

    /// scaleForResourceMappings over the caches: the target's spec/status replicas and selector.
    static func find(_ reference: JSON, namespace: String, context: ControllerContext) async throws(Failure) -> HPAScaleTarget {
        let apiVersion = reference["apiVersion"].string ?? ""
        let kind = reference["kind"].string ?? ""
        let name = reference["name"].string ?? ""
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw Failure(message: "unexpected GroupVersion string: \(apiVersion)") }
        let group = parts.count == 2 ? String(parts[0]) : ""
        guard let resource = scalable["\(group)/\(kind)"] else {
            throw Failure(message: "no matches for kind \"\(kind)\" in group \"\(group)\"")
        }
        guard let object = await context.lister(resource).get(namespace: namespace, name: name) else {
            throw Failure(message: "\(resource.name).\(resource.group) \"\(name)\" not found")
        }
        let selectorJSON = object["spec"]["selector"]
        let selector = (try? LabelSelector.from(selectorJSON)).flatMap { $0.isEmpty ? nil : $0 }
        return HPAScaleTarget(resource: resource, name: name, specReplicas: object["spec"]["replicas"].int ?? 1,
                              statusReplicas: object["status"]["replicas"].int ?? 0, selector: selector,
                              reference: "\(kind)/\(namespace)/\(name)")
    }
}
