import ApusMachinery

/// What the node lifecycle controller remembers about a node's health signals. Timestamps are the
/// controller's own clock when it saw a signal change, never the kubelet's, so clock skew between
/// machines does not matter.
struct NodeHealthRecord: Sendable {
    var probeTimestamp: Double
    var readyTransitionTimestamp: Double
    /// The node status last seen (its Ready condition tells whether the kubelet posted again).
    var status: JSON
    /// The renewTime of the node's Lease last seen.
    var leaseRenewTime: Double?
}

/// One look at a node's health (tryUpdateNodeHealth): whether its kubelet posted status or renewed
/// its Lease within the grace period, and if not the node with its conditions set to Unknown.
struct NodeHealthCheck: Sendable {
    var gracePeriod: Double
    /// The Ready condition before this check (a synthetic Unknown one when the kubelet never posted).
    var observedReady: JSON
    /// The Ready condition after it (nil while the kubelet never posted and the grace period lasts).
    var currentReady: JSON?
    var record: NodeHealthRecord
    /// The node with its conditions marked Unknown, to be written with a status update.
    var nodeToWrite: JSON?
    /// The Lease renewTime seen during this check.
    var leaseRenewTime: Double?
}

enum NodeHealthEvaluation {
    /// Conditions the controller sets to Unknown when the kubelet goes silent
    /// (NetworkUnavailable belongs to the network provider and stays as it is).
    static let conditionTypes = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]

    static func evaluate(node: JSON, record previous: NodeHealthRecord?, lease: JSON?, now: Double,
                         startupGracePeriod: Double, monitorGracePeriod: Double) -> NodeHealthCheck {
        let status = node["status"]
        let created = node["metadata"]["creationTimestamp"]
        let createdAt = created.string.flatMap(Timestamp.parse) ?? now
        let currentReady = ClusterLoopSupport.condition("Ready", of: node)
        var record = previous
        let observedReady: JSON
        let gracePeriod: Double
        if let currentReady {
            observedReady = currentReady
            gracePeriod = monitorGracePeriod
        } else {
            // The kubelet never posted: pretend a Ready=Unknown posted at creation, and give the
            // node the (longer) startup grace period from its creation.
            observedReady = ["type": "Ready", "status": "Unknown", "lastHeartbeatTime": created, "lastTransitionTime": created]
            gracePeriod = startupGracePeriod
            if record != nil {
                record?.status = status
            } else {
                record = NodeHealthRecord(probeTimestamp: createdAt, readyTransitionTimestamp: createdAt, status: status)
            }
        }

        let savedReady = record.flatMap { ClusterLoopSupport.condition("Ready", of: ["status": $0.status]) }
        let savedLease = record?.leaseRenewTime
        var health: NodeHealthRecord
        if let record {
            health = record
            if savedReady == nil, currentReady != nil {
                health = NodeHealthRecord(probeTimestamp: now, readyTransitionTimestamp: now, status: status)
            } else if savedReady != nil, currentReady == nil {
                health = NodeHealthRecord(probeTimestamp: now, readyTransitionTimestamp: now, status: status)
            } else if let savedReady, let currentReady, savedReady["lastHeartbeatTime"] != currentReady["lastHeartbeatTime"] {
                let transition = savedReady["lastTransitionTime"] != currentReady["lastTransitionTime"] ? now : record.readyTransitionTimestamp
                health = NodeHealthRecord(probeTimestamp: now, readyTransitionTimestamp: transition, status: status)
            }
        } else {
            health = NodeHealthRecord(probeTimestamp: now, readyTransitionTimestamp: now, status: status)
        }

        // A renewed Lease counts as a heartbeat even when the status is not posted again.
        let renewed = lease.flatMap { $0["spec"]["renewTime"].string.flatMap(Timestamp.parse) }
        if let renewed, savedLease.map({ $0 < renewed }) ?? true {
            health.leaseRenewTime = renewed
            health.probeTimestamp = now
        }

        var check = NodeHealthCheck(gracePeriod: gracePeriod, observedReady: observedReady, currentReady: currentReady,
                                    record: health, nodeToWrite: nil, leaseRenewTime: renewed)
        guard now > health.probeTimestamp + gracePeriod else { return check }

        var conditions = status["conditions"].array ?? []
        for type in conditionTypes {
            if let index = ClusterLoopSupport.index(ofCondition: type, in: conditions) {
                if conditions[index]["status"].string != "Unknown" {
                    conditions[index]["status"] = "Unknown"
                    conditions[index]["reason"] = "NodeStatusUnknown"
                    conditions[index]["message"] = "Kubelet stopped posting node status."
                    conditions[index]["lastTransitionTime"] = ClusterLoopSupport.time(now)
                }
            } else {
                conditions.append(["type": .string(type), "status": "Unknown", "reason": "NodeStatusNeverUpdated",
                                   "message": "Kubelet never posted node status.", "lastHeartbeatTime": created,
                                   "lastTransitionTime": ClusterLoopSupport.time(now)])
            }
        }
        let newReady = conditions.first { $0["type"].string == "Ready" }
        check.currentReady = newReady
        if newReady != observedReady {
            var updated = node
            updated[path: ["status", "conditions"]] = .array(conditions)
            check.nodeToWrite = updated
        }
        return check
    }
}
