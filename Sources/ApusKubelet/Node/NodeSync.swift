import ApusCRI
import ApusControllerKit
import ApusMachinery

extension Kubelet {
    /// Registers the node, renews its Lease, posts its status when it changed or is due, and
    /// writes the pod network's CNI config once the server has given the node a pod CIDR.
    func syncNode() async -> SyncResult {
        let now = context.clock.now()
        let existing = await context.lister(.nodes).get(node.name)
        if let cidr = existing?["spec"]["podCIDR"].string, !cidr.isEmpty {
            let network = PodNetworkConfig(podCIDR: cidr, ipamDirectory: paths.root + "/cni-ipam", clusterCIDR: node.clusterCIDR)
            do {
                try network.write(into: cniConfDirectory)
            } catch {
                logger.error("cannot write the CNI config", metadata: ["error": "\(error)"])
            }
        }
        let health = await runtimeHealth(podCIDR: existing?["spec"]["podCIDR"].string)
        do {
            guard let current = existing else {
                let registered = try await context.writer.create(.nodes, NodeObjects.node(node, facts: facts, runtime: health, now: now))
                logger.info("node registered", metadata: ["node": "\(node.name)"])
                try await renewLease(of: registered, now: now)
                return .requeue(after: 1)
            }
            try await renewLease(of: current, now: now)
            let wanted = NodeObjects.status(node, facts: facts, runtime: health, now: now, previous: current["status"])
            if NodeObjects.statusIsStale(current, wanted: wanted, reportSeconds: statusReportSeconds, now: now) {
                var updated = current
                updated["status"] = wanted
                _ = try await context.writer.updateStatus(.nodes, updated)
            }
            // Check again soon while the node is not ready (containerd starting, no pod CIDR yet).
            return .requeue(after: health.problem == nil ? renewSeconds : 1)
        } catch {
            if error.code == 409 { return .requeue(after: 0.2) }
            logger.warning("node sync failed", metadata: ["error": "\(error)"])
            return .retry
        }
    }

    private func renewLease(of node: JSON, now: Double) async throws(ClientError) {
        try await NodeLeases.renew(of: node, durationSeconds: 40, now: now, context: context)
    }

    /// The runtime's version and whether it and the pod network are ready.
    func runtimeHealth(podCIDR: String?) async -> RuntimeHealth {
        var version = "containerd://unknown"
        do {
            let answer = try await runtime.version()
            version = "\(answer.runtimeName)://\(answer.runtimeVersion)"
            let status = try await runtime.status()
            for condition in status.conditions where !condition.status {
                return RuntimeHealth(version: version, problem: "container runtime \(condition.type)=false reason:\(condition.reason) message:\(condition.message)")
            }
        } catch {
            return RuntimeHealth(version: version, problem: "container runtime is down: \(error)")
        }
        if !(await imageImport.isFinished) {
            return RuntimeHealth(version: version, problem: "importing the node's images")
        }
        if (podCIDR ?? "").isEmpty {
            return RuntimeHealth(version: version, problem: "the node has no pod CIDR yet")
        }
        return RuntimeHealth(version: version, problem: nil)
    }
}
