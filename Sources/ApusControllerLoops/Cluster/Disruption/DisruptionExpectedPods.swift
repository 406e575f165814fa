import ApusControllerKit
import ApusMachinery

/// How the disruption controller finds how many pods a PodDisruptionBudget expects: the scale of
/// the pods' controllers (Deployments through their ReplicaSets, ReplicaSets, StatefulSets).
struct DisruptionExpectedPods {
    let replicaSets: any ObjectLister
    let deployments: any ObjectLister
    let statefulSets: any ObjectLister

    struct Failure: Error, Sendable { var message: String }

    /// getExpectedPodCount: (expected pods, desired healthy, names of pods without a controller).
    func counts(for pdb: JSON, pods: [JSON]) async throws(Failure) -> (expected: Int64, desiredHealthy: Int64, unmanaged: [String]) {
        let maxUnavailable = pdb["spec"]["maxUnavailable"]
        let minAvailable = pdb["spec"]["minAvailable"]
        if !maxUnavailable.isNull {
            let (expected, unmanaged) = try await expectedScale(pods)
            let unavailable = try Self.scaled(maxUnavailable, total: expected)
            return (expected, max(0, expected - unavailable), unmanaged)
        }
        if let count = minAvailable.int { return (Int64(pods.count), count, []) }
        if !minAvailable.isNull {
            let (expected, unmanaged) = try await expectedScale(pods)
            return (expected, try Self.scaled(minAvailable, total: expected), unmanaged)
        }
        return (0, 0, [])
    }

    /// getExpectedScale: the sum of the scales of the pods' controllers.
    private func expectedScale(_ pods: [JSON]) async throws(Failure) -> (Int64, [String]) {
        var scales: [String: Int64] = [:]
        var unmanaged: [String] = []
        for pod in pods {
            let name = pod["metadata"]["name"].string ?? ""
            guard let owner = OwnerReferences.controller(of: pod) else {
                unmanaged.append(name)
                continue
            }
            if let uid = owner["uid"].string, scales[uid] != nil { continue }
            let namespace = pod["metadata"]["namespace"].string ?? ""
            guard let found = try await controllerScale(owner, namespace: namespace) else {
                throw Failure(message: "found no controllers for pod \"\(name)\"")
            }
            scales[found.uid] = found.scale
        }
        return (scales.values.reduce(0, +), unmanaged)
    }

    /// The finders in Kubernetes' order: Deployment (through the ReplicaSet), ReplicaSet not owned
    /// by a Deployment, StatefulSet, then the scale of any other scalable owner.
    private func controllerScale(_ owner: JSON, namespace: String) async throws(Failure) -> (uid: String, scale: Int64)? {
        let kind = owner["kind"].string ?? ""
        let group = Self.group(of: owner)
        let name = owner["name"].string ?? ""
        let uid = owner["uid"].string ?? ""
        if kind == "ReplicaSet" && (group == "apps" || group == "extensions") {
            guard let rs = await replicaSets.get(namespace: namespace, name: name), rs["metadata"]["uid"].string == uid else { return nil }
            if let rsOwner = OwnerReferences.controller(of: rs), rsOwner["kind"].string == "Deployment" {
                let rsOwnerGroup = Self.group(of: rsOwner)
                if rsOwnerGroup == "apps" || rsOwnerGroup == "extensions",
                   let deployment = await deployments.get(namespace: namespace, name: rsOwner["name"].string ?? ""),
                   deployment["metadata"]["uid"] == rsOwner["uid"] {
                    return (deployment["metadata"]["uid"].string ?? "", Self.replicas(deployment))
                }
                // Owned by a Deployment that is gone: the ReplicaSet's own scale subresource.
                return (uid, Self.replicas(rs))
            }
            return (uid, Self.replicas(rs))
        }
        if kind == "StatefulSet" && group == "apps" {
            guard let set = await statefulSets.get(namespace: namespace, name: name), set["metadata"]["uid"].string == uid else { return nil }
            return (uid, Self.replicas(set))
        }
        if kind == "Deployment" && (group == "apps" || group == "extensions") {
            guard let deployment = await deployments.get(namespace: namespace, name: name), deployment["metadata"]["uid"].string == uid else { return nil }
            return (uid, Self.replicas(deployment))
        }
        if let resource = Self.unscalable[kind] {
            throw Failure(message: "\(resource) does not implement the scale subresource")
        }
        return nil
    }

    /// Built-in owners without a scale subresource.
    private static let unscalable = ["Job": "jobs.batch", "DaemonSet": "daemonsets.apps", "CronJob": "cronjobs.batch"]

    private static func group(of reference: JSON) -> String {
        let apiVersion = reference["apiVersion"].string ?? ""
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    private static func replicas(_ object: JSON) -> Int64 { object["spec"]["replicas"].int ?? 1 }

    /// GetScaledValueFromIntOrPercent, rounding up.
    static func scaled(_ value: JSON, total: Int64) throws(Failure) -> Int64 {
        if let number = value.int { return number }
        guard let text = value.string else { throw Failure(message: "invalid value for IntOrString: invalid type: neither int nor percentage") }
        guard text.hasSuffix("%") else { throw Failure(message: "invalid value for IntOrString: invalid type: string is not a percentage") }
        guard let percent = Int64(text.dropLast()) else {
            throw Failure(message: "invalid value for IntOrString: invalid value \"\(text)\": strconv.Atoi: parsing \"\(text.dropLast())\": invalid syntax")
        }
        return Int64((Double(percent) * Double(total) / 100).rounded(.up))
    }
}
