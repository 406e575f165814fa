import ApusMachinery

/// A node's heartbeat Lease in kube-node-lease, as kubelets (real or simulated) keep it.
public enum NodeLeases {
    public static let namespace = "kube-node-lease"

    /// The Lease, owned by the node, renewed at `now`.
    public static func lease(node: JSON, durationSeconds: Int64, now: Double) -> JSON {
        let name = node["metadata"]["name"]
        return [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": name, "namespace": .string(namespace),
                         "ownerReferences": [["apiVersion": "v1", "kind": "Node", "name": name, "uid": node["metadata"]["uid"]]]],
            "spec": ["holderIdentity": name, "leaseDurationSeconds": .int(durationSeconds),
                     "renewTime": .string(Timestamp.rfc3339Micro(now))],
        ]
    }

    /// Creates the node's Lease, or renews the cached one.
    public static func renew(of node: JSON, durationSeconds: Int64, now: Double, context: ControllerContext) async throws(ClientError) {
        let name = node["metadata"]["name"].string ?? ""
        let wanted = lease(node: node, durationSeconds: durationSeconds, now: now)
        guard var current = await context.lister(.leases).get(namespace: namespace, name: name) else {
            do {
                _ = try await context.writer.create(.leases, wanted)
            } catch {
                if error.code != 409 { throw error }
            }
            return
        }
        current["spec"] = wanted["spec"]
        _ = try await context.writer.update(.leases, current)
    }
}
