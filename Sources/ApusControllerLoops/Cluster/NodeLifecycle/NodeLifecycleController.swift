import ApusControllerKit
import ApusMachinery

/// Kubernetes' node lifecycle controller (`node-lifecycle`): watches kubelet heartbeats (node status
/// and the node's Lease in `kube-node-lease`), marks silent nodes Unknown, keeps the condition taints
/// (NoSchedule, and the NoExecute not-ready/unreachable taints the taint eviction controller acts on)
/// and marks pods on nodes that stopped being Ready as not ready. It looks at every node every
/// `nodeMonitorPeriod`.
public struct NodeLifecycleController: ControlLoop {
    public let name = "node-lifecycle"
    public static let leaseNamespace = "kube-node-lease"

    let context: ControllerContext
    let nodeMonitorPeriod: Double
    let nodeStartupGracePeriod: Double
    let nodeMonitorGracePeriod: Double
    let state: NodeLifecycleState

    /// Defaults are kube-controller-manager 1.32's (`--node-monitor-period=5s`,
    /// `--node-startup-grace-period=1m`, `--node-monitor-grace-period=50s`, `--node-eviction-rate=0.1`,
    /// `--secondary-node-eviction-rate=0.01`, `--large-cluster-size-threshold=50`,
    /// `--unhealthy-zone-threshold=0.55`).
    public init(context: ControllerContext, nodeMonitorPeriod: Double = 5, nodeStartupGracePeriod: Double = 60,
                nodeMonitorGracePeriod: Double = 50, evictionLimiterQPS: Double = 0.1, secondaryEvictionLimiterQPS: Double = 0.01,
                largeClusterThreshold: Int = 50, unhealthyZoneThreshold: Double = 0.55) {
        self.context = context
        self.nodeMonitorPeriod = nodeMonitorPeriod
        self.nodeStartupGracePeriod = nodeStartupGracePeriod
        self.nodeMonitorGracePeriod = nodeMonitorGracePeriod
        state = NodeLifecycleState(limits: .init(evictionQPS: evictionLimiterQPS, secondaryEvictionQPS: secondaryEvictionLimiterQPS,
                                                 largeClusterThreshold: largeClusterThreshold, unhealthyZoneThreshold: unhealthyZoneThreshold))
    }

    /// nodeUpdateWorkerSize: nodes are looked at in parallel.
    public var workers: Int { 8 }

    public var watches: [LoopWatch] {
        let state = self.state
        return [
            .primary(.nodes),
            LoopWatch(.leases) { old, new in
                guard let lease = new ?? old, lease["metadata"]["namespace"].string == Self.leaseNamespace,
                      let name = lease["metadata"]["name"].string else { return [] }
                return [name]
            },
            // A pod newly bound to a node that is not Ready is marked not ready at once.
            LoopWatch(.pods) { old, new in
                guard let new, let node = PodState.nodeName(new), old.flatMap(PodState.nodeName) != node else { return [] }
                await state.noteBound(pod: ObjectKey.of(new), node: node)
                return [node]
            },
        ]
    }

    var events: any EventSink { context.events("node-controller") }

    public func sync(_ key: String) async -> SyncResult {
        let now = context.clock.now()
        guard var node = await context.lister(.nodes).get(key) else {
            if let last = await state.forget(key) {
                await events.record(last, type: "Normal", reason: "RemovingNode",
                                    message: "Node \(key) event: Removing Node \(key) from Controller")
            }
            return .done
        }
        do {
            if await state.register(node) {
                await events.record(node, type: "Normal", reason: "RegisteredNode",
                                    message: "Node \(key) event: Registered Node \(key) in Controller")
                node = try await markReachable(node)
            }
            let zone = NodeLifecycleZones.zoneKey(of: node)
            await state.observe(zone: zone, now: now)

            let check = try await monitorHealth(&node, now: now)
            node = try await reconcileConditionTaints(node, now: now)
            node = try await handleDisruption(current: node, now: now)

            var wait = nodeMonitorPeriod
            if check.currentReady != nil {
                let observed = check.observedReady["status"].string ?? "Unknown"
                if let taintWait = try await reconcileNoExecuteTaints(&node, observed: observed, zone: zone, now: now) {
                    wait = min(wait, taintWait)
                }
                await markPodsIfNeeded(node, observed: observed, current: check.currentReady?["status"].string ?? "Unknown", now: now)
            }
            await markNewlyBoundPods(node, now: now)
            return .requeue(after: wait)
        } catch {
            return .retry
        }
    }

