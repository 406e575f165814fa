import ApusMachinery

/// TriggerTimeTracker: the time of the oldest change (a pod's Ready transition, or the service's
/// creation) not yet reflected in a service's endpoints, for the
/// `endpoints.kubernetes.io/last-change-trigger-time` annotation.
actor EndpointTriggerTimes {
    private struct ServiceState {
        var serviceTrigger: Double?
        var podTriggers: [String: Double]
    }

    private var states: [String: ServiceState] = [:]

    /// The trigger time to publish for this sync, or nil (then the annotation is removed).
    func compute(serviceKey: String, service: JSON, pods: [JSON]) -> Double? {
        let previous = states[serviceKey]
        var earliestChange: Double?
        var podTriggers: [String: Double] = [:]
        for pod in pods {
            guard let ready = ClusterLoopSupport.condition("Ready", of: pod),
                  let time = ready["lastTransitionTime"].string.flatMap(Timestamp.parse) else { continue }
            let name = pod["metadata"]["name"].string ?? ""
            podTriggers[name] = time
            if time > (previous?.podTriggers[name] ?? -Double.infinity) { earliestChange = min(earliestChange ?? time, time) }
        }
        let created = service["metadata"]["creationTimestamp"].string.flatMap(Timestamp.parse)
        if let created, created > (previous?.serviceTrigger ?? -Double.infinity) {
            earliestChange = min(earliestChange ?? created, created)
        }
        states[serviceKey] = ServiceState(serviceTrigger: created, podTriggers: podTriggers)
        // A service seen for the first time reports its creation.
        if previous == nil { return created }
        return earliestChange
    }

    func forget(serviceKey: String) { states[serviceKey] = nil }
}
