import ApusMachinery

/// admissionregistration.k8s.io, flowcontrol.apiserver.k8s.io and apiregistration.k8s.io kinds.
enum AdmissionPrinters {
    static let webhookConfiguration = TablePrinter(
        columns: [
            Columns.name,
            Columns.integer("Webhooks", "Webhooks indicates the number of webhooks registered in this configuration"),
            Columns.age,
        ],
        cells: { object, now in
            [.string(Read.name(object)), .int(Int64(Read.array(object, "webhooks").count)), .string(Read.age(object, now: now))]
        })

    static let validatingAdmissionPolicy = TablePrinter(
        columns: [
            Columns.name,
            Columns.integer("Validations", "Validations indicates the number of validation rules defined in this configuration"),
            Columns.string("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy"),
            Columns.age,
        ],
        cells: { object, now in
            var paramKind = "<unset>"
            if object["spec"]["paramKind"].object != nil {
                paramKind = Read.string(object, "spec", "paramKind", "apiVersion") + "/" + Read.string(object, "spec", "paramKind", "kind")
            }
            return [
                .string(Read.name(object)),
                .int(Int64(Read.array(object, "spec", "validations").count)),
                .string(paramKind),
                .string(Read.age(object, now: now)),
            ]
        })

    static let validatingAdmissionPolicyBinding = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("PolicyName", "PolicyName indicates the policy definition which the policy binding binded to"),
            Columns.string("ParamRef", "ParamRef indicates the param resource which sets the configration param"),
            Columns.age,
        ],
        cells: { object, now in
            var param = "<unset>"
            let reference = object["spec"]["paramRef"]
            if reference.object != nil {
                let name = Read.string(reference, "name"), namespace = Read.string(reference, "namespace")
                if !name.isEmpty {
                    // Without a namespace the parameter may be cluster-scoped, shown as "*".
                    param = (namespace.isEmpty ? "*" : namespace) + "/" + name
                } else if reference["selector"].object != nil {
                    param = LabelSelectorText.render(reference["selector"]) ?? "<invalid>"
                }
            }
            return [
                .string(Read.name(object)),
                .string(Read.string(object, "spec", "policyName")),
                .string(param),
                .string(Read.age(object, now: now)),
            ]
        })

    static let flowSchema = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("PriorityLevel", "`name` is the name of the priority level configuration being referenced."),
            Columns.string("MatchingPrecedence", "`matchingPrecedence` is used to choose among the FlowSchemas that match a given request."),
            Columns.string("DistinguisherMethod", "`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema."),
            Columns.age,
            Columns.string("MissingPL", "references a broken or non-existent PriorityLevelConfiguration"),
        ],
        cells: { object, now in
            let method = Read.optionalString(object, "spec", "distinguisherMethod", "type") ?? "<none>"
            let dangling = Read.condition(Read.array(object, "status", "conditions"), type: "Dangling")
            return [
                .string(Read.name(object)),
                .string(Read.string(object, "spec", "priorityLevelConfiguration", "name")),
                .int(Read.int(object, "spec", "matchingPrecedence")),
                .string(method),
                .string(Read.age(object, now: now)),
                .string(dangling.map { Read.string($0, "status") } ?? "?"),
            ]
        })

    static let priorityLevelConfiguration = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Type", "`type` indicates whether this priority level is subject to limitation on request execution."),
            Columns.string("NominalConcurrencyShares", "`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit."),
            Columns.string("Queues", "`queues` is the number of queues for this priority level."),
            Columns.string("HandSize", "`handSize` is a small positive number that configures the shuffle sharding of requests into queues."),
            Columns.string("QueueLengthLimit", "`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue."),
            Columns.age,
        ],
        cells: { object, now in
            let limited = object["spec"]["limited"]
            var values: [JSON] = [.string("<none>"), .string("<none>"), .string("<none>"), .string("<none>")]
            if limited.object != nil {
                values[0] = .int(Read.int(limited, "nominalConcurrencyShares"))
                let queuing = limited["limitResponse"]["queuing"]
                if queuing.object != nil {
                    values[1] = .int(Read.int(queuing, "queues"))
                    values[2] = .int(Read.int(queuing, "handSize"))
                    values[3] = .int(Read.int(queuing, "queueLengthLimit"))
                }
            }
            return [.string(Read.name(object)), .string(Read.string(object, "spec", "type"))] + values + [.string(Read.age(object, now: now))]
        })

    static let apiService = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Service", "The reference to the service that hosts this API endpoint."),
            Columns.string("Available", "Whether this service is available."),
            Columns.age,
        ],
        cells: { object, now in
            var service = "Local"
            if object["spec"]["service"].object != nil {
                service = Read.string(object, "spec", "service", "namespace") + "/" + Read.string(object, "spec", "service", "name")
            }
            var available = "Unknown"
            if let condition = Read.condition(Read.array(object, "status", "conditions"), type: "Available") {
                let status = Read.string(condition, "status"), reason = Read.string(condition, "reason")
                available = status == "True" || reason.isEmpty ? status : "\(status) (\(reason))"
            }
            return [.string(Read.name(object)), .string(service), .string(available), .string(Read.age(object, now: now))]
        })
}