    /// tryUpdateNodeHealth, writing the Unknown conditions when the grace period has passed.
    private func monitorHealth(_ node: inout JSON, now: Double) async throws(ClientError) -> NodeHealthCheck {
        let name = node["metadata"]["name"].string ?? ""
        let lease = await context.lister(.leases).get(namespace: Self.leaseNamespace, name: name)
        var check = NodeHealthEvaluation.evaluate(node: node, record: await state.record(for: name), lease: lease, now: now,
                                                  startupGracePeriod: nodeStartupGracePeriod, monitorGracePeriod: nodeMonitorGracePeriod)
        if let toWrite = check.nodeToWrite {
            do {
                node = try await context.writer.updateStatus(.nodes, toWrite)
            } catch {
                await state.setRecord(check.record, for: name, ready: check.observedReady["status"].string)
                throw error
            }
            check.record = NodeHealthRecord(probeTimestamp: check.record.probeTimestamp, readyTransitionTimestamp: now,
                                            status: node["status"], leaseRenewTime: check.leaseRenewTime)
        }
        await state.setRecord(check.record, for: name, ready: check.currentReady?["status"].string)
        return check
    }

    /// doNoScheduleTaintingPass: one NoSchedule taint per adverse condition, plus the unschedulable taint.
    private func reconcileConditionTaints(_ node: JSON, now: Double) async throws(ClientError) -> JSON {
        var wanted: [JSON] = []
        for condition in node["status"]["conditions"].array ?? [] {
            if let key = NodeTaintRules.taintKey(forCondition: condition["type"].string ?? "", status: condition["status"].string ?? "") {
                wanted.append(NodeTaintRules.taint(key: key, effect: NodeTaintRules.noSchedule))
            }
        }
        if node["spec"]["unschedulable"].bool == true {
            wanted.append(NodeTaintRules.taint(key: NodeTaintRules.unschedulable, effect: NodeTaintRules.noSchedule))
        }
        let existing = NodeTaintRules.taints(of: node).filter {
            guard $0["effect"].string == NodeTaintRules.noSchedule, let key = $0["key"].string else { return false }
            return key == NodeTaintRules.unschedulable || NodeTaintRules.conditionKeys.contains(key)
        }
        let toAdd = wanted.filter { taint in !existing.contains { NodeTaintRules.matches($0, taint) } }
            .map { NodeTaintRules.taint(key: $0["key"].string ?? "", effect: NodeTaintRules.noSchedule, timeAdded: now) }
        let toRemove = existing.filter { taint in !wanted.contains { NodeTaintRules.matches($0, taint) } }
        guard let taints = NodeTaintRules.swapped(NodeTaintRules.taints(of: node), add: toAdd, remove: toRemove) else { return node }
        return try await NodeTaintRules.write(taints, to: node, writer: context.writer)
    }

    /// processTaintBaseEviction plus the rate-limited tainting pass; returns how soon to look again
    /// when a taint waits for its zone's rate limit.
    private func reconcileNoExecuteTaints(_ node: inout JSON, observed: String, zone: String, now: Double) async throws(ClientError) -> Double? {
        let name = node["metadata"]["name"].string ?? ""
        let taints = NodeTaintRules.taints(of: node)
        let wanted: String
        let opposite: String
        switch observed {
        case "False": (wanted, opposite) = (NodeTaintRules.notReady, NodeTaintRules.unreachable)
        case "Unknown": (wanted, opposite) = (NodeTaintRules.unreachable, NodeTaintRules.notReady)
        default:
            node = try await markReachable(node)
            return nil
        }
        // Not-ready and unreachable mirror the Ready condition, so one replaces the other at once.
        if NodeTaintRules.contains(taints, key: opposite, effect: NodeTaintRules.noExecute) {
            node = try await swapNoExecute(node, add: wanted, remove: opposite, now: now)
            return nil
        }
        await state.queueForTainting(name, alreadyTainted: NodeTaintRules.contains(taints, key: wanted, effect: NodeTaintRules.noExecute))
        let attempt = await state.tryTaint(name, zone: zone, now: now)
        guard attempt.allowed else { return attempt.wait }
        // The tainting pass decides by the node's Ready condition as it is now.
        switch ClusterLoopSupport.condition("Ready", of: node)?["status"].string {
        case "False": node = try await swapNoExecute(node, add: NodeTaintRules.notReady, remove: NodeTaintRules.unreachable, now: now)
        case "Unknown": node = try await swapNoExecute(node, add: NodeTaintRules.unreachable, remove: NodeTaintRules.notReady, now: now)
        default: break
        }
        await state.taintHandled(name)
        return nil
    }

