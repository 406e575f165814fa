import ApusMachinery

/// A Deployment's strategy numbers: surge and unavailability budgets with Kubernetes' rounding, the
/// size of a new ReplicaSet, and the optional deadline and history limit.
enum DeploymentStrategy {
    static let rollingUpdate = "RollingUpdate"
    static let recreate = "Recreate"
    private static let maxInt32 = Int64(Int32.max)

    /// spec.strategy.type (apps/v1 defaults it to RollingUpdate).
    static func type(_ d: JSON) -> String { d["spec"]["strategy"]["type"].string ?? rollingUpdate }

    static func isRollingUpdate(_ d: JSON) -> Bool { type(d) == rollingUpdate }

    /// An int-or-percent value scaled against `total`: percentages round up or down, a string that
    /// is not a percentage is invalid (nil).
    static func scaledValue(_ value: JSON, total: Int, roundUp: Bool) -> Int? {
        if let number = value.int { return DeploymentsFields.count(number) }
        guard let text = value.string, text.hasSuffix("%"), let percent = Int64(text.dropLast()) else { return nil }
        let exact = Double(percent) * Double(total) / 100
        let rounded = roundUp ? exact.rounded(.up) : exact.rounded(.down)
        return DeploymentsFields.count(Int64(min(max(rounded, 0), Double(Int32.max))))
    }

    /// maxSurge (rounded up) and maxUnavailable (rounded down) for `desired` replicas. When both come
    /// to zero, one pod may be unavailable, since surging might be blocked by quota.
    static func resolveFenceposts(_ d: JSON, desired: Int) -> (surge: Int, unavailable: Int)? {
        let rolling = d["spec"]["strategy"]["rollingUpdate"]
        let surgeValue = rolling["maxSurge"].isNull ? JSON.string("25%") : rolling["maxSurge"]
        let unavailableValue = rolling["maxUnavailable"].isNull ? JSON.string("25%") : rolling["maxUnavailable"]
        guard let surge = scaledValue(surgeValue, total: desired, roundUp: true),
              var unavailable = scaledValue(unavailableValue, total: desired, roundUp: false)
        else { return nil }
        if surge == 0, unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }

    /// How many pods above spec.replicas a rolling update may run (0 for Recreate).
    static func maxSurge(_ d: JSON) -> Int {
        guard isRollingUpdate(d) else { return 0 }
        return resolveFenceposts(d, desired: DeploymentsFields.specReplicas(d))?.surge ?? 0
    }

    /// How many pods below spec.replicas a rolling update may leave unavailable (at most spec.replicas).
    static func maxUnavailable(_ d: JSON) -> Int {
        let replicas = DeploymentsFields.specReplicas(d)
        guard isRollingUpdate(d), replicas != 0 else { return 0 }
        let unavailable = resolveFenceposts(d, desired: replicas)?.unavailable ?? 0
        return min(unavailable, replicas)
    }

    /// The size a Deployment's new ReplicaSet should have now: for a rolling update as much as the
    /// surge budget allows (never above spec.replicas), for Recreate spec.replicas.
    static func newReplicaSetReplicas(_ d: JSON, allReplicaSets: [JSON], newReplicaSet: JSON) throws -> Int {
        let desired = DeploymentsFields.specReplicas(d)
        let current = DeploymentsFields.specReplicas(newReplicaSet)
        switch type(d) {
        case rollingUpdate:
            let rolling = d["spec"]["strategy"]["rollingUpdate"]
            let surgeValue = rolling["maxSurge"].isNull ? JSON.string("25%") : rolling["maxSurge"]
            guard let surge = scaledValue(surgeValue, total: desired, roundUp: true) else {
                throw DeploymentsFailure("invalid value for IntOrString: invalid type: string is not a percentage")
            }
            let podCount = DeploymentReplicaSets.specReplicasSum(allReplicaSets)
            let maxTotal = desired + surge
            if podCount >= maxTotal { return current }
            return current + min(maxTotal - podCount, desired - current)
        case recreate:
            return desired
        default:
            throw DeploymentsFailure("deployment type \(type(d)) isn't supported")
        }
    }

    /// The new ReplicaSet already has (and believes it should have) all desired pods, all available.
    static func isSaturated(_ d: JSON, _ rs: JSON?) -> Bool {
        guard let rs, let desiredText = DeploymentsFields.annotation(rs, DeploymentRevisions.desiredReplicasAnnotation),
              let desired = Int(desiredText) else { return false }
        let replicas = DeploymentsFields.specReplicas(d)
        return DeploymentsFields.specReplicas(rs) == replicas && desired == replicas
            && DeploymentsFields.status(rs, "availableReplicas") == replicas
    }

    /// spec.progressDeadlineSeconds unless it means "no deadline" (MaxInt32); apps/v1 defaults it to 600.
    static func progressDeadline(_ d: JSON) -> Int64? {
        let seconds = d["spec"]["progressDeadlineSeconds"].int ?? 600
        return seconds == maxInt32 ? nil : seconds
    }

    /// spec.revisionHistoryLimit unless it means "keep all" (MaxInt32); apps/v1 defaults it to 10.
    static func revisionHistoryLimit(_ d: JSON) -> Int? {
        let limit = d["spec"]["revisionHistoryLimit"].int ?? 10
        return limit == maxInt32 ? nil : Int(limit)
    }
}
