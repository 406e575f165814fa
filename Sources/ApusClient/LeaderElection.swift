import ApusControllerKit
import ApusMachinery
import Foundation
import Logging

/// Leader election on a coordination.k8s.io Lease, as client-go does it: a candidate takes the lease
/// when it is free or expired, the leader renews it every `retryPeriod`, and a leader that cannot
/// renew within `renewDeadline` stops leading before anyone else may take over.
public struct LeaderElection: Sendable {
    public let leases: ResourceClient
    public let namespace: String
    public let name: String
    public let identity: String
    public var leaseDuration: Double = 15
    public var renewDeadline: Double = 10
    public var retryPeriod: Double = 2
    let logger: Logger

    public init(api: APIClient, namespace: String = "kube-system", name: String, identity: String, logger: Logger) {
        leases = ResourceClient(api, .leases, fieldManager: name)
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.logger = logger
    }

    /// Campaigns until cancelled; runs `lead` each time leadership is won and cancels it when lost.
    public func run(lead: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            guard await acquire() else { return }
            logger.info("\(identity) became the leader of \(namespace)/\(name)")
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await lead() }
                group.addTask { await self.renewWhileLeading() }
                // Whichever ends first (leadership lost, or the work returned) ends this term.
                _ = await group.next()
                group.cancelAll()
            }
            logger.info("\(identity) stopped leading \(namespace)/\(name)")
        }
    }

    /// Tries every `retryPeriod` until the lease is ours; false when cancelled.
    func acquire() async -> Bool {
        while !Task.isCancelled {
            if (try? await tryAcquireOrRenew()) == true { return true }
            try? await Task.sleep(for: .seconds(retryPeriod))
        }
        return false
    }

    private func renewWhileLeading() async {
        var lastRenewal = Date()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(retryPeriod))
            if Task.isCancelled { return }
            if (try? await tryAcquireOrRenew()) == true {
                lastRenewal = Date()
            } else if Date().timeIntervalSince(lastRenewal) > renewDeadline {
                logger.warning("\(identity) could not renew \(namespace)/\(name) within \(renewDeadline)s")
                return
            }
        }
    }

    /// One attempt: creates the lease, renews ours, or takes an expired one. Compare-and-swap on
    /// the lease's resourceVersion keeps two candidates from both winning.
    public func tryAcquireOrRenew(now: Date = Date()) async throws(ClientError) -> Bool {
        let stamp = Self.microTime(now)
        let current: JSON
        do {
            current = try await leases.get(name, namespace: namespace)
        } catch {
            guard error.code == 404 else { throw error }
            let lease: JSON = [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": ["name": .string(name), "namespace": .string(namespace)],
                "spec": ["holderIdentity": .string(identity), "leaseDurationSeconds": .int(Int64(leaseDuration)),
                         "acquireTime": .string(stamp), "renewTime": .string(stamp), "leaseTransitions": 0],
            ]
            do {
                _ = try await leases.create(lease, namespace: namespace)
                return true
            } catch {
                if error.code == 409 { return false }
                throw error
            }
        }
        let spec = current["spec"]
        let holder = spec["holderIdentity"].string ?? ""
        if holder != identity, !holder.isEmpty {
            let duration = Double(spec["leaseDurationSeconds"].int ?? Int64(leaseDuration))
            if let renewed = spec["renewTime"].string.flatMap(Self.parseMicroTime), now.timeIntervalSince(renewed) < duration {
                return false
            }
        }
        var next = current
        next[path: ["spec", "holderIdentity"]] = .string(identity)
        next[path: ["spec", "leaseDurationSeconds"]] = .int(Int64(leaseDuration))
        next[path: ["spec", "renewTime"]] = .string(stamp)
        if holder != identity {
            next[path: ["spec", "acquireTime"]] = .string(stamp)
            next[path: ["spec", "leaseTransitions"]] = .int((spec["leaseTransitions"].int ?? 0) + (holder.isEmpty ? 0 : 1))
        }
        do {
            _ = try await leases.update(next)
            return true
        } catch {
            if error.code == 409 { return false }
            throw error
        }
    }

    /// metav1.MicroTime: RFC 3339 with microseconds, UTC.
    static func microTime(_ date: Date) -> String {
        Timestamp.rfc3339Micro(date.timeIntervalSince1970)
    }

    static func parseMicroTime(_ text: String) -> Date? {
        Timestamp.parse(text).map { Date(timeIntervalSince1970: $0) }
    }
}
