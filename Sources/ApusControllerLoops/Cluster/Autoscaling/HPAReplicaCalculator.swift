import ApusControllerKit
import ApusMachinery
import ApusValidation

/// Kubernetes' ReplicaCalculator: from metric samples to a replica count, leaving out pods that are
/// being deleted or failed, and treating pods without samples (or not yet ready, for cpu)
/// conservatively so they cannot cause a scale in the wrong direction.
struct HPAReplicaCalculator {
    struct Failure: Error, Sendable { var message: String }

    let source: any HPAMetricsSource
    let pods: [JSON]
    let now: Double
    /// `--horizontal-pod-autoscaler-tolerance`.
    var tolerance = 0.1
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
    var cpuInitializationPeriod: Double = 300
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
    var initialReadinessDelay: Double = 30

    /// GetResourceReplicas (utilization target): (replicas, utilization %, average raw usage).
    func resourceReplicas(current: Int64, targetUtilization: Int64, resource: String, namespace: String, selector: LabelSelector,
                          container: String?) async throws(Failure) -> (replicas: Int64, utilization: Int64, raw: Int64) {
        var samples: [String: HPAPodSample]
        do {
            samples = try await source.resourceMetrics(resource, namespace: namespace, selector: selector, container: container)
        } catch {
            throw Failure(message: "unable to get metrics for resource \(resource): \(error.message)")
        }
        guard !pods.isEmpty else { throw Failure(message: "no pods returned by selector while calculating replica count") }
        let groups = group(samples: samples, resource: resource)
        for name in groups.ignored.union(groups.unready) { samples[name] = nil }
        let requests = try podRequests(resource: resource, container: container)
        guard !samples.isEmpty else { throw Failure(message: "did not receive metrics for targeted pods (pods might be unready)") }
        let (ratio, utilization, raw) = try utilizationRatio(samples, requests: requests, target: targetUtilization)
        let scaleUpWithUnready = !groups.unready.isEmpty && ratio > 1
        if !scaleUpWithUnready && groups.missing.isEmpty {
            if abs(1 - ratio) <= tolerance { return (current, utilization, raw) }
            return (Int64((ratio * Double(groups.readyCount)).rounded(.up)), utilization, raw)
        }
        if !groups.missing.isEmpty {
            // Scaling down, missing pods count as fully used; scaling up, as idle.
            let fallback = max(100, targetUtilization)
            for name in groups.missing {
                samples[name] = HPAPodSample(milliValue: ratio < 1 ? (requests[name] ?? 0) * fallback / 100 : 0, timestamp: now)
            }
        }
        if scaleUpWithUnready { for name in groups.unready { samples[name] = HPAPodSample(milliValue: 0, timestamp: now) } }
        let newRatio = try utilizationRatio(samples, requests: requests, target: targetUtilization).ratio
        return (rebalanced(current: current, ratio: ratio, newRatio: newRatio, count: samples.count), utilization, raw)
    }

    /// GetRawResourceReplicas / GetMetricReplicas (average value target): (replicas, average usage).
    func plainReplicas(_ samples: [String: HPAPodSample], current: Int64, targetUsage: Int64, resource: String) throws(Failure) -> (replicas: Int64, usage: Int64) {
        var samples = samples
        guard !pods.isEmpty else { throw Failure(message: "no pods returned by selector while calculating replica count") }
        let groups = group(samples: samples, resource: resource)
        for name in groups.ignored.union(groups.unready) { samples[name] = nil }
        guard !samples.isEmpty else { throw Failure(message: "did not receive metrics for targeted pods (pods might be unready)") }
        let (ratio, usage) = usageRatio(samples, target: targetUsage)
        let scaleUpWithUnready = !groups.unready.isEmpty && ratio > 1
        if !scaleUpWithUnready && groups.missing.isEmpty {
            if abs(1 - ratio) <= tolerance { return (current, usage) }
            return (Int64((ratio * Double(groups.readyCount)).rounded(.up)), usage)
        }
        for name in groups.missing { samples[name] = HPAPodSample(milliValue: ratio < 1 ? targetUsage : 0, timestamp: now) }
        if scaleUpWithUnready { for name in groups.unready { samples[name] = HPAPodSample(milliValue: 0, timestamp: now) } }
        let newRatio = usageRatio(samples, target: targetUsage).ratio
        return (rebalanced(current: current, ratio: ratio, newRatio: newRatio, count: samples.count), usage)
    }

