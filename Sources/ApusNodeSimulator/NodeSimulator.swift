import ApusControllerKit
import ApusMachinery

/// Simulated nodes, like KWOK's or kubemark's hollow nodes: registers nodes with the configured
/// capacity, renews their Leases and posts their status as a kubelet does, and drives the pods
/// bound to them through their lifecycle without containers. A node annotated
/// `simulation.apus.dev/heartbeat=paused` stops heartbeating, as if its kubelet hung.
///
/// Keys are `node/<name>` for the nodes and `pod/<namespace>/<name>` for their pods.
public struct NodeSimulator: ControlLoop {
    public let name = "node-simulator"
    let context: ControllerContext
    let nodeNames: [String]
    let indexes: [String: Int]
    let settings: SimulationSettings
    let addresses = SimulatedPodAddresses()

    /// Simulates `nodeNames`; node `i` of the list gets pod CIDR 10.42.<firstIndex + i>.0/24.
    public init(context: ControllerContext, nodeNames: [String], firstIndex: Int = 1, settings: SimulationSettings = .init()) {
        self.context = context
        self.nodeNames = nodeNames
        self.settings = settings
        var indexes: [String: Int] = [:]
        for (offset, name) in nodeNames.enumerated() { indexes[name] = firstIndex + offset }
        self.indexes = indexes
    }

    public var workers: Int { 4 }

    public var watches: [LoopWatch] {
        let indexes = indexes
        let addresses = addresses
        return [
            LoopWatch(.nodes) { old, new in
                let name = (new ?? old)?["metadata"]["name"].string ?? ""
                return indexes[name] == nil ? [] : ["node/" + name]
            },
            LoopWatch(.leases) { old, new in
                guard let lease = new ?? old, lease["metadata"]["namespace"].string == NodeLeases.namespace,
                      let name = lease["metadata"]["name"].string, indexes[name] != nil, new == nil else { return [] }
                return ["node/" + name]
            },
            LoopWatch(.pods) { old, new in
                guard let pod = new ?? old, let node = PodState.nodeName(pod), let index = indexes[node] else { return [] }
                let key = ObjectKey.of(pod)
                if new == nil {
                    await addresses.release(key)
                } else if let ip = pod["status"]["podIP"].string {
                    await addresses.adopt(ip, podKey: key, node: index)
                }
                return ["pod/" + key]
            },
        ]
    }

    /// Registration needs no prior change: every node is synced when the simulation starts.
    public var initialKeys: [String] { nodeNames.map { "node/" + $0 } }

    public func sync(_ key: String) async -> SyncResult {
        if key.hasPrefix("node/") { return await syncNode(String(key.dropFirst(5))) }
        if key.hasPrefix("pod/") { return await syncPod(String(key.dropFirst(4))) }
        return .done
    }

    // MARK: Nodes

    func syncNode(_ name: String) async -> SyncResult {
        guard let index = indexes[name] else { return .done }
        let now = context.clock.now()
        do {
            guard let node = await context.lister(.nodes).get(name) else {
                let registered = try await context.writer.create(.nodes, SimulatedNodeObjects.node(name: name, index: index, settings: settings, now: now))
                try await renewLease(of: registered, now: now)
                return .requeue(after: settings.renewSeconds)
            }
            if node["metadata"]["annotations"][SimulationAnnotations.heartbeat].string == "paused" { return .requeue(after: settings.renewSeconds) }
            try await renewLease(of: node, now: now)
            if SimulatedNodeObjects.statusIsStale(node, settings: settings, now: now) {
                var updated = node
                updated["status"] = SimulatedNodeObjects.status(name: name, index: index, settings: settings, now: now, previous: node["status"])
                _ = try await context.writer.updateStatus(.nodes, updated)
            }
            return .requeue(after: settings.renewSeconds)
        } catch {
            if error.code == 409 { return .requeue(after: 0.2) }
            return .retry
        }
    }

    private func renewLease(of node: JSON, now: Double) async throws(ClientError) {
        try await NodeLeases.renew(of: node, durationSeconds: settings.leaseDurationSeconds, now: now, context: context)
    }

    // MARK: Pods

    func syncPod(_ key: String) async -> SyncResult {
        guard let pod = await context.lister(.pods).get(key), let node = PodState.nodeName(pod), let index = indexes[node] else { return .done }
        let ip = await addresses.address(for: key, node: index)
        let lifecycle = SimulatedPodLifecycle(settings: settings, now: context.clock.now())
        let (namespace, name) = ObjectKey.split(key)
        do {
            switch lifecycle.step(pod, podIP: pod["status"]["podIP"].string ?? ip, hostIP: SimulatedNodeObjects.address(index: index)) {
            case .idle:
                return .done
            case .wait(let seconds):
                return .requeue(after: seconds)
            case .post(let status, let recheck):
                var updated = pod
                updated["status"] = status
                _ = try await context.writer.updateStatus(.pods, updated)
                return recheck.map { .requeue(after: $0) } ?? .done
            case .remove:
                try await context.writer.delete(.pods, namespace: namespace, name: name,
                                                options: DeleteOptions(gracePeriodSeconds: 0, preconditionUID: pod["metadata"]["uid"].string))
                return .done
            }
        } catch {
            if error.code == 404 { return .done }
            return .retry
        }
    }
}
