import ApusMachinery

/// Pods waiting to be scheduled, as Kubernetes' priority queue keeps them:
/// - active: ready, ordered by priority (higher first) then by when they were queued;
/// - backoff: failed recently, waiting out their exponential back-off;
/// - unschedulable: failed and waiting for a cluster event that may help them (or the flush);
/// - in flight: popped and being scheduled or bound.
/// Pods with scheduling gates wait outside all of these until the gates are removed.
struct SchedulingQueue {
    enum Location: Equatable {
        case active, backoff, unschedulable, inFlight, gated
    }

    struct QueuedPod {
        var pod: SchedulingPod
        /// When the pod was last (re)queued; orders equal priorities and starts back-off.
        var timestamp: Double
        var attempts = 0
        var unschedulablePlugins: Set<String> = []
        var location: Location
        /// Identifies the current heap entry (stale entries are skipped).
        var generation: UInt64 = 0
        /// Index into the event log when the pod was popped.
        var inFlightSince = 0
        var updatedWhileInFlight = false
    }

    private struct Entry {
        var uid: String
        var generation: UInt64
        var priority: Int32
        var timestamp: Double
        var expiry: Double
    }

    private(set) var pods: [String: QueuedPod] = [:]
    private var active = Heap<Entry> { a, b in
        if a.priority != b.priority { return a.priority > b.priority }
        if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
        return a.generation < b.generation
    }
    private var backoff = Heap<Entry> { a, b in
        a.expiry != b.expiry ? a.expiry < b.expiry : a.generation < b.generation
    }
    private var unschedulable: Set<String> = []
    private var activeCount = 0
    private var nextGeneration: UInt64 = 0
    /// Events seen while pods were in flight, so a failed pod can tell whether one may help it.
    private var eventLog: [ClusterEvent] = []
    private var eventLogBase = 0
    private var inFlight: Set<String> = []

    var backoffPolicy: BackoffPolicy
    var maxInUnschedulableDuration: Double

    init(backoffPolicy: BackoffPolicy = BackoffPolicy(), maxInUnschedulableDuration: Double = 300) {
        self.backoffPolicy = backoffPolicy
        self.maxInUnschedulableDuration = maxInUnschedulableDuration
    }

    var hasActivePods: Bool { activeCount > 0 }
    var unschedulableCount: Int { unschedulable.count }
    var backoffCount: Int { pods.values.filter { $0.location == .backoff }.count }

    func location(of uid: String) -> Location? { pods[uid]?.location }

    // MARK: Informer side

    /// A new pending pod: straight to active (or gated).
    mutating func add(_ pod: SchedulingPod, now: Double) {
        if pods[pod.uid] != nil {
            update(pod, now: now)
            return
        }
        // Starts as gated; `pushActive` then counts it as active.
        pods[pod.uid] = QueuedPod(pod: pod, timestamp: now, location: .gated)
        if !pod.isSchedulingGated { pushActive(pod.uid) }
    }

    /// A newer version of a queued pod. An unschedulable pod whose spec changed is retried.
    mutating func update(_ pod: SchedulingPod, now: Double) {
        guard var queued = pods[pod.uid] else {
            add(pod, now: now)
            return
        }
        let changed = Self.specChanged(queued.pod, pod)
        queued.pod = pod
        pods[pod.uid] = queued
        switch queued.location {
        case .active:
            if changed { pushActive(pod.uid) }
        case .backoff, .inFlight:
            if queued.location == .inFlight && changed { pods[pod.uid]?.updatedWhileInFlight = true }
        case .unschedulable:
            if changed { moveToActiveOrBackoff(pod.uid, now: now) }
        case .gated:
            if !pod.isSchedulingGated {
                pods[pod.uid]?.timestamp = now
                pushActive(pod.uid)
            }
        }
    }

    mutating func delete(uid: String) {
        guard let queued = pods.removeValue(forKey: uid) else { return }
        switch queued.location {
        case .active: activeCount -= 1
        case .unschedulable: unschedulable.remove(uid)
        case .inFlight: finishFlight(uid)
        case .backoff, .gated: break
        }
    }

    // MARK: Scheduling side

    /// The next pod to schedule; it stays "in flight" until `done` or `requeue`.
    mutating func pop() -> QueuedPod? {
        while let entry = active.popFirst() {
            guard var queued = pods[entry.uid], queued.location == .active, queued.generation == entry.generation else { continue }
            activeCount -= 1
            queued.location = .inFlight
            queued.attempts += 1
            queued.inFlightSince = eventLogBase + eventLog.count
            queued.updatedWhileInFlight = false
            pods[entry.uid] = queued
            inFlight.insert(entry.uid)
            return queued
        }
        return nil
    }

    /// The pod was bound (or is gone): forget it.
    mutating func done(uid: String) {
        guard pods[uid]?.location == .inFlight else { return }
        pods[uid] = nil
        finishFlight(uid)
    }

