import ApusControllerKit
import ApusMachinery

/// One pass of the StatefulSet controller over a set's pods (defaultStatefulSetControl.updateStatefulSet).
/// Pods inside `[start, start+replicas)` are replicas: missing ones are created, failed ones deleted
/// (to be recreated once gone), wrong identities repaired. Pods outside are condemned and deleted,
/// highest ordinal first. Under OrderedReady each step waits for every lower replica to be Running,
/// Ready and available; under Parallel all proceed at once. Last, RollingUpdate replaces one pod at
/// a time from the highest ordinal down to the partition.
extension StatefulSetController {
    struct UpdateOutcome {
        var status: StatefulSetStatusValues
        var error: (any Error)?
    }

    func updatePods(_ set: JSON, current: JSON, update: JSON, collisionCount: Int64, pods: [JSON]) async -> UpdateOutcome {
        let currentSet = SetControllerRevisions.applying(current, to: set)
        let updateSet = SetControllerRevisions.applying(update, to: set)
        let minReady = set["spec"]["minReadySeconds"].int ?? 0
        let now = now
        var status = StatefulSetStatusValues(observedGeneration: set["metadata"]["generation"].int ?? 0,
                                             currentRevision: SetSupport.name(current), updateRevision: SetSupport.name(update),
                                             collisionCount: collisionCount)
        status.count(pods, minReadySeconds: minReady, now: now)

        // Replicas by index (ordinal - start), and the condemned, highest ordinal first.
        let start = StatefulSetPods.startOrdinal(set)
        let count = max(StatefulSetPods.replicas(set), 0)
        var slots = [JSON?](repeating: nil, count: count)
        var condemned: [JSON] = []
        for pod in pods {
            let ordinal = StatefulSetPods.ordinal(pod)
            if StatefulSetPods.inOrdinalRange(pod, of: set) {
                slots[ordinal - start] = pod
            } else if ordinal >= 0 {
                condemned.append(pod)
            }
        }
        let replicas: [JSON] = slots.enumerated().map { index, pod in
            pod ?? StatefulSetPods.newVersionedPod(currentSet: currentSet, updateSet: updateSet,
                                                   currentRevision: SetSupport.name(current), updateRevision: SetSupport.name(update),
                                                   ordinal: start + index)
        }
        condemned.sort { StatefulSetPods.ordinal($0) > StatefulSetPods.ordinal($1) }
        let unavailable = { (pod: JSON) in StatefulSetPods.isUnavailable(pod, minReadySeconds: minReady, now: now) }
        let firstUnavailable = replicas.first(where: unavailable) ?? condemned.reversed().first(where: unavailable)

        if SetSupport.isTerminating(set) { return UpdateOutcome(status: status) }
        let monotonic = set["spec"]["podManagementPolicy"].string != "Parallel"
        func recount() { status.count(replicas + condemned, minReadySeconds: minReady, now: now) }

        var (stop, failure) = await runForAll(replicas.count, monotonic: monotonic) { index in
            await processReplica(set, updateSet: updateSet, monotonic: monotonic, pod: replicas[index], minReady: minReady)
        }
        if stop || failure != nil { recount(); return UpdateOutcome(status: status, error: failure) }

        (stop, failure) = await runForAll(condemned.count, monotonic: monotonic) { index in
            if await podControl.claimsMatchRetentionPolicy(updateSet, condemned[index]) { return (false, nil) }
            do {
                try await podControl.updateClaimsForRetentionPolicy(updateSet, condemned[index])
                return (false, nil)
            } catch {
                return (true, error)
            }
        }
        if stop || failure != nil { recount(); return UpdateOutcome(status: status, error: failure) }

        (stop, failure) = await runForAll(condemned.count, monotonic: monotonic) { index in
            await processCondemned(set, pod: condemned[index], firstUnavailable: firstUnavailable, monotonic: monotonic, minReady: minReady)
        }
        recount()
        if stop || failure != nil { return UpdateOutcome(status: status, error: failure) }

        if StatefulSetUpdateStrategy.type(set) == "OnDelete" { return UpdateOutcome(status: status) }
        if maxUnavailableStatefulSet {
            return await rollWithMaxUnavailable(set, replicas: replicas, update: update, status: status, minReady: minReady)
        }
        let updateMin = StatefulSetUpdateStrategy.partition(set) ?? 0
        for target in stride(from: replicas.count - 1, through: max(updateMin, 0), by: -1) {
            let pod = replicas[target]
            if StatefulSetPods.revision(of: pod) != SetSupport.name(update) && !SetSupport.isTerminating(pod) {
                do {
                    try await podControl.deleteStatefulPod(set, pod)
                } catch {
                    if !SetSupport.isNotFound(error) { return UpdateOutcome(status: status, error: error) }
                }
                status.currentReplicas -= 1
                return UpdateOutcome(status: status)
            }
            // Wait for the replaced pod to become available before the next one.
            if unavailable(pod) { return UpdateOutcome(status: status) }
        }
        return UpdateOutcome(status: status)
    }

