import ApusControllerKit
import ApusMachinery
import ApusValidation

/// computeReplicasForMetric for each metric type: a replica proposal with the metric's status, or
/// the error Kubernetes reports together with the ScalingActive condition it would set.
struct HPAMetricEvaluation {
    struct Proposal: Sendable {
        var replicas: Int64
        var metricName: String
        var status: JSON
    }

    struct Failure: Error, Sendable {
        /// The error returned upwards (wrapped by the metric type).
        var message: String
        /// ScalingActive=False reason and message (nil when Kubernetes sets none).
        var condition: (reason: String, message: String)?
    }

    let calculator: HPAReplicaCalculator
    let namespace: String
    let selector: LabelSelector
    let specReplicas: Int64
    let statusReplicas: Int64
    let events: any EventSink
    let hpa: JSON

    func evaluate(_ spec: JSON) async throws(Failure) -> Proposal {
        switch spec["type"].string ?? "" {
        case "Resource":
            let source = spec["resource"]
            let name = source["name"].string ?? ""
            do {
                return try await resource(source, container: nil, kind: "Resource")
            } catch {
                throw await unable("FailedGetResourceMetric", error.message, wrapped: "failed to get \(name) resource metric value: ")
            }
        case "ContainerResource":
            let source = spec["containerResource"]
            let container = source["container"].string ?? ""
            do {
                return try await resource(source, container: container, kind: "ContainerResource")
            } catch {
                throw await unable("FailedGetContainerResourceMetric", error.message, wrapped: "failed to get \(container) container metric value: ")
            }
        case "Pods":
            do {
                return try await pods(spec["pods"])
            } catch {
                throw await unable("FailedGetPodsMetric", error.message, wrapped: "failed to get pods metric value: ")
            }
        case "Object":
            return try await object(spec["object"])
        case "External":
            return try await external(spec["external"])
        case let type:
            throw await unable("InvalidMetricSourceType", "unknown metric source type \"\(type)\"", wrapped: "")
        }
    }

    /// getUnableComputeReplicaCountCondition: a Warning event and the ScalingActive=False condition.
    private func unable(_ reason: String, _ message: String, wrapped prefix: String) async -> Failure {
        await events.record(hpa, type: "Warning", reason: reason, message: message)
        return Failure(message: prefix + message, condition: (reason, "the HPA was unable to compute the replica count: \(message)"))
    }

    private struct Plain: Error { var message: String }

    /// computeStatusForResourceMetricGeneric.
    private func resource(_ source: JSON, container: String?, kind: String) async throws(Plain) -> Proposal {
        let name = source["name"].string ?? ""
        let target = source["target"]
        var status: JSON = ["name": .string(name)]
        if let container { status["container"] = .string(container) }
        let field = kind == "Resource" ? "resource" : "containerResource"
        if let averageValue = Self.milli(target["averageValue"]) {
            let samples: [String: HPAPodSample]
            do {
                samples = try await calculator.source.resourceMetrics(name, namespace: namespace, selector: selector, container: container)
            } catch {
                throw Plain(message: "failed to get \(name) usage: unable to get metrics for resource \(name): \(error.message)")
            }
            do {
                let (replicas, usage) = try calculator.plainReplicas(samples, current: specReplicas, targetUsage: averageValue, resource: name)
                status["current"] = ["averageValue": Self.quantity(usage)]
                return Proposal(replicas: replicas, metricName: "\(name) resource", status: ["type": .string(kind), field: status])
            } catch {
                throw Plain(message: "failed to get \(name) usage: \(error.message)")
            }
        }
        guard let utilization = target["averageUtilization"].int else {
            throw Plain(message: "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set")
        }
        do {
            let result = try await calculator.resourceReplicas(current: specReplicas, targetUtilization: utilization, resource: name,
                                                               namespace: namespace, selector: selector, container: container)
            status["current"] = ["averageUtilization": .int(result.utilization), "averageValue": Self.quantity(result.raw)]
            let metricName = container == nil ? "\(name) resource utilization (percentage of request)"
                : "\(name) container resource utilization (percentage of request)"
            return Proposal(replicas: result.replicas, metricName: metricName, status: ["type": .string(kind), field: status])
        } catch {
            throw Plain(message: "failed to get \(name) utilization: \(error.message)")
        }
    }

    /// computeStatusForPodsMetric (GetMetricReplicas).
    private func pods(_ source: JSON) async throws(Plain) -> Proposal {
        let metric = source["metric"]
        let name = metric["name"].string ?? ""
        let samples: [String: HPAPodSample]
        do {
            samples = try await calculator.source.podsMetric(name, namespace: namespace, selector: selector,
                                                             metricSelector: Self.metricSelector(metric["selector"]))
        } catch {
            throw Plain(message: "unable to get metric \(name): \(error.message)")
        }
        do {
            let (replicas, usage) = try calculator.plainReplicas(samples, current: specReplicas, targetUsage: Self.milli(source["target"]["averageValue"]) ?? 0, resource: "")
            return Proposal(replicas: replicas, metricName: "pods metric \(name)",
                            status: ["type": "Pods", "pods": ["metric": metric, "current": ["averageValue": Self.quantity(usage)]]])
        } catch {
            throw Plain(message: error.message)
        }
    }

