import ApusControllerKit
import ApusMachinery

/// kube-scheduler without transport: informers report nodes, pods and PriorityClasses; the runtime
/// loops `scheduleOne` / `flushQueues` / `waitForWork`; bindings, status updates, deletions of
/// preemption victims and events go through the writer and the event sink.
public actor Scheduler {
    let writer: any ClusterWriter
    let events: any EventSink
    let clock: any WallClock
    let configuration: SchedulerConfiguration

    var cache = SchedulerCache()
    var queue: SchedulingQueue
    var nominator = Nominator()
    var algorithm: SchedulingAlgorithm
    let preemption: DefaultPreemption
    var priorityClasses = PriorityClasses()
    /// Unassigned pods this scheduler is responsible for, latest version, by uid.
    var pendingPods: [String: SchedulingPod] = [:]
    var bindings: [String: Task<Void, Never>] = [:]
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var waiterTimers: [Int: Task<Void, Never>] = [:]
    private var nextWaiterID = 0

    public init(writer: any ClusterWriter, events: any EventSink, clock: any WallClock,
                configuration: SchedulerConfiguration = .init()) {
        self.writer = writer
        self.events = events
        self.clock = clock
        self.configuration = configuration
        let framework = SchedulingFramework.defaultProfile(weights: configuration.weights,
                                                           hardPodAffinityWeight: configuration.hardPodAffinityWeight)
        algorithm = SchedulingAlgorithm(framework: framework, percentageOfNodesToScore: configuration.percentageOfNodesToScore,
                                        random: SplitMix64(seed: configuration.randomSeed ?? UInt64.random(in: .min ... .max)))
        preemption = DefaultPreemption(framework: framework)
        queue = SchedulingQueue(backoffPolicy: BackoffPolicy(initial: configuration.podInitialBackoffSeconds,
                                                             maximum: configuration.podMaxBackoffSeconds),
                                maxInUnschedulableDuration: configuration.podMaxInUnschedulablePodsDuration)
    }

    // MARK: Informer input

    /// From the nodes informer (nil = absent).
    public func nodeChanged(old: JSON?, new: JSON?) {
        guard let new else {
            if let name = old?["metadata"]["name"].string, cache.nodeInfo(name) != nil {
                cache.removeNode(name)
                moveUnschedulablePods(for: [.nodeDelete])
            }
            return
        }
        let node = SchedulingNode(new)
        guard !node.name.isEmpty else { return }
        if let existing = cache.nodeInfo(node.name) {
            // A heartbeat changes nothing the scheduler reads: the cached node stays as it is.
            let changes = SchedulingNode.changes(from: existing.node, to: node)
            guard !changes.isEmpty else { return }
            cache.setNode(node)
            moveUnschedulablePods(for: changes)
        } else {
            cache.setNode(node)
            moveUnschedulablePods(for: [.nodeAdd])
        }
    }

    /// From the pods informer (all pods; nil = absent). Finished pods count as gone, as the
    /// scheduler's informer excludes them.
    public func podChanged(old: JSON?, new: JSON?) {
        let uid = (new ?? old)?["metadata"]["uid"].string
            ?? ObjectKey.of(new ?? old ?? .null)
        let pod = new.map { SchedulingPod($0, priorityClasses: priorityClasses) }
        guard let pod, !pod.isFinished else {
            forgetPod(uid: uid)
            return
        }
        if !pod.nodeName.isEmpty {
            assignedPodChanged(pod)
        } else if isResponsible(for: pod) && !pod.isTerminating {
            if cache.isAssumed(uid: pod.uid) { return }  // bound by us; the informer has not caught up
            let previous = pendingPods[pod.uid]
            pendingPods[pod.uid] = pod
            nominator.update(old: previous, new: pod)
            queue.add(pod, now: clock.now())
            signalWork()
        } else {
            pendingPods[pod.uid] = nil
            queue.delete(uid: pod.uid)
            nominator.remove(uid: pod.uid)
        }
    }

    /// From the PriorityClasses informer: resolves priorities of pods admitted without one.
    public func priorityClassChanged(old: JSON?, new: JSON?) {
        priorityClasses.apply(old: old, new: new)
    }

    /// From the namespaces informer (optional): labels for pod affinity's namespaceSelector.
    public func namespaceChanged(old: JSON?, new: JSON?) {
        if let name = old?["metadata"]["name"].string { cache.namespaceLabels[name] = nil }
        if let new, let name = new["metadata"]["name"].string {
            cache.namespaceLabels[name] = PodState.labels(new)
        }
    }

    private func isResponsible(for pod: SchedulingPod) -> Bool {
        pod.schedulerName.isEmpty || pod.schedulerName == configuration.schedulerName
    }

    private func assignedPodChanged(_ pod: SchedulingPod) {
        pendingPods[pod.uid] = nil
        queue.delete(uid: pod.uid)
        nominator.remove(uid: pod.uid)
        let previous = cache.entry(uid: pod.uid)
        cache.setAssignedPod(pod)
        if let previous, !previous.assumed {
            let old = previous.pod
            if old.labels != pod.labels || old.requests != pod.requests || old.isTerminating != pod.isTerminating {
                moveUnschedulablePods(for: [.assignedPodUpdate])
            }
        } else {
            moveUnschedulablePods(for: [.assignedPodAdd])
        }
    }

    private func forgetPod(uid: String) {
        pendingPods[uid] = nil
        queue.delete(uid: uid)
        nominator.remove(uid: uid)
        if cache.removePod(uid: uid) != nil {
            moveUnschedulablePods(for: [.assignedPodDelete])
        }
    }

    func moveUnschedulablePods(for events: Set<ClusterEvent>) {
        queue.moveAll(for: events, now: clock.now())
        signalWork()
    }

    // MARK: Queue upkeep

    /// Moves due back-off pods to active, and pods unschedulable longer than the flush interval
    /// back to backoff/active.
    public func flushQueues() {
        let now = clock.now()
        queue.flushBackoff(now: now)
        queue.flushUnschedulable(now: now)
        signalWork()
    }

    /// When the next back-off expires (so the runtime knows how long to wait); nil if none.
    public func nextBackoffExpiry() -> Double? { queue.nextBackoffExpiry() }

    /// When `flushQueues` next has something to do: the earliest back-off expiry or the earliest
    /// time an unschedulable pod reaches the flush interval.
    public func nextFlushTime() -> Double? {
        [queue.nextBackoffExpiry(), queue.nextUnschedulableFlush()].compactMap { $0 }.min()
    }

    /// How many pods wait in each queue (for metrics and tests).
    public func pendingPodCounts() -> (active: Int, backoff: Int, unschedulable: Int) {
        (queue.pods.values.filter { $0.location == .active }.count, queue.backoffCount, queue.unschedulableCount)
    }

    /// Suspends until the active queue is non-empty, the queues changed (a pod was added, moved
    /// or requeued), or the next flush is due (`nextFlushTime`, slept in real time). Returns at
    /// once when the task is cancelled. The runtime loops:
    /// `flushQueues()`, `while await scheduleOne() {}`, `await waitForWork()`.
    public func waitForWork() async {
        if queue.hasActivePods || Task.isCancelled { return }
        let id = nextWaiterID
        nextWaiterID += 1
        if let due = nextFlushTime() {
            let seconds = max(due - clock.now(), 0) + 0.001
            waiterTimers[id] = Task {
                try? await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400) * 1_000_000_000))
                self.resumeWaiter(id)
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled || queue.hasActivePods {
                    continuation.resume()
                    waiterTimers.removeValue(forKey: id)?.cancel()
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.resumeWaiter(id) }
        }
    }

    /// Waits until every binding started so far has finished (tests, shutdown).
    public func waitForBindings() async {
        while let binding = bindings.values.first { await binding.value }
    }

    private func resumeWaiter(_ id: Int) {
        waiterTimers.removeValue(forKey: id)?.cancel()
        waiters.removeValue(forKey: id)?.resume()
    }

    func signalWork() {
        guard !waiters.isEmpty else { return }
        let pending = waiters
        waiters = [:]
        for continuation in pending.values { continuation.resume() }
        for timer in waiterTimers.values { timer.cancel() }
        waiterTimers = [:]
    }
}