    /// One replica: delete it when finished, create it when missing, wait for it under OrderedReady,
    /// repair its identity. Returns whether a monotonic pass must stop here.
    private func processReplica(_ set: JSON, updateSet: JSON, monotonic: Bool, pod: JSON, minReady: Int64) async -> (Bool, (any Error)?) {
        // Evicted and node-lost pods end Succeeded too; either way the replica is restarted.
        if StatefulSetPods.isFailed(pod) || StatefulSetPods.isSucceeded(pod) {
            if !SetSupport.isTerminating(pod) {
                do { try await podControl.deleteStatefulPod(set, pod) } catch { return (true, error) }
            }
            // The replacement is created once the old pod is gone.
            return (true, nil)
        }
        if !StatefulSetPods.isCreated(pod) {
            // A claim still owned by a previous pod of this name: wait for its garbage collection.
            if await podControl.podClaimIsStale(set, pod) { return (true, nil) }
            do { try await podControl.createStatefulPod(set, pod) } catch { return (true, error) }
            if monotonic { return (true, nil) }
        }
        if StatefulSetPods.isPending(pod) {
            do { try await podControl.createMissingClaims(set, pod) } catch { return (true, error) }
        }
        if monotonic {
            if SetSupport.isTerminating(pod) || !StatefulSetPods.isRunningAndReady(pod)
                || !StatefulSetPods.isRunningAndAvailable(pod, minReadySeconds: minReady, now: now) {
                return (true, nil)
            }
        }
        let retentionMatches = await podControl.claimsMatchRetentionPolicy(updateSet, pod)
        if StatefulSetPods.identityMatches(set, pod) && StatefulSetPods.storageMatches(set, pod) && retentionMatches {
            return (false, nil)
        }
        do { try await podControl.updateStatefulPod(updateSet, pod) } catch { return (true, error) }
        return (false, nil)
    }

    /// One condemned pod: under OrderedReady deleted only when all others are healthy (or it is the
    /// first unhealthy one) and none is still terminating.
    private func processCondemned(_ set: JSON, pod: JSON, firstUnavailable: JSON?, monotonic: Bool, minReady: Int64) async -> (Bool, (any Error)?) {
        if SetSupport.isTerminating(pod) { return (monotonic, nil) }
        let isFirstUnavailable = firstUnavailable.map { SetSupport.name($0) == SetSupport.name(pod) } ?? false
        if monotonic && !isFirstUnavailable {
            if !StatefulSetPods.isRunningAndReady(pod) || !StatefulSetPods.isRunningAndAvailable(pod, minReadySeconds: minReady, now: now) {
                return (true, nil)
            }
        }
        do {
            try await podControl.deleteStatefulPod(set, pod)
            return (true, nil)
        } catch {
            return (true, error)
        }
    }

    /// In order, stopping at the first that asks to; or in doubling batches, stopping after a batch with
    /// failures (runForAll, slowStartBatch).
    private func runForAll(_ count: Int, monotonic: Bool, _ body: (Int) async -> (Bool, (any Error)?)) async -> (Bool, (any Error)?) {
        if monotonic {
            for index in 0..<count {
                let (stop, failure) = await body(index)
                if stop || failure != nil { return (true, failure) }
            }
            return (false, nil)
        }
        var index = 0
        var batch = min(count, 1)
        while batch > 0 {
            var failures: [any Error] = []
            for _ in 0..<batch {
                if let failure = await body(index).1 { failures.append(failure) }
                index += 1
            }
            if !failures.isEmpty {
                let texts = failures.map(SetSupport.text(of:))
                return (true, failures.count == 1 ? failures[0] : SetSyncError("[" + texts.joined(separator: ", ") + "]"))
            }
            batch = min(2 * batch, count - index, 500)
        }
        return (false, nil)
    }

    /// RollingUpdate with maxUnavailable (the MaxUnavailableStatefulSet feature): replaces up to
    /// maxUnavailable pods at once, counting those already unavailable.
    private func rollWithMaxUnavailable(_ set: JSON, replicas: [JSON], update: JSON, status: StatefulSetStatusValues,
                                        minReady: Int64) async -> UpdateOutcome {
        var status = status
        let updateMin = StatefulSetUpdateStrategy.partition(set) ?? 0
        guard let maxUnavailable = StatefulSetUpdateStrategy.maxUnavailable(set, replicas: StatefulSetPods.replicas(set)) else {
            return UpdateOutcome(status: status, error: SetSyncError("invalid value for MaxUnavailable"))
        }
        let now = now
        let unavailable = replicas.filter { StatefulSetPods.isUnavailable($0, minReadySeconds: minReady, now: now) }.count
        if unavailable >= maxUnavailable { return UpdateOutcome(status: status) }
        var deleted = 0
        for target in stride(from: replicas.count - 1, through: max(updateMin, 0), by: -1) where deleted < maxUnavailable - unavailable {
            let pod = replicas[target]
            guard StatefulSetPods.revision(of: pod) != SetSupport.name(update), !SetSupport.isTerminating(pod) else { continue }
            do {
                try await podControl.deleteStatefulPod(set, pod)
            } catch {
                if !SetSupport.isNotFound(error) { return UpdateOutcome(status: status, error: error) }
            }
            deleted += 1
            status.currentReplicas -= 1
        }
        return UpdateOutcome(status: status)
    }
}
