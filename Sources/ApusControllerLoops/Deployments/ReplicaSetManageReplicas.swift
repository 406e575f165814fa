import ApusControllerKit
import ApusMachinery

extension ReplicaSetController {
    /// Creates or deletes pods so the ReplicaSet has spec.replicas of them; returns the first failure.
    func manageReplicas(_ pods: [JSON], rs: JSON, key: String, allPods: [JSON], now: Double) async -> (any Error)? {
        let diff = pods.count - DeploymentsFields.specReplicas(rs)
        if diff < 0 {
            let count = min(-diff, burstReplicas)
            await expectations.expectCreations(key, count, now: now)
            let (successes, failure) = await Self.slowStartBatch(count) { await createPod(for: rs) }
            // Creations never attempted will never be observed.
            if count - successes > 0 { await expectations.creationObserved(key, count: count - successes) }
            return failure
        }
        if diff > 0 {
            let count = min(diff, burstReplicas)
            let related = await relatedPods(of: rs, allPods: allPods)
            let victims = ReplicaSetPodRanking.podsToDelete(pods, related: related, count: count, now: now)
            await expectations.expectDeletions(key, podKeys: victims.map(ObjectKey.of), now: now)
            let failures = await withTaskGroup(of: (any Error)?.self) { group in
                for pod in victims {
                    group.addTask {
                        guard let error = await deletePod(pod, of: rs) else { return nil }
                        // The deletion will not be observed; a pod already gone is no failure.
                        await expectations.deletionObserved(key, podKey: ObjectKey.of(pod))
                        return (error as? ClientError)?.code == 404 ? nil : error
                    }
                }
                var failures: [any Error] = []
                for await failure in group { if let failure { failures.append(failure) } }
                return failures
            }
            return failures.first
        }
        return nil
    }

    /// Calls `attempt` `count` times in batches of 1, 2, 4 … (each batch concurrently), stopping
    /// after the first batch with a failure. Returns the successes and the first failure.
    static func slowStartBatch(_ count: Int, _ attempt: @escaping @Sendable () async -> (any Error)?) async -> (Int, (any Error)?) {
        var remaining = count
        var successes = 0
        var batch = min(remaining, 1)
        while batch > 0 {
            let size = batch
            let failures = await withTaskGroup(of: (any Error)?.self) { group in
                for _ in 0..<size { group.addTask { await attempt() } }
                var failures: [any Error] = []
                for await failure in group { if let failure { failures.append(failure) } }
                return failures
            }
            successes += size - failures.count
            if let first = failures.first { return (successes, first) }
            remaining -= size
            batch = min(2 * size, remaining)
        }
        return (successes, nil)
    }

    /// Creates one pod from the template; nil on success (or when the namespace is terminating).
    func createPod(for rs: JSON) async -> (any Error)? {
        let pod = PodTemplates.pod(from: rs["spec"]["template"], namespace: DeploymentsFields.namespace(rs), owner: rs,
                                   ownerAPIVersion: Self.apiVersion, ownerKind: Self.kind)
        if PodState.labels(pod).isEmpty { return DeploymentsFailure("unable to create pods, no labels") }
        let events = context.events(Self.component)
        do {
            let created = try await context.writer.create(.pods, pod)
            await events.record(rs, type: "Normal", reason: "SuccessfulCreate", message: "Created pod: \(DeploymentsFields.name(created))")
            return nil
        } catch {
            if DeploymentsErrors.isNamespaceTerminating(error) { return nil }
            await events.record(rs, type: "Warning", reason: "FailedCreate", message: "Error creating: \(DeploymentsFields.message(error))")
            return error
        }
    }

    /// Deletes one pod; nil on success. A 404 comes back as is (the caller ignores it).
    func deletePod(_ pod: JSON, of rs: JSON) async -> (any Error)? {
        let name = DeploymentsFields.name(pod)
        let events = context.events(Self.component)
        do {
            try await context.writer.delete(.pods, namespace: DeploymentsFields.namespace(pod), name: name)
            await events.record(rs, type: "Normal", reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
            return nil
        } catch {
            if error.code == 404 { return error }
            await events.record(rs, type: "Warning", reason: "FailedDelete", message: "Error deleting: \(DeploymentsFields.message(error))")
            return DeploymentsFailure("unable to delete pods: \(DeploymentsFields.message(error))")
        }
    }

    /// The pods of every ReplicaSet controlled by the same owner as `rs` (its siblings in a Deployment).
    func relatedPods(of rs: JSON, allPods: [JSON]) async -> [JSON] {
        guard let ownerUID = OwnerReferences.controller(of: rs)?["uid"].string else { return [] }
        let siblings = await context.lister(.replicaSets).list(namespace: DeploymentsFields.namespace(rs))
            .filter { OwnerReferences.controller(of: $0)?["uid"].string == ownerUID }
        var seen = Set<String>()
        var related: [JSON] = []
        for sibling in siblings {
            guard let selector = try? LabelSelector.from(sibling["spec"]["selector"]) else { continue }
            for pod in allPods where selector.matches(PodState.labels(pod)) && seen.insert(DeploymentsFields.uid(pod)).inserted {
                related.append(pod)
            }
        }
        return related
    }
}

/// How the two controllers recognise particular API failures.
enum DeploymentsErrors {
    /// The namespace is being deleted (a StatusCause NamespaceTerminating): creations are pointless.
    static func isNamespaceTerminating(_ error: any Error) -> Bool {
        guard case .api(let api)? = error as? ClientError else { return false }
        return api.details?.causes.contains { $0.reason == "NamespaceTerminating" } ?? false
    }

    static func isAlreadyExists(_ error: any Error) -> Bool {
        guard case .api(let api)? = error as? ClientError else { return false }
        return api.reason == "AlreadyExists"
    }
}
