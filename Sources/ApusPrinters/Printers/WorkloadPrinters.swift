import ApusMachinery

/// apps/v1 and core replication controllers. A missing `spec.replicas` prints as 1, the API default.
enum WorkloadPrinters {
    static let deployment = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Ready", "Number of the pod with ready state"),
            Columns.string("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            Columns.string("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            Columns.age,
            Columns.containers,
            Columns.images,
            Columns.selector("Label selector for pods."),
        ],
        cells: { object, now in
            let (names, images) = Format.containerCells(Read.array(object, "spec", "template", "spec", "containers"))
            let selector = LabelSelectorText.render(object["spec"]["selector"]) ?? "<invalid>"
            return [
                .string(Read.name(object)),
                .string("\(Read.int(object, "status", "readyReplicas"))/\(desiredReplicas(object))"),
                .int(Read.int(object, "status", "updatedReplicas")),
                .int(Read.int(object, "status", "availableReplicas")),
                .string(Read.age(object, now: now)),
                .string(names), .string(images), .string(selector),
            ]
        })

    static let replicaSet = TablePrinter(
        columns: replicaColumns,
        cells: { object, now in
            let (names, images) = Format.containerCells(Read.array(object, "spec", "template", "spec", "containers"))
            return [
                .string(Read.name(object)),
                .int(desiredReplicas(object)),
                .int(Read.int(object, "status", "replicas")),
                .int(Read.int(object, "status", "readyReplicas")),
                .string(Read.age(object, now: now)),
                .string(names), .string(images),
                .string(Format.labelSelector(object["spec"]["selector"])),
            ]
        })

    static let replicationController = TablePrinter(
        columns: replicaColumns,
        cells: { object, now in
            let (names, images) = Format.containerCells(Read.array(object, "spec", "template", "spec", "containers"))
            return [
                .string(Read.name(object)),
                .int(desiredReplicas(object)),
                .int(Read.int(object, "status", "replicas")),
                .int(Read.int(object, "status", "readyReplicas")),
                .string(Read.age(object, now: now)),
                .string(names), .string(images),
                .string(Format.labels(Read.stringMap(object, "spec", "selector"))),
            ]
        })

    static let statefulSet = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Ready", "Number of the pod with ready state"),
            Columns.age,
            Columns.containers,
            Columns.images,
        ],
        cells: { object, now in
            let (names, images) = Format.containerCells(Read.array(object, "spec", "template", "spec", "containers"))
            return [
                .string(Read.name(object)),
                .string("\(Read.int(object, "status", "readyReplicas"))/\(desiredReplicas(object))"),
                .string(Read.age(object, now: now)),
                .string(names), .string(images),
            ]
        })

    static let daemonSet = TablePrinter(
        columns: [
            Columns.name,
            Columns.integer("Desired", "The total number of nodes that should be running the daemon pod."),
            Columns.integer("Current", "The number of nodes running the daemon pod that should."),
            Columns.integer("Ready", "The number of nodes running a ready daemon pod."),
            Columns.integer("Up-to-date", "The total number of nodes that are running updated daemon pod."),
            Columns.integer("Available", "The number of nodes running an available daemon pod."),
            Columns.string("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
            Columns.age,
            Columns.containers,
            Columns.images,
            Columns.selector("A label query over pods that are managed by the daemon set."),
        ],
        cells: { object, now in
            let template = object["spec"]["template"]["spec"]
            let (names, images) = Format.containerCells(Read.array(template, "containers"))
            return [
                .string(Read.name(object)),
                .int(Read.int(object, "status", "desiredNumberScheduled")),
                .int(Read.int(object, "status", "currentNumberScheduled")),
                .int(Read.int(object, "status", "numberReady")),
                .int(Read.int(object, "status", "updatedNumberScheduled")),
                .int(Read.int(object, "status", "numberAvailable")),
                .string(Format.labels(Read.stringMap(template, "nodeSelector"))),
                .string(Read.age(object, now: now)),
                .string(names), .string(images),
                .string(Format.labelSelector(object["spec"]["selector"])),
            ]
        })

    static let controllerRevision = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Controller", "Controller of the object"),
            Columns.string("Revision", "Revision indicates the revision of the state represented by Data."),
            Columns.age,
        ],
        cells: { object, now in
            var controller = "<none>"
            if let owner = Read.array(object, "metadata", "ownerReferences").first(where: { Read.bool($0, "controller") }) {
                controller = Format.groupKindName(
                    apiVersion: Read.string(owner, "apiVersion"), kind: Read.string(owner, "kind"), name: Read.string(owner, "name"))
            }
            return [
                .string(Read.name(object)),
                .string(controller),
                .int(Read.int(object, "revision")),
                .string(Read.age(object, now: now)),
            ]
        })

    private static let replicaColumns: [TableColumn] = [
        Columns.name,
        Columns.integer("Desired", "Replicas is the number of desired replicas."),
        Columns.integer("Current", "Replicas is the most recently observed number of replicas."),
        Columns.integer("Ready", "The number of ready replicas for this replica set."),
        Columns.age,
        Columns.containers,
        Columns.images,
        Columns.selector("Selector is a label query over pods that should match the replica count."),
    ]

    static func desiredReplicas(_ object: JSON) -> Int64 {
        Read.optionalInt(object, "spec", "replicas") ?? 1
    }
}
