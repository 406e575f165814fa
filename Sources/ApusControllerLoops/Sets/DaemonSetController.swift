import ApusControllerKit
import ApusMachinery

/// Kubernetes' DaemonSet controller (pkg/controller/daemon): one pod per eligible node, labelled with
/// the current revision's hash, placed by a node-name affinity for the scheduler; pods on nodes that
/// no longer qualify, extra pods and finished pods are deleted; templates roll out per the update
/// strategy; revisions are kept as ControllerRevisions.
public struct DaemonSetController: ControlLoop {
    public let name = "daemonset"
    public let workers: Int
    let context: ControllerContext
    /// At most this many creations or deletions per sync (BurstReplicas).
    let burstReplicas: Int
    let expectations = SetExpectations()
    let failedPodBackoff: DaemonSetFailedPodBackoff

    public init(context: ControllerContext, workers: Int = 2, burstReplicas: Int = 250,
                failedPodBackoff: Double = 1, maxFailedPodBackoff: Double = 15 * 60) {
        self.context = context
        self.workers = workers
        self.burstReplicas = burstReplicas
        self.failedPodBackoff = DaemonSetFailedPodBackoff(initial: failedPodBackoff, maximum: maxFailedPodBackoff)
    }

    var events: any EventSink { context.events("daemonset-controller") }
    var now: Double { context.clock.now() }

    public func sync(_ key: String) async -> SyncResult {
        guard let daemonSet = await context.lister(.daemonSets).get(key) else {
            await expectations.forget(key)
            return .done
        }
        let nodes = await context.lister(.nodes).list().sorted { SetSupport.name($0) < SetSupport.name($1) }
        let selector = daemonSet["spec"]["selector"]
        if case .object = selector, selector["matchLabels"].isNull, selector["matchExpressions"].isNull {
            await events.record(daemonSet, type: "Warning", reason: "SelectingAll",
                                message: "This daemon set is selecting all pods. A non-empty selector is required.")
            return .done
        }
        // Status cannot be trusted while the set is deleted: its revisions may already be gone.
        if SetSupport.isTerminating(daemonSet) { return .done }

        var requeue = SetRequeue()
        do {
            let (current, old) = try await constructHistory(daemonSet)
            let hash = PodState.labels(current)[SetControllerRevisions.revisionHashLabel] ?? ""
            if !(await expectations.satisfied(key, now: now)) {
                try await updateStatus(daemonSet, nodes: nodes, hash: hash, observeGeneration: false, requeue: &requeue)
                requeue.after(await expectations.remaining(key, now: now))
                return requeue.result
            }
            var failed = false
            do {
                try await update(daemonSet, nodes: nodes, hash: hash, key: key, old: old, requeue: &requeue)
            } catch {
                failed = true
            }
            do {
                try await updateStatus(daemonSet, nodes: nodes, hash: hash, observeGeneration: true, requeue: &requeue)
            } catch {
                failed = true
            }
            return failed ? .retry : requeue.result
        } catch {
            return .retry
        }
    }

    /// manage, then the rolling update when earlier writes have been seen, then history clean-up.
    private func update(_ daemonSet: JSON, nodes: [JSON], hash: String, key: String, old: [JSON],
                        requeue: inout SetRequeue) async throws {
        try await manage(daemonSet, nodes: nodes, hash: hash, requeue: &requeue)
        if await expectations.satisfied(key, now: now), Self.strategyType(daemonSet) == "RollingUpdate" {
            try await rollingUpdate(daemonSet, nodes: nodes, hash: hash)
        }
        try await cleanupHistory(daemonSet, old: old)
    }

    static func strategyType(_ daemonSet: JSON) -> String {
        daemonSet["spec"]["updateStrategy"]["type"].string ?? "RollingUpdate"
    }

    // MARK: Pods

    /// The pods the set controls, after adopting matching orphans and releasing what no longer matches.
    func daemonPods(_ daemonSet: JSON) async throws -> [JSON] {
        let selector = try LabelSelector.from(daemonSet["spec"]["selector"])
        let pods = await context.lister(.pods).list(namespace: SetSupport.namespace(daemonSet))
        let ownership = SetOwnership(owner: daemonSet, ownerKind: "DaemonSet", selector: selector, writer: context.writer)
        return try await ownership.claim(pods, of: .pods)
    }