    /// A scheduling attempt failed. Pods rejected by plugins wait as unschedulable unless an event
    /// during the attempt may have helped; others (errors) back off.
    mutating func requeue(_ pod: SchedulingPod, rejectedBy plugins: Set<String>, now: Double) {
        guard var queued = pods[pod.uid], queued.location == .inFlight else { return }
        queued.pod = pod
        queued.timestamp = now
        queued.unschedulablePlugins = plugins
        let start = max(queued.inFlightSince - eventLogBase, 0)
        let helped = plugins.isEmpty || queued.updatedWhileInFlight
            || eventLog[start...].contains { $0.mayHelp(podRejectedBy: plugins) }
        queued.location = .unschedulable
        pods[pod.uid] = queued
        unschedulable.insert(pod.uid)
        finishFlight(pod.uid)
        if helped { moveToActiveOrBackoff(pod.uid, now: now) }
    }

    /// Moves unschedulable pods some of `events` may help to backoff or active.
    mutating func moveAll(for events: Set<ClusterEvent>, now: Double) {
        if !inFlight.isEmpty { logEvents(events) }
        guard !unschedulable.isEmpty else { return }
        for uid in unschedulable {
            guard let queued = pods[uid] else { continue }
            if events.contains(where: { $0.mayHelp(podRejectedBy: queued.unschedulablePlugins) }) {
                moveToActiveOrBackoff(uid, now: now)
            }
        }
    }

    /// Back-off pods whose back-off has expired become active.
    mutating func flushBackoff(now: Double) {
        while let entry = backoff.first, entry.expiry <= now {
            backoff.popFirst()
            guard let queued = pods[entry.uid], queued.location == .backoff, queued.generation == entry.generation else { continue }
            pushActive(entry.uid)
        }
    }

    /// Unschedulable pods waiting longer than the flush interval (5 minutes) are retried.
    mutating func flushUnschedulable(now: Double) {
        for uid in unschedulable {
            guard let queued = pods[uid], now - queued.timestamp > maxInUnschedulableDuration else { continue }
            moveToActiveOrBackoff(uid, now: now)
        }
    }

    /// When the earliest back-off ends.
    func nextBackoffExpiry() -> Double? {
        var heap = backoff
        while let entry = heap.first {
            if let queued = pods[entry.uid], queued.location == .backoff, queued.generation == entry.generation { return entry.expiry }
            heap.popFirst()
        }
        return nil
    }

    /// When the longest-waiting unschedulable pod is due for the periodic flush.
    func nextUnschedulableFlush() -> Double? {
        unschedulable.compactMap { pods[$0].map { $0.timestamp + maxInUnschedulableDuration } }.min()
    }

    func backoffExpiry(of queued: QueuedPod) -> Double {
        queued.timestamp + backoffPolicy.duration(attempts: queued.attempts)
    }

    // MARK: Internals

    private mutating func moveToActiveOrBackoff(_ uid: String, now: Double) {
        guard let queued = pods[uid] else { return }
        unschedulable.remove(uid)
        let expiry = backoffExpiry(of: queued)
        if expiry > now {
            nextGeneration += 1
            pods[uid]?.location = .backoff
            pods[uid]?.generation = nextGeneration
            backoff.insert(Entry(uid: uid, generation: nextGeneration, priority: queued.pod.priority, timestamp: queued.timestamp, expiry: expiry))
        } else {
            pushActive(uid)
        }
    }

    private mutating func pushActive(_ uid: String) {
        guard let queued = pods[uid] else { return }
        if queued.location != .active { activeCount += 1 }
        if queued.location == .unschedulable { unschedulable.remove(uid) }
        nextGeneration += 1
        pods[uid]?.location = .active
        pods[uid]?.generation = nextGeneration
        active.insert(Entry(uid: uid, generation: nextGeneration, priority: queued.pod.priority, timestamp: queued.timestamp, expiry: 0))
    }

    private mutating func finishFlight(_ uid: String) {
        inFlight.remove(uid)
        if inFlight.isEmpty {
            eventLogBase += eventLog.count
            eventLog.removeAll(keepingCapacity: true)
        }
    }

    /// Keeps the log from growing while pods are always in flight: entries older than the
    /// oldest in-flight pod are dropped.
    private mutating func logEvents(_ events: Set<ClusterEvent>) {
        eventLog.append(contentsOf: events)
        guard eventLog.count > 4096 else { return }
        let oldest = inFlight.compactMap { pods[$0]?.inFlightSince }.min() ?? (eventLogBase + eventLog.count)
        let drop = min(max(oldest - eventLogBase, 0), eventLog.count)
        eventLog.removeFirst(drop)
        eventLogBase += drop
    }

    /// Whether the pod changed in a way that can change where it fits (not status or bookkeeping).
    static func specChanged(_ old: SchedulingPod, _ new: SchedulingPod) -> Bool {
        func stripped(_ pod: JSON) -> JSON {
            var pod = pod
            pod["status"] = .null
            pod[path: ["metadata", "resourceVersion"]] = .null
            pod[path: ["metadata", "generation"]] = .null
            pod[path: ["metadata", "managedFields"]] = .null
            return pod
        }
        return stripped(old.object) != stripped(new.object)
    }
}