    /// computeStatusForObjectMetric.
    private func object(_ source: JSON) async throws(Failure) -> Proposal {
        let metric = source["metric"]
        let name = metric["name"].string ?? ""
        let described = source["describedObject"]
        let target = source["target"]
        func read() async throws(Plain) -> Int64 {
            do {
                return try await calculator.source.objectMetric(name, namespace: namespace, describedObject: described,
                                                                metricSelector: Self.metricSelector(metric["selector"]))
            } catch {
                throw Plain(message: "unable to get metric \(name): \(error.message) on \(described["kind"].string ?? "") \(namespace)/\(described["name"].string ?? "")")
            }
        }
        let outer = "failed to get object metric value: "
        if target["type"].string == "Value", let value = Self.milli(target["value"]) {
            do {
                let usage = try await read()
                let replicas = try ratioReplicas(Double(usage) / Double(value))
                return Proposal(replicas: replicas, metricName: "\(described["kind"].string ?? "") metric \(name)",
                                status: ["type": "Object", "object": ["describedObject": described, "metric": metric,
                                                                      "current": ["value": Self.quantity(usage)]]])
            } catch {
                throw await unable("FailedGetObjectMetric", error.message, wrapped: outer)
            }
        }
        if target["type"].string == "AverageValue", let average = Self.milli(target["averageValue"]) {
            let usage: Int64
            do {
                usage = try await read()
            } catch {
                let failure = await unable("FailedGetObjectMetric", error.message, wrapped: "")
                throw Failure(message: outer + "failed to get \(name) object metric: \(error.message)", condition: failure.condition)
            }
            let (replicas, perPod) = calculator.perPodReplicas(usage: usage, statusReplicas: statusReplicas, targetPerPod: average)
            return Proposal(replicas: replicas, metricName: "external metric \(name)(\(ClusterLoopSupport.describeSelector(metric["selector"])))",
                            status: ["type": "Object", "object": ["metric": metric, "current": ["averageValue": Self.quantity(perPod)]]])
        }
        throw await unable("FailedGetObjectMetric", "invalid object metric source: neither a value target nor an average value target was set", wrapped: outer)
    }

    /// computeStatusForExternalMetric.
    private func external(_ source: JSON) async throws(Failure) -> Proposal {
        let metric = source["metric"]
        let name = metric["name"].string ?? ""
        let target = source["target"]
        let outer = "failed to get \(name) external metric value: "
        let described = ClusterLoopSupport.describeSelector(metric["selector"])
        func read() async throws(Plain) -> Int64 {
            do {
                let values = try await calculator.source.externalMetric(name, namespace: namespace, metricSelector: Self.metricSelector(metric["selector"]))
                return values.reduce(0, +)
            } catch {
                throw Plain(message: "unable to get external metric \(namespace)/\(name)/\(described): \(error.message)")
            }
        }
        if let average = Self.milli(target["averageValue"]) {
            let usage: Int64
            do {
                usage = try await read()
            } catch {
                let failure = await unable("FailedGetExternalMetric", error.message, wrapped: "")
                throw Failure(message: outer + "failed to get \(name) external metric: \(error.message)", condition: failure.condition)
            }
            let (replicas, perPod) = calculator.perPodReplicas(usage: usage, statusReplicas: statusReplicas, targetPerPod: average)
            return Proposal(replicas: replicas, metricName: "external metric \(name)(\(described))",
                            status: ["type": "External", "external": ["metric": metric, "current": ["averageValue": Self.quantity(perPod)]]])
        }
        if let value = Self.milli(target["value"]) {
            do {
                let usage = try await read()
                let replicas = try ratioReplicas(Double(usage) / Double(value))
                return Proposal(replicas: replicas, metricName: "external metric \(name)(\(described))",
                                status: ["type": "External", "external": ["metric": metric, "current": ["value": Self.quantity(usage)]]])
            } catch {
                let failure = await unable("FailedGetExternalMetric", error.message, wrapped: "")
                throw Failure(message: outer + "failed to get external metric \(name): \(error.message)", condition: failure.condition)
            }
        }
        throw await unable("FailedGetExternalMetric", "invalid external metric source: neither a value target nor an average value target was set", wrapped: outer)
    }

    private func ratioReplicas(_ ratio: Double) throws(Plain) -> Int64 {
        do {
            return try calculator.usageRatioReplicas(current: specReplicas, ratio: ratio)
        } catch {
            throw Plain(message: error.message)
        }
    }

    /// A metric selector; none selects everything.
    private static func metricSelector(_ selector: JSON) -> LabelSelector {
        selector.isNull ? .everything : ((try? LabelSelector.from(selector)) ?? .everything)
    }

    /// A Quantity field in thousandths.
    private static func milli(_ value: JSON) -> Int64? {
        guard let text = value.string ?? value.int.map(String.init) ?? value.double.map({ "\($0)" }),
              let quantity = try? Quantity.parse(text) else { return nil }
        return quantity.milliValue
    }

    /// resource.NewMilliQuantity(value, DecimalSI) in canonical form.
    static func quantity(_ milli: Int64) -> JSON {
        .string((try? Quantity.parse("\(milli)m"))?.description ?? "\(milli)m")
    }
}
