import ApusControllerKit
import ApusMachinery

/// The writes the StatefulSet controller makes for one pod (stateful_pod_control.go): its claims
/// before the pod, identity and storage repairs, deletion, each reported as an event on the set
/// ("create Pod web-0 in StatefulSet web successful").
struct StatefulSetPodControl {
    let context: ControllerContext

    var events: any EventSink { context.events("statefulset-controller") }
    private var writer: any ClusterWriter { context.writer }

    /// Creates the pod's missing claims, then the pod, then sets the claims' owners per the retention policy.
    func createStatefulPod(_ set: JSON, _ pod: JSON) async throws {
        do {
            try await createClaims(set, pod)
        } catch {
            await recordPodEvent("create", set, pod, error)
            throw error
        }
        var failure: (any Error)?
        do {
            _ = try await writer.create(.pods, pod)
        } catch {
            // Already there: the cache was behind; the next sync sees it.
            if SetSupport.isAlreadyExists(error) { throw error }
            failure = error
        }
        do {
            try await updateClaimsForRetentionPolicy(set, pod)
        } catch {
            await recordPodEvent("update", set, pod, error)
            throw error
        }
        await recordPodEvent("create", set, pod, failure)
        if let failure { throw failure }
    }

    /// Brings a pod's identity, volumes and claim owners in line with the set; updates it if any changed.
    func updateStatefulPod(_ set: JSON, _ pod: JSON) async throws {
        var pod = pod
        var consistent = true
        if !StatefulSetPods.identityMatches(set, pod) {
            pod = StatefulSetPods.updatingIdentity(set, pod)
            consistent = false
        }
        if !StatefulSetPods.storageMatches(set, pod) {
            pod = StatefulSetPods.updatingStorage(set, pod)
            consistent = false
            do {
                try await createClaims(set, pod)
            } catch {
                await recordPodEvent("update", set, pod, error)
                throw error
            }
        }
        if !(await claimsMatchRetentionPolicy(set, pod)) {
            do {
                try await updateClaimsForRetentionPolicy(set, pod)
            } catch {
                await recordPodEvent("update", set, pod, error)
                throw error
            }
            consistent = false
        }
        if consistent { return }
        do {
            _ = try await writer.update(.pods, pod)
            await recordPodEvent("update", set, pod, nil)
        } catch {
            await recordPodEvent("update", set, pod, error)
            throw error
        }
    }

    func deleteStatefulPod(_ set: JSON, _ pod: JSON) async throws {
        do {
            try await writer.delete(.pods, namespace: SetSupport.namespace(pod), name: SetSupport.name(pod))
            await recordPodEvent("delete", set, pod, nil)
        } catch {
            await recordPodEvent("delete", set, pod, error)
            throw error
        }
    }

    // MARK: Claims

    private func cachedClaim(_ namespace: String, _ name: String) async -> JSON? {
        await context.lister(.persistentVolumeClaims).get(namespace: namespace, name: name)
    }

    /// Creates the claims of the pod that do not exist; a claim being deleted is an error.
    func createClaims(_ set: JSON, _ pod: JSON) async throws {
        var failures: [String] = []
        for (_, claim) in StatefulSetPods.claims(set, ordinal: StatefulSetPods.ordinal(pod)) {
            let name = SetSupport.name(claim)
            if let existing = await cachedClaim(SetSupport.namespace(claim), name) {
                if SetSupport.isTerminating(existing) { failures.append("pvc \(name) is being deleted") }
                continue
            }
            do {
                _ = try await writer.create(.persistentVolumeClaims, claim)
                await recordClaimEvent(set, pod, claim: name, nil)
            } catch {
                // Created by an earlier sync the cache has not caught up with.
                if SetSupport.isAlreadyExists(error) { continue }
                failures.append("failed to create PVC \(name): \(SetSupport.text(of: error))")
                await recordClaimEvent(set, pod, claim: name, error)
            }
        }
        if !failures.isEmpty {
            // utilerrors.NewAggregate's text.
            throw SetSyncError(failures.count == 1 ? failures[0] : "[" + failures.joined(separator: ", ") + "]")
        }
    }

