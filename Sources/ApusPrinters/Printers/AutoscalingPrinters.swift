import ApusMachinery

/// autoscaling HorizontalPodAutoscalers (v2 fields; v1's targetCPUUtilizationPercentage is understood too).
enum AutoscalingPrinters {
    static let horizontalPodAutoscaler = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Reference", "reference to scaled resource."),
            Columns.string("Targets", "metrics contains the specifications for which to use to calculate the desired replica count."),
            Columns.string("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
            Columns.string("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
            Columns.string("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
            Columns.age,
        ],
        cells: { object, now in
            let spec = object["spec"]
            // The API defaults minReplicas to 1.
            let minPods = Read.optionalInt(spec, "minReplicas") ?? 1
            return [
                .string(Read.name(object)),
                .string(Read.string(spec, "scaleTargetRef", "kind") + "/" + Read.string(spec, "scaleTargetRef", "name")),
                .string(targets(object)),
                .string(String(minPods)),
                .int(Read.int(spec, "maxReplicas")),
                .int(Read.int(object, "status", "currentReplicas")),
                .string(Read.age(object, now: now)),
            ]
        })

    /// The TARGETS column: "cpu: 50%/80%", "<unknown>" current values, two metrics then " + N more...".
    static func targets(_ object: JSON) -> String {
        let (specs, statuses) = metrics(object)
        if specs.isEmpty { return "<none>" }
        var list: [String] = []
        for (index, spec) in specs.enumerated() {
            let status = index < statuses.count ? statuses[index] : JSON.null
            list.append(describe(spec, status: status))
        }
        let shown = list.prefix(2).joined(separator: ", ")
        return list.count > 2 ? "\(shown) + \(list.count - 2) more..." : shown
    }

    private static func describe(_ spec: JSON, status: JSON) -> String {
        switch Read.string(spec, "type") {
        case "External": return valueMetric(spec["external"], status: status["external"])
        case "Object": return valueMetric(spec["object"], status: status["object"])
        case "Pods":
            let current = status["pods"].object != nil ? quantity(status["pods"]["current"]["averageValue"]) : "<unknown>"
            return "\(current)/\(quantity(spec["pods"]["target"]["averageValue"]))"
        case "Resource": return resourceMetric(spec["resource"], status: status["resource"])
        case "ContainerResource": return resourceMetric(spec["containerResource"], status: status["containerResource"])
        default: return "<unknown type>"
        }
    }

    /// External and Object metrics: an average-value target gets " (avg)".
    private static func valueMetric(_ spec: JSON, status: JSON) -> String {
        let target = spec["target"]
        if !target["averageValue"].isNull {
            var current = "<unknown>"
            if status.object != nil, !status["current"]["averageValue"].isNull {
                current = quantity(status["current"]["averageValue"])
            }
            return "\(current)/\(quantity(target["averageValue"])) (avg)"
        }
        let current = status.object != nil ? quantity(status["current"]["value"]) : "<unknown>"
        return "\(current)/\(quantity(target["value"]))"
    }

    private static func resourceMetric(_ spec: JSON, status: JSON) -> String {
        let name = Read.string(spec, "name")
        let target = spec["target"]
        if !target["averageValue"].isNull {
            let current = status.object != nil ? quantity(status["current"]["averageValue"]) : "<unknown>"
            return "\(name): \(current)/\(quantity(target["averageValue"]))"
        }
        var current = "<unknown>"
        if status.object != nil, let utilization = status["current"]["averageUtilization"].int {
            current = "\(utilization)%"
        }
        let goal = target["averageUtilization"].int.map { "\($0)%" } ?? "<auto>"
        return "\(name): \(current)/\(goal)"
    }

    /// Go prints a nil quantity pointer as "<nil>".
    private static func quantity(_ value: JSON) -> String {
        value.isNull ? "<nil>" : Format.quantity(value)
    }

    /// Spec and status metrics in v2 form, converting autoscaling/v1's CPU fields and applying
    /// the API default (80% CPU utilization) when no metric is given.
    private static func metrics(_ object: JSON) -> (specs: [JSON], statuses: [JSON]) {
        var specs = Read.array(object, "spec", "metrics")
        var statuses = Read.array(object, "status", "currentMetrics")
        if specs.isEmpty {
            let target = object["spec"]["targetCPUUtilizationPercentage"].int ?? 80
            specs = [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": .int(target)]]]]
        }
        if statuses.isEmpty, let current = object["status"]["currentCPUUtilizationPercentage"].int {
            statuses = [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": .int(current)]]]]
        }
        return (specs, statuses)
    }
}