    func podsByNode(_ daemonSet: JSON, includeDeletedTerminal: Bool = false) async throws -> [String: [JSON]] {
        DaemonSetPods.byNode(try await daemonPods(daemonSet), includeDeletedTerminal: includeDeletedTerminal)
    }

    /// Creates daemon pods where they are missing and deletes those that must go.
    private func manage(_ daemonSet: JSON, nodes: [JSON], hash: String, requeue: inout SetRequeue) async throws {
        let podsByNode = try await podsByNode(daemonSet)
        var nodesNeedingPods: [String] = []
        var podsToDelete: [String] = []
        for node in nodes {
            let (create, delete) = await podsShouldBeOnNode(node, podsByNode: podsByNode, daemonSet: daemonSet,
                                                            hash: hash, requeue: &requeue)
            nodesNeedingPods += create
            podsToDelete += delete
        }
        // Unscheduled pods aimed at nodes that are gone: no pod GC will ever collect them.
        let nodeNames = Set(nodes.map(SetSupport.name))
        for (nodeName, pods) in podsByNode.sorted(by: { $0.key < $1.key }) where !nodeNames.contains(nodeName) {
            podsToDelete += pods.filter { PodState.nodeName($0) == nil }.map(SetSupport.name)
        }
        try await syncNodes(daemonSet, podsToDelete: podsToDelete, nodesNeedingPods: nodesNeedingPods, hash: hash)
    }

    /// What must change on one node (podsShouldBeOnNode).
    private func podsShouldBeOnNode(_ node: JSON, podsByNode: [String: [JSON]], daemonSet: JSON, hash: String,
                                    requeue: inout SetRequeue) async -> (create: [String], delete: [String]) {
        let nodeName = SetSupport.name(node)
        let verdict = DaemonSetNodeEligibility.evaluate(node: node, daemonSet: daemonSet)
        let pods = podsByNode[nodeName]
        if verdict.shouldRun && pods == nil { return ([nodeName], []) }
        guard verdict.shouldContinueRunning else {
            return ([], (pods ?? []).filter { !SetSupport.isTerminating($0) }.map(SetSupport.name))
        }
        var delete: [String] = []
        var running: [JSON] = []
        for pod in pods ?? [] where !SetSupport.isTerminating(pod) {
            let podRef = "\(SetSupport.namespace(pod))/\(SetSupport.name(pod))"
            switch PodState.phase(pod) {
            case "Failed":
                // The kubelet may keep rejecting the pod: back off between deletions on this node.
                let backoffKey = "\(SetSupport.uid(daemonSet))/\(daemonSet["status"]["observedGeneration"].int ?? 0)/\(nodeName)"
                if await failedPodBackoff.isInBackOff(backoffKey, now: now) {
                    requeue.after(await failedPodBackoff.delay(backoffKey))
                    continue
                }
                await failedPodBackoff.next(backoffKey, now: now)
                await events.record(daemonSet, type: "Warning", reason: "FailedDaemonPod",
                                    message: "Found failed daemon pod \(podRef) on node \(nodeName), will try to kill it")
                delete.append(SetSupport.name(pod))
            case "Succeeded":
                await events.record(daemonSet, type: "Normal", reason: "SucceededDaemonPod",
                                    message: "Found succeeded daemon pod \(podRef) on node \(nodeName), will try to delete it")
                delete.append(SetSupport.name(pod))
            default:
                running.append(pod)
            }
        }
        let ordered = DaemonSetPods.orderedOldestFirst(running)
        guard Self.allowsSurge(daemonSet) else {
            // Without surge one pod per node: keep the oldest.
            return ([], delete + ordered.dropFirst().map(SetSupport.name))
        }
        if ordered.count <= 1 {
            return (ordered.isEmpty && verdict.shouldRun ? [nodeName] : [], delete)
        }
        // With surge a node may hold one old and one new pod while the new one becomes available.
        var oldestNew: JSON?
        var oldestOld: JSON?
        for pod in ordered {
            if DaemonSetPods.isUpdated(pod, hash: hash) {
                if oldestNew == nil { oldestNew = pod; continue }
            } else if oldestOld == nil {
                oldestOld = pod
                continue
            }
            delete.append(SetSupport.name(pod))
        }
        if let oldestNew, let oldestOld {
            let minReady = daemonSet["spec"]["minReadySeconds"].int ?? 0
            if !PodState.isReady(oldestOld) || PodState.isAvailable(oldestNew, minReadySeconds: minReady, now: now) {
                delete.append(SetSupport.name(oldestOld))
            }
        }
        return ([], delete)
    }