    /// Creates missing claims of a pending pod and fixes their owners.
    func createMissingClaims(_ set: JSON, _ pod: JSON) async throws {
        try await createClaims(set, pod)
        do {
            try await updateClaimsForRetentionPolicy(set, pod)
        } catch {
            await recordPodEvent("update", set, pod, error)
            throw error
        }
    }

    /// Every existing claim of the pod has the owners the retention policy asks for.
    func claimsMatchRetentionPolicy(_ set: JSON, _ pod: JSON) async -> Bool {
        let ordinal = StatefulSetPods.ordinal(pod)
        for template in StatefulSetPods.claimTemplates(set) {
            let name = StatefulSetPods.claimName(template, set: set, ordinal: ordinal)
            guard let claim = await cachedClaim(SetSupport.namespace(set), name) else { continue }
            if !StatefulSetClaimOwnership.isUpToDate(claim, set: set, pod: pod) { return false }
        }
        return true
    }

    /// Rewrites the owners of the pod's claims per the retention policy.
    func updateClaimsForRetentionPolicy(_ set: JSON, _ pod: JSON) async throws {
        let ordinal = StatefulSetPods.ordinal(pod)
        for template in StatefulSetPods.claimTemplates(set) {
            let name = StatefulSetPods.claimName(template, set: set, ordinal: ordinal)
            guard let claim = await cachedClaim(SetSupport.namespace(set), name) else { continue }
            if StatefulSetClaimOwnership.hasUnexpectedController(claim, set: set, pod: pod) {
                // Kubernetes' wording, typo included.
                await events.record(set, type: "Warning", reason: "ConflictingController",
                                    message: "PersistentVolumeClaim \(name) has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim")
            }
            guard !StatefulSetClaimOwnership.isUpToDate(claim, set: set, pod: pod) else { continue }
            let updated = StatefulSetClaimOwnership.updatingReferences(claim, set: set, pod: pod)
            do {
                _ = try await writer.update(.persistentVolumeClaims, updated)
            } catch {
                throw SetSyncError("could not update claim \(name) for delete policy ownerRefs: \(SetSupport.text(of: error))")
            }
        }
    }

    /// With whenScaled Delete, a claim still owned by an earlier pod of the same name blocks the new
    /// pod until the garbage collector has removed it.
    func podClaimIsStale(_ set: JSON, _ pod: JSON) async -> Bool {
        guard StatefulSetClaimOwnership.policy(set).whenScaled != "Retain" else { return false }
        for (_, claim) in StatefulSetPods.claims(set, ordinal: StatefulSetPods.ordinal(pod)) {
            guard let existing = await cachedClaim(SetSupport.namespace(claim), SetSupport.name(claim)) else { continue }
            if StatefulSetClaimOwnership.hasStaleReference(existing, to: pod, apiVersion: "v1", kind: "Pod") { return true }
        }
        return false
    }

    // MARK: Events

    private func recordPodEvent(_ verb: String, _ set: JSON, _ pod: JSON, _ error: (any Error)?) async {
        let subject = "\(verb) Pod \(SetSupport.name(pod)) in StatefulSet \(SetSupport.name(set))"
        if let error {
            await events.record(set, type: "Warning", reason: "Failed" + Self.title(verb),
                                message: "\(subject) failed error: \(SetSupport.text(of: error))")
        } else {
            await events.record(set, type: "Normal", reason: "Successful" + Self.title(verb), message: "\(subject) successful")
        }
    }

    /// strings.Title of a one-word verb.
    private static func title(_ verb: String) -> String { verb.prefix(1).uppercased() + verb.dropFirst() }

    private func recordClaimEvent(_ set: JSON, _ pod: JSON, claim: String, _ error: (any Error)?) async {
        let (podName, setName) = (SetSupport.name(pod), SetSupport.name(set))
        if let error {
            await events.record(set, type: "Warning", reason: "FailedCreate",
                                message: "create Claim \(claim) for Pod \(podName) in StatefulSet \(setName) failed error: \(SetSupport.text(of: error))")
        } else {
            await events.record(set, type: "Normal", reason: "SuccessfulCreate",
                                message: "create Claim \(claim) Pod \(podName) in StatefulSet \(setName) success")
        }
    }
}