    /// getUsageRatioReplicaCount: for object and external metrics.
    func usageRatioReplicas(current: Int64, ratio: Double) throws(Failure) -> Int64 {
        guard current != 0 else { return Int64(ratio.rounded(.up)) }
        if abs(1 - ratio) <= tolerance { return current }
        guard !pods.isEmpty else {
            throw Failure(message: "unable to calculate ready pods: no pods returned by selector while calculating replica count")
        }
        let ready = pods.filter { PodState.phase($0) == "Running" && PodState.isReady($0) }.count
        return Int64((ratio * Double(ready)).rounded(.up))
    }

    /// Per-pod targets (object and external AverageValue): (replicas, usage per pod).
    func perPodReplicas(usage: Int64, statusReplicas: Int64, targetPerPod: Int64) -> (replicas: Int64, usage: Int64) {
        var replicas = statusReplicas
        let ratio = Double(usage) / (Double(targetPerPod) * Double(replicas))
        if abs(1 - ratio) > tolerance { replicas = Int64((Double(usage) / Double(targetPerPod)).rounded(.up)) }
        return (replicas, Int64((Double(usage) / Double(statusReplicas)).rounded(.up)))
    }

    private func rebalanced(current: Int64, ratio: Double, newRatio: Double, count: Int) -> Int64 {
        if abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1) { return current }
        let replicas = Int64((newRatio * Double(count)).rounded(.up))
        if (newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current) { return current }
        return replicas
    }

    private struct Groups {
        var readyCount = 0
        var unready: Set<String> = []
        var missing: Set<String> = []
        var ignored: Set<String> = []
    }

    /// groupPods.
    private func group(samples: [String: HPAPodSample], resource: String) -> Groups {
        var groups = Groups()
        for pod in pods {
            let name = pod["metadata"]["name"].string ?? ""
            let phase = PodState.phase(pod)
            if PodState.isTerminating(pod) || phase == "Failed" { groups.ignored.insert(name); continue }
            if phase == "Pending" { groups.unready.insert(name); continue }
            guard let sample = samples[name] else { groups.missing.insert(name); continue }
            if resource == "cpu" {
                let ready = PodState.condition(pod, "Ready")
                let started = pod["status"]["startTime"].string.flatMap(Timestamp.parse)
                var unready = true
                if let ready, let started {
                    let transition = ready["lastTransitionTime"].string.flatMap(Timestamp.parse) ?? 0
                    if started + cpuInitializationPeriod > now {
                        unready = ready["status"].string == "False" || sample.timestamp < transition + sample.window
                    } else {
                        unready = ready["status"].string == "False" && started + initialReadinessDelay > transition
                    }
                }
                if unready { groups.unready.insert(name); continue }
            }
            groups.readyCount += 1
        }
        return groups
    }

    /// calculatePodRequests: each pod's request for the resource (one container, or all containers
    /// and sidecars), in thousandths.
    private func podRequests(resource: String, container: String?) throws(Failure) -> [String: Int64] {
        var requests: [String: Int64] = [:]
        for pod in pods {
            let name = pod["metadata"]["name"].string ?? ""
            let sidecars = (pod["spec"]["initContainers"].array ?? []).filter { $0["restartPolicy"].string == "Always" }
            var sum: Int64 = 0
            for spec in (pod["spec"]["containers"].array ?? []) + sidecars where container == nil || spec["name"].string == container {
                guard let text = spec["resources"]["requests"][resource].string ?? spec["resources"]["requests"][resource].int.map(String.init),
                      let quantity = try? Quantity.parse(text) else {
                    throw Failure(message: "missing request for \(resource) in container \(spec["name"].string ?? "") of Pod \(name)")
                }
                sum += quantity.milliValue
            }
            requests[name] = sum
        }
        return requests
    }

    /// GetResourceUtilizationRatio.
    private func utilizationRatio(_ samples: [String: HPAPodSample], requests: [String: Int64],
                                  target: Int64) throws(Failure) -> (ratio: Double, utilization: Int64, raw: Int64) {
        var usage: Int64 = 0, requested: Int64 = 0, count: Int64 = 0
        for (name, sample) in samples {
            guard let request = requests[name] else { continue }
            usage += sample.milliValue
            requested += request
            count += 1
        }
        guard requested != 0 else { throw Failure(message: "no metrics returned matched known pods") }
        let utilization = usage * 100 / requested
        return (Double(utilization) / Double(target), utilization, usage / count)
    }

    /// GetMetricUsageRatio.
    private func usageRatio(_ samples: [String: HPAPodSample], target: Int64) -> (ratio: Double, usage: Int64) {
        let total = samples.values.reduce(Int64(0)) { $0 + $1.milliValue }
        let average = total / Int64(max(1, samples.count))
        return (Double(average) / Double(target), average)
    }
}
