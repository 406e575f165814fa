import ApusControllerKit
import ApusMachinery
import ApusPatch

/// Kubernetes' horizontal pod autoscaler controller (`horizontalpodautoscaling`) for autoscaling/v2
/// HPAs on Deployments, ReplicaSets and StatefulSets. Every `resyncPeriod` it reads the target's
/// scale, keeps it within minReplicas..maxReplicas, and otherwise scales it by the metrics its
/// `HPAMetricsSource` provides; without metrics it reports why in conditions and events.
public struct HorizontalPodAutoscalerController: ControlLoop {
    public let name = "horizontalpodautoscaling"

    let context: ControllerContext
    let metrics: any HPAMetricsSource
    let resyncPeriod: Double
    let downscaleStabilization: Double
    let tolerance: Double
    let recommendations = HPARecommendations()

    /// Defaults are kube-controller-manager's (`--horizontal-pod-autoscaler-sync-period=15s`,
    /// `--horizontal-pod-autoscaler-downscale-stabilization=5m`, `--horizontal-pod-autoscaler-tolerance=0.1`).
    public init(context: ControllerContext, metrics: any HPAMetricsSource = HPAUnavailableMetrics(), resyncPeriod: Double = 15,
                downscaleStabilization: Double = 300, tolerance: Double = 0.1) {
        self.context = context
        self.metrics = metrics
        self.resyncPeriod = resyncPeriod
        self.downscaleStabilization = downscaleStabilization
        self.tolerance = tolerance
    }

    public var workers: Int { 5 }

    public var watches: [LoopWatch] {
        [
            .primary(.horizontalPodAutoscalers),
            // Caches only: targets and pods are read on every resync.
            LoopWatch(.deployments) { _, _ in [] },
            LoopWatch(.replicaSets) { _, _ in [] },
            LoopWatch(.statefulSets) { _, _ in [] },
            LoopWatch(.pods) { _, _ in [] },
        ]
    }

    var events: any EventSink { context.events("horizontal-pod-autoscaler") }

    public func sync(_ key: String) async -> SyncResult {
        guard let hpa = await context.lister(.horizontalPodAutoscalers).get(key) else {
            await recommendations.forget(key)
            return .done
        }
        await reconcile(hpa, key: key)
        return .requeue(after: resyncPeriod)
    }

    /// reconcileAutoscaler.
    private func reconcile(_ hpa: JSON, key: String) async {
        let now = context.clock.now()
        let namespace = hpa["metadata"]["namespace"].string ?? ""
        var status = HPAStatusDraft(hpa["status"], now: now)

        let target: HPAScaleTarget
        do {
            target = try await HPAScaleTarget.find(hpa["spec"]["scaleTargetRef"], namespace: namespace, context: context)
        } catch {
            await events.record(hpa, type: "Warning", reason: "FailedGetScale", message: error.message)
            status.setCondition("AbleToScale", "False", "FailedGetScale", "the HPA controller was unable to get the target's current scale: \(error.message)")
            await write(hpa, status)
            return
        }
        status.setCondition("AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale")
        let current = target.specReplicas
        await recommendations.recordInitial(key, replicas: current, now: now)

        let minReplicas = hpa["spec"]["minReplicas"].int ?? 1
        let maxReplicas = hpa["spec"]["maxReplicas"].int ?? 0
        var desired: Int64 = 0
        var reason = ""
        var rescale = true
        var metricStatuses: [JSON]?

        if current == 0 && minReplicas != 0 {
            rescale = false
            status.setCondition("ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero")
        } else if current > maxReplicas {
            reason = "Current number of replicas above Spec.MaxReplicas"
            desired = maxReplicas
        } else if current < minReplicas {
            reason = "Current number of replicas below Spec.MinReplicas"
            desired = minReplicas
        } else {
            let computed = await computeReplicas(hpa, target: target, namespace: namespace, status: &status)
            metricStatuses = computed.statuses
            guard let proposal = computed.replicas else {
                status.setReplicas(current: current, desired: status.desiredReplicas, metrics: metricStatuses)
                await write(hpa, status)
                await events.record(hpa, type: "Warning", reason: "FailedComputeMetricsReplicas", message: computed.error ?? "")
                return
            }
            var metricName = ""
            if proposal > desired {
                desired = proposal
                metricName = computed.metricName
            }
            if desired > current { reason = "\(metricName) above target" }
            if desired < current { reason = "All metrics below target" }
            desired = await normalize(key: key, current: current, proposal: desired, min: minReplicas, max: maxReplicas,
                                      status: &status, now: now)
            rescale = desired != current
        }

        if rescale {
            do {
                _ = try await context.writer.patch(target.resource, namespace: namespace, name: target.name, type: .merge,
                                                   ["spec": ["replicas": .int(desired)]], subresource: "scale")
            } catch {
                let message = ClusterLoopSupport.describe(error)
                await events.record(hpa, type: "Warning", reason: "FailedRescale", message: "New size: \(desired); reason: \(reason); error: \(message)")
                status.setCondition("AbleToScale", "False", "FailedUpdateScale", "the HPA controller was unable to update the target scale: \(message)")
                status.setReplicas(current: current, desired: status.desiredReplicas, metrics: metricStatuses)
                await write(hpa, status)
                return
            }
            status.setCondition("AbleToScale", "True", "SucceededRescale", "the HPA controller was able to update the target scale to \(desired)")
            await events.record(hpa, type: "Normal", reason: "SuccessfulRescale", message: "New size: \(desired); reason: \(reason)")
            status.lastScaleTime = now
        } else {
            desired = current
        }
        status.setReplicas(current: current, desired: desired, metrics: metricStatuses)
        await write(hpa, status)
    }

