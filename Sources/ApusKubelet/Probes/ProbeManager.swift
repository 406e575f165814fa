import ApusControllerKit
import ApusMachinery

/// Runs the probes of the node's running containers, one worker per container and probe kind, as
/// the kubelet's probe manager does, and keeps each worker's latest result for the pod's status
/// (started, ready) and for the sync (which kills a container whose liveness or startup failed).
///
/// A worker belongs to one container instance (its runtime ID): a restarted container gets new
/// workers with fresh results.
actor ProbeManager {
    enum Result: Sendable, Equatable { case unknown, success, failure }

    /// A running container whose probes should run.
    struct Target: Sendable {
        var pod: JSON
        var containerID: String
        var container: JSON
        var podIP: String
        /// When the container started (seconds since 1970): initial delays count from it.
        var startedAt: Double
    }

    /// What the probes say about one container instance.
    struct ContainerState: Sendable, Equatable {
        /// Its startup probe succeeded, or it has none.
        var started: Bool
        /// Started, and its readiness probe succeeded, or it has none.
        var ready: Bool
        /// The probe whose failure means the container must be killed and restarted.
        var failed: ProbeSettings.Kind?
    }

    private struct WorkerKey: Hashable {
        var containerID: String
        var kind: ProbeSettings.Kind
    }

    private var workers: [WorkerKey: (podKey: String, task: Task<Void, Never>)] = [:]
    private var results: [WorkerKey: Result] = [:]
    private var enqueue: (@Sendable (String) async -> Void)?
    private let prober: Prober
    private let events: any EventSink
    private let now: @Sendable () -> Double

    init(prober: Prober, events: any EventSink, now: @escaping @Sendable () -> Double) {
        self.prober = prober
        self.events = events
        self.now = now
    }

    /// Where a changed result sends the pod's key (the kubelet's work queue).
    func setEnqueue(_ enqueue: @escaping @Sendable (String) async -> Void) {
        self.enqueue = enqueue
    }

    /// Makes the pod's workers those of `targets`: starts the missing ones and stops those of
    /// containers no longer listed.
    func sync(podKey: String, targets: [Target]) {
        let wanted = Set(targets.map(\.containerID))
        for (key, worker) in workers where worker.podKey == podKey && !wanted.contains(key.containerID) {
            stopWorker(key)
        }
        for target in targets {
            for kind in ProbeSettings.Kind.allCases {
                guard let settings = ProbeSettings(target.container, kind: kind) else { continue }
                let key = WorkerKey(containerID: target.containerID, kind: kind)
                guard workers[key] == nil, results[key] == nil else { continue }
                // Kubernetes' initial results: alive until shown otherwise, not ready, not yet started.
                results[key] = kind == .liveness ? .success : (kind == .readiness ? .failure : .unknown)
                let task = Task { await self.work(key, settings: settings, target: target, podKey: podKey) }
                workers[key] = (podKey, task)
            }
        }
    }

    /// Stops every worker of the pod.
    func stop(podKey: String) {
        for (key, worker) in workers where worker.podKey == podKey { stopWorker(key) }
    }

    /// Stops the workers of these container instances.
    func stop(containers: Set<String>) {
        for key in workers.keys where containers.contains(key.containerID) { stopWorker(key) }
    }

    private func stopWorker(_ key: WorkerKey) {
        workers[key]?.task.cancel()
        workers[key] = nil
        results[key] = nil
    }

    func state(of containerID: String) -> ContainerState {
        let startup = results[WorkerKey(containerID: containerID, kind: .startup)]
        let readiness = results[WorkerKey(containerID: containerID, kind: .readiness)]
        let liveness = results[WorkerKey(containerID: containerID, kind: .liveness)]
        let started = startup == nil || startup == .success
        var failed: ProbeSettings.Kind?
        if startup == .failure { failed = .startup } else if liveness == .failure { failed = .liveness }
        return ContainerState(started: started, ready: started && (readiness == nil || readiness == .success), failed: failed)
    }

    private func result(_ key: WorkerKey) -> Result? { results[key] }

    /// Records a worker's new result; true when it changed.
    private func set(_ key: WorkerKey, _ value: Result) -> Bool {
        guard workers[key] != nil, results[key] != value else { return false }
        results[key] = value
        return true
    }

    /// One worker: waits out the initial delay, then probes every period, and changes its result
    /// after successThreshold successes or failureThreshold failures in a row.
    private nonisolated func work(_ key: WorkerKey, settings: ProbeSettings, target: Target, podKey: String) async {
        let first = target.startedAt + settings.initialDelaySeconds
        if first > now() { try? await Task.sleep(for: .seconds(first - now())) }
        var successes = 0, failures = 0
        while !Task.isCancelled {
            // Liveness and readiness wait for the startup probe to succeed.
            if key.kind != .startup, await result(WorkerKey(containerID: key.containerID, kind: .startup)).map({ $0 != .success }) ?? false {
                try? await Task.sleep(for: .seconds(settings.periodSeconds))
                continue
            }
            let outcome = await prober.probe(settings, containerID: key.containerID, container: target.container, podIP: target.podIP)
            if Task.isCancelled { return }
            var value: Result?
            switch outcome {
            case .success:
                successes += 1
                failures = 0
                if successes >= settings.successThreshold { value = .success }
            case .failure(let message), .error(let message):
                failures += 1
                successes = 0
                let verb = if case .error = outcome { "errored" } else { "failed" }
                await events.record(target.pod, type: "Warning", reason: "Unhealthy", message: "\(key.kind.title) probe \(verb): \(message)")
                if failures >= settings.failureThreshold { value = .failure }
            }
            if let value, await set(key, value), let enqueue = await enqueue { await enqueue(podKey) }
            // A failed liveness or startup probe holds until the container is killed; a started
            // container needs its startup probe no more.
            if key.kind != .readiness, value == .failure { return }
            if key.kind == .startup, value == .success { return }
            try? await Task.sleep(for: .seconds(settings.periodSeconds))
        }
    }
}