    private func swapNoExecute(_ node: JSON, add: String, remove: String, now: Double) async throws(ClientError) -> JSON {
        let taints = NodeTaintRules.swapped(NodeTaintRules.taints(of: node),
                                            add: [NodeTaintRules.taint(key: add, effect: NodeTaintRules.noExecute, timeAdded: now)],
                                            remove: [NodeTaintRules.taint(key: remove, effect: NodeTaintRules.noExecute)])
        guard let taints else { return node }
        return try await NodeTaintRules.write(taints, to: node, writer: context.writer)
    }

    /// markNodeAsReachable: takes both NoExecute node-controller taints off.
    private func markReachable(_ node: JSON) async throws(ClientError) -> JSON {
        await state.dequeueTainting(node["metadata"]["name"].string ?? "")
        let remove = [NodeTaintRules.taint(key: NodeTaintRules.unreachable, effect: NodeTaintRules.noExecute),
                      NodeTaintRules.taint(key: NodeTaintRules.notReady, effect: NodeTaintRules.noExecute)]
        guard let taints = NodeTaintRules.swapped(NodeTaintRules.taints(of: node), add: [], remove: remove) else { return node }
        return try await NodeTaintRules.write(taints, to: node, writer: context.writer)
    }

    /// handleDisruption over all nodes, by zone; returns `current` as it is afterwards.
    private func handleDisruption(current: JSON, now: Double) async throws(ClientError) -> JSON {
        let currentName = current["metadata"]["name"].string ?? ""
        // The node being synced is used as just written; the others as cached.
        let nodes = await context.lister(.nodes).list().map { $0["metadata"]["name"].string == currentName ? current : $0 }
        var readiness: [String: [Bool]] = [:]
        for node in nodes where node["metadata"]["labels"]["node.kubernetes.io/exclude-disruption"].isNull {
            readiness[NodeLifecycleZones.zoneKey(of: node), default: []].append(await state.readiness(of: node))
        }
        var result = current
        switch await state.handleDisruption(readinessByZone: readiness, now: now) {
        case .none: break
        case .enteredFullDisruption:
            for node in nodes {
                let updated = try await markReachable(node)
                if node["metadata"]["name"].string == currentName { result = updated }
            }
        case .exitedFullDisruption:
            await state.resetProbes(now: now)
        }
        return result
    }

    /// Pods are marked not ready when the node stops being Ready, and again while an earlier attempt failed.
    private func markPodsIfNeeded(_ node: JSON, observed: String, current: String, now: Double) async {
        let name = node["metadata"]["name"].string ?? ""
        let becameNotReady = current != "True" && observed == "True"
        if becameNotReady {
            await events.record(node, type: "Normal", reason: "NodeNotReady", message: "Node \(name) status is now: NodeNotReady")
        }
        let retry = await state.needsPodRetry(name)
        guard becameNotReady || (retry && observed != "True") else {
            await state.setPodRetry(name, false)
            return
        }
        let pods = await ClusterLoopSupport.pods(onNode: name, in: context.lister(.pods))
        let done = await NodePodsNotReady.mark(pods, node: name, now: now, writer: context.writer, events: context.events("node-controller"))
        await state.setPodRetry(name, !done)
    }

    /// processPod: pods bound to a node the controller last saw not Ready.
    private func markNewlyBoundPods(_ node: JSON, now: Double) async {
        let name = node["metadata"]["name"].string ?? ""
        let keys = await state.takeNewlyBound(node: name)
        guard !keys.isEmpty, let record = await state.record(for: name),
              let ready = ClusterLoopSupport.condition("Ready", of: ["status": record.status]),
              ready["status"].string != "True" else { return }
        var pods: [JSON] = []
        for key in keys.sorted() {
            if let pod = await context.lister(.pods).get(key) { pods.append(pod) }
        }
        _ = await NodePodsNotReady.mark(pods, node: name, now: now, writer: context.writer, events: events)
    }
}