    /// computeReplicasForMetrics: the highest proposal of the metrics that could be read, or the
    /// first failure when none could (or some failed and the rest would scale down).
    private func computeReplicas(_ hpa: JSON, target: HPAScaleTarget, namespace: String, status: inout HPAStatusDraft) async
        -> (replicas: Int64?, metricName: String, statuses: [JSON]?, error: String?)
    {
        guard let selector = target.selector else {
            await events.record(hpa, type: "Warning", reason: "SelectorRequired", message: "selector is required")
            status.setCondition("ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector")
            return (nil, "", nil, "selector is required")
        }
        // The API server defaults an HPA without metrics to 80% average CPU utilization.
        let specs = hpa["spec"]["metrics"].array ?? [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]]]]
        let pods = await context.lister(.pods).list(namespace: namespace).filter { selector.matches(PodState.labels($0)) }
        let evaluation = HPAMetricEvaluation(
            calculator: HPAReplicaCalculator(source: metrics, pods: pods, now: context.clock.now(), tolerance: tolerance),
            namespace: namespace, selector: selector, specReplicas: target.specReplicas, statusReplicas: target.statusReplicas,
            events: events, hpa: hpa)
        var statuses: [JSON] = []
        var replicas: Int64 = 0
        var metricName = ""
        var invalid = 0
        var firstFailure: HPAMetricEvaluation.Failure?
        for spec in specs {
            do {
                let proposal = try await evaluation.evaluate(spec)
                statuses.append(proposal.status)
                if replicas == 0 || proposal.replicas > replicas {
                    replicas = proposal.replicas
                    metricName = proposal.metricName
                }
            } catch {
                statuses.append(["type": ""])
                if invalid == 0 { firstFailure = error }
                invalid += 1
            }
        }
        let summary = firstFailure.map { "invalid metrics (\(invalid) invalid out of \(specs.count)), first error is: \($0.message)" }
        if invalid >= specs.count || (invalid > 0 && replicas < target.specReplicas) {
            if let condition = firstFailure?.condition {
                status.setCondition("ScalingActive", "False", condition.reason, condition.message)
            }
            return (nil, "", statuses, summary)
        }
        status.setCondition("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from \(metricName)")
        return (replicas, metricName, statuses, summary)
    }

    /// normalizeDesiredReplicas: the downscale stabilization window, then min/max and the scale-up limit.
    private func normalize(key: String, current: Int64, proposal: Int64, min minReplicas: Int64, max maxReplicas: Int64,
                           status: inout HPAStatusDraft, now: Double) async -> Int64 {
        let stabilized = await recommendations.stabilize(key, proposal: proposal, window: downscaleStabilization, now: now)
        if stabilized != proposal {
            status.setCondition("AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
        } else {
            status.setCondition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
        }
        let scaleUpLimit = max(2 * current, 4)
        var limitReason: (String, String)
        let maximum: Int64
        if maxReplicas > scaleUpLimit {
            maximum = scaleUpLimit
            limitReason = ("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
        } else {
            maximum = maxReplicas
            limitReason = ("TooManyReplicas", "the desired replica count is more than the maximum replica count")
        }
        var desired = stabilized
        if stabilized < minReplicas {
            limitReason = ("TooFewReplicas", "the desired replica count is less than the minimum replica count")
            desired = minReplicas
        } else if stabilized > maximum {
            desired = maximum
        } else {
            limitReason = ("DesiredWithinRange", "the desired count is within the acceptable range")
        }
        status.setCondition("ScalingLimited", desired == stabilized ? "False" : "True", limitReason.0, limitReason.1)
        return desired
    }

    /// updateStatusIfNeeded.
    private func write(_ hpa: JSON, _ status: HPAStatusDraft) async {
        let json = status.json
        guard json != hpa["status"] else { return }
        var updated = hpa
        updated["status"] = json
        do {
            _ = try await context.writer.updateStatus(.horizontalPodAutoscalers, updated)
        } catch {
            await events.record(hpa, type: "Warning", reason: "FailedUpdateStatus", message: ClusterLoopSupport.describe(error))
        }
    }
}
