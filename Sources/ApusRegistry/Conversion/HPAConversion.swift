import ApusMachinery

/// autoscaling/v1 HorizontalPodAutoscalers are stored as autoscaling/v2. v1 has room only for a CPU
/// utilization target; as in Kubernetes, everything else (other metrics, behavior, conditions,
/// current metrics) travels in `autoscaling.alpha.kubernetes.io/*` annotations so that a v1 client's
/// read-modify-write loses nothing.
struct HPAConversion: VersionConversion {
    let storage: ResourceDefinition

    static let metricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics"
    static let currentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics"
    static let behaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior"
    static let conditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions"

    func toStorage(_ object: JSON) throws(APIError) -> JSON {
        var hpa = object
        hpa["apiVersion"] = "autoscaling/v2"
        var annotations = object["metadata"]["annotations"].object ?? [:]
        func takeAnnotation(_ key: String) throws(APIError) -> JSON? {
            guard let text = annotations.removeValue(forKey: key)?.string else { return nil }
            do { return try JSON.parse(text) } catch {
                throw APIError.invalid(kind: "HorizontalPodAutoscaler", group: "autoscaling", name: object["metadata"]["name"].string ?? "",
                                       errors: [.invalid("metadata.annotations[\(key)]", .string(text), "must be valid JSON")])
            }
        }
        var metrics: [JSON] = []
        if let percent = object["spec"]["targetCPUUtilizationPercentage"].int {
            metrics.append(Self.cpuMetric(percent))
        }
        metrics += (try takeAnnotation(Self.metricsAnnotation)?.array ?? []).map(MetricShapes.specToV2)
        var spec = object["spec"]
        spec["targetCPUUtilizationPercentage"] = .null
        if !metrics.isEmpty { spec["metrics"] = .array(metrics) }
        if let behavior = try takeAnnotation(Self.behaviorAnnotation) { spec["behavior"] = behavior }
        hpa["spec"] = spec

        var status = object["status"]
        if case .object = status {
            var current: [JSON] = []
            if let percent = status["currentCPUUtilizationPercentage"].int {
                current.append(["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": .int(percent)]]])
            }
            current += (try takeAnnotation(Self.currentMetricsAnnotation)?.array ?? []).map(MetricShapes.statusToV2)
            status["currentCPUUtilizationPercentage"] = .null
            if !current.isEmpty { status["currentMetrics"] = .array(current) }
            if let conditions = try takeAnnotation(Self.conditionsAnnotation) { status["conditions"] = conditions }
            hpa["status"] = status
        } else {
            _ = try takeAnnotation(Self.currentMetricsAnnotation)
            _ = try takeAnnotation(Self.conditionsAnnotation)
        }
        hpa[path: ["metadata", "annotations"]] = annotations.isEmpty ? .null : .object(annotations)
        return hpa
    }

    func fromStorage(_ object: JSON) -> JSON {
        var hpa = object
        hpa["apiVersion"] = "autoscaling/v1"
        var annotations = object["metadata"]["annotations"].object ?? [:]
        var spec = object["spec"]
        var others: [JSON] = []
        for metric in object["spec"]["metrics"].array ?? [] {
            if spec["targetCPUUtilizationPercentage"].isNull, let percent = Self.cpuUtilization(metric) {
                spec["targetCPUUtilizationPercentage"] = .int(percent)
            } else {
                others.append(MetricShapes.toV1(metric, side: "target"))
            }
        }
        if !others.isEmpty { annotations[Self.metricsAnnotation] = .string(JSON.array(others).serializedString) }
        if case .object = spec["behavior"] { annotations[Self.behaviorAnnotation] = .string(spec["behavior"].serializedString) }
        spec["metrics"] = .null
        spec["behavior"] = .null
        hpa["spec"] = spec

        var status = object["status"]
        if case .object = status {
            var current: [JSON] = []
            for metric in status["currentMetrics"].array ?? [] {
                if status["currentCPUUtilizationPercentage"].isNull, metric["type"] == "Resource", metric["resource"]["name"] == "cpu",
                   let percent = metric["resource"]["current"]["averageUtilization"].int {
                    status["currentCPUUtilizationPercentage"] = .int(percent)
                } else {
                    current.append(MetricShapes.toV1(metric, side: "current"))
                }
            }
            if !current.isEmpty { annotations[Self.currentMetricsAnnotation] = .string(JSON.array(current).serializedString) }
            if let conditions = status["conditions"].array, !conditions.isEmpty {
                annotations[Self.conditionsAnnotation] = .string(JSON.array(conditions).serializedString)
            }
            status["currentMetrics"] = .null
            status["conditions"] = .null
            hpa["status"] = status
        }
        if !annotations.isEmpty { hpa[path: ["metadata", "annotations"]] = .object(annotations) }
        return hpa
    }

    static func cpuMetric(_ percent: Int64) -> JSON {
        ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": .int(percent)]]]
    }

    static func cpuUtilization(_ metric: JSON) -> Int64? {
        guard metric["type"] == "Resource", metric["resource"]["name"] == "cpu", metric["resource"]["target"]["type"] == "Utilization" else {
            return nil
        }
        return metric["resource"]["target"]["averageUtilization"].int
    }
}