    /// maxSurge allows more than one pod on a node (util.AllowsSurge).
    static func allowsSurge(_ daemonSet: JSON) -> Bool {
        (surgeCount(daemonSet, total: 1) ?? 0) > 0
    }

    static func surgeCount(_ daemonSet: JSON, total: Int) -> Int? {
        let rolling = daemonSet["spec"]["updateStrategy"]["rollingUpdate"]
        guard strategyType(daemonSet) == "RollingUpdate", case .object = rolling, !rolling["maxSurge"].isNull else { return 0 }
        return SetSupport.scaledValue(rolling["maxSurge"], total: total, roundUp: true)
    }

    static func unavailableCount(_ daemonSet: JSON, total: Int) -> Int? {
        let rolling = daemonSet["spec"]["updateStrategy"]["rollingUpdate"]
        guard strategyType(daemonSet) == "RollingUpdate", case .object = rolling else { return 0 }
        return SetSupport.scaledValue(rolling["maxUnavailable"], total: total, roundUp: true)
    }

    /// Deletes `podsToDelete` and creates pods on `nodesNeedingPods`, at most `burstReplicas` of each,
    /// creating in doubling batches that stop at the first failure (slow start).
    func syncNodes(_ daemonSet: JSON, podsToDelete: [String], nodesNeedingPods: [String], hash: String) async throws {
        let key = ObjectKey.of(daemonSet)
        let createCount = min(nodesNeedingPods.count, burstReplicas)
        let deleteCount = min(podsToDelete.count, burstReplicas)
        await expectations.expect(key, adds: createCount, deletes: deleteCount, now: now)
        var failures: [any Error] = []

        var position = 0
        var batch = min(createCount, 1)
        while position < createCount {
            let failuresBefore = failures.count
            for index in position..<(position + batch) {
                let pod = DaemonSetPods.newPod(for: daemonSet, nodeName: nodesNeedingPods[index], hash: hash)
                do {
                    let created = try await context.writer.create(.pods, pod)
                    await events.record(daemonSet, type: "Normal", reason: "SuccessfulCreate",
                                        message: "Created pod: \(SetSupport.name(created))")
                } catch {
                    // A terminating namespace refuses every creation; that is not worth reporting.
                    if SetSupport.isNamespaceTerminating(error) { continue }
                    await events.record(daemonSet, type: "Warning", reason: "FailedCreate",
                                        message: "Error creating: \(SetSupport.text(of: error))")
                    await expectations.creationObserved(key)
                    failures.append(error)
                }
            }
            let skipped = createCount - (position + batch)
            if failures.count > failuresBefore && skipped > 0 {
                await expectations.lower(key, adds: skipped, deletes: 0)
                break
            }
            position += batch
            batch = min(2 * batch, createCount - position)
        }

        for name in podsToDelete.prefix(deleteCount) {
            do {
                try await context.writer.delete(.pods, namespace: SetSupport.namespace(daemonSet), name: name)
                await events.record(daemonSet, type: "Normal", reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
            } catch {
                await expectations.deletionObserved(key)
                if !SetSupport.isNotFound(error) {
                    await events.record(daemonSet, type: "Warning", reason: "FailedDelete",
                                        message: "Error deleting: \(SetSupport.text(of: error))")
                    failures.append(error)
                }
            }
        }
        if let failure = failures.first { throw failure }
    }
}