/// The autoscaling/v1 annotation shapes of v2 metrics (v1 names: `targetAverageUtilization`,
/// `metricName`, `currentAverageValue` …) and back.
enum MetricShapes {
    /// Source member name per metric type.
    static let sources = ["Object": "object", "Pods": "pods", "Resource": "resource", "ContainerResource": "containerResource",
                          "External": "external"]

    /// A v2 metric (spec side "target", status side "current") in its v1 annotation shape: the same
    /// values under v1 names, e.g. `target.averageValue` becomes `targetAverageValue`.
    static func toV1(_ metric: JSON, side: String) -> JSON {
        guard let type = metric["type"].string, let member = sources[type] else { return metric }
        let source = metric[member]
        var v1: JSON = .emptyObject
        for (name, path) in v1Names(type, side: side) { v1[name] = source[path: path] }
        return Self.metric(type, member, v1)
    }

    /// Where each v1 member of a metric source comes from in v2.
    static func v1Names(_ type: String, side: String) -> [(String, [String])] {
        switch type {
        case "Resource", "ContainerResource":
            return [("name", ["name"]), ("container", ["container"]),
                    (side + "AverageUtilization", [side, "averageUtilization"]), (side + "AverageValue", [side, "averageValue"])]
        case "Pods":
            return [("metricName", ["metric", "name"]), ("selector", ["metric", "selector"]), (side + "AverageValue", [side, "averageValue"])]
        case "Object":
            return [("target", ["describedObject"]), ("metricName", ["metric", "name"]), ("selector", ["metric", "selector"]),
                    (side + "Value", [side, "value"]), ("averageValue", [side, "averageValue"])]
        default:  // External
            return [("metricName", ["metric", "name"]), ("metricSelector", ["metric", "selector"]),
                    (side + "Value", [side, "value"]), (side + "AverageValue", [side, "averageValue"])]
        }
    }

    static func specToV2(_ metric: JSON) -> JSON {
        guard let type = metric["type"].string, let member = sources[type] else { return metric }
        let v1 = metric[member]
        var source: JSON = .emptyObject
        var target: JSON = .emptyObject
        switch type {
        case "Resource", "ContainerResource":
            source["name"] = v1["name"]
            source["container"] = v1["container"]
            if !v1["targetAverageUtilization"].isNull {
                target = ["type": "Utilization", "averageUtilization": v1["targetAverageUtilization"]]
            } else {
                target = ["type": "AverageValue", "averageValue": v1["targetAverageValue"]]
            }
        case "Pods":
            source["metric"] = MetricShapes.identifier(v1["metricName"], v1["selector"])
            target = ["type": "AverageValue", "averageValue": v1["targetAverageValue"]]
        case "Object":
            source["describedObject"] = v1["target"]
            source["metric"] = MetricShapes.identifier(v1["metricName"], v1["selector"])
            target = v1["averageValue"].isNull ? ["type": "Value", "value": v1["targetValue"]]
                : ["type": "AverageValue", "averageValue": v1["averageValue"]]
        default:
            source["metric"] = MetricShapes.identifier(v1["metricName"], v1["metricSelector"])
            target = v1["targetAverageValue"].isNull ? ["type": "Value", "value": v1["targetValue"]]
                : ["type": "AverageValue", "averageValue": v1["targetAverageValue"]]
        }
        source["target"] = target
        return Self.metric(type, member, source)
    }


    static func statusToV2(_ metric: JSON) -> JSON {
        guard let type = metric["type"].string, let member = sources[type] else { return metric }
        let v1 = metric[member]
        var source: JSON = .emptyObject
        var current: JSON = .emptyObject
        switch type {
        case "Resource", "ContainerResource":
            source["name"] = v1["name"]
            source["container"] = v1["container"]
            current["averageUtilization"] = v1["currentAverageUtilization"]
            current["averageValue"] = v1["currentAverageValue"]
        case "Pods":
            source["metric"] = MetricShapes.identifier(v1["metricName"], v1["selector"])
            current["averageValue"] = v1["currentAverageValue"]
        case "Object":
            source["describedObject"] = v1["target"]
            source["metric"] = MetricShapes.identifier(v1["metricName"], v1["selector"])
            current["value"] = v1["currentValue"]
            current["averageValue"] = v1["averageValue"]
        default:
            source["metric"] = MetricShapes.identifier(v1["metricName"], v1["metricSelector"])
            current["value"] = v1["currentValue"]
            current["averageValue"] = v1["currentAverageValue"]
        }
        source["current"] = current
        return Self.metric(type, member, source)
    }

    static func identifier(_ name: JSON, _ selector: JSON) -> JSON {
        var metric: JSON = ["name": name]
        metric["selector"] = selector
        return metric
    }
}

extension MetricShapes {
    /// `{"type": type, member: source}` without null members (literals keep them; storage must not).
    static func metric(_ type: String, _ member: String, _ source: JSON) -> JSON {
        var result: JSON = ["type": .string(type)]
        result[member] = source.withoutNulls
        return result
    }
}

private extension JSON {
    var withoutNulls: JSON {
        switch self {
        case .object(let members):
            var result = JSON.emptyObject
            for (key, value) in members where !value.isNull { result[key] = value.withoutNulls }
            return result
        case .array(let items): return .array(items.map(\.withoutNulls))
        default: return self
        }
    }
}
