import ApusMachinery

/// Core/v1 kinds with short printers.
enum CorePrinters {
    static let namespace = TablePrinter(
        columns: [Columns.name, Columns.string("Status", "The status of the namespace"), Columns.age],
        cells: { object, now in
            [.string(Read.name(object)), .string(Read.string(object, "status", "phase")), .string(Read.age(object, now: now))]
        })

    static let configMap = TablePrinter(
        columns: [Columns.name, Columns.string("Data", "Data contains the configuration data."), Columns.age],
        cells: { object, now in
            let count = Read.object(object, "data").count + Read.object(object, "binaryData").count
            return [.string(Read.name(object)), .int(Int64(count)), .string(Read.age(object, now: now))]
        })

    static let secret = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Type", "Used to facilitate programmatic handling of secret data."),
            Columns.string("Data", "Data contains the secret data."),
            Columns.age,
        ],
        cells: { object, now in
            // stringData is merged into data on write; count a key present in both once.
            let keys = Set(Read.object(object, "data").keys).union(Read.object(object, "stringData").keys)
            return [
                .string(Read.name(object)),
                .string(Read.optionalString(object, "type") ?? "Opaque"),
                .int(Int64(keys.count)),
                .string(Read.age(object, now: now)),
            ]
        })

    static let serviceAccount = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
            Columns.age,
        ],
        cells: { object, now in
            [.string(Read.name(object)), .int(Int64(Read.array(object, "secrets").count)), .string(Read.age(object, now: now))]
        })

    static let endpoints = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Endpoints", "The set of all endpoints is the union of all subsets."),
            Columns.age,
        ],
        cells: { object, now in
            [.string(Read.name(object)), .string(formatEndpoints(object)), .string(Read.age(object, now: now))]
        })

    static let componentStatus = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Status", "Status of the component conditions"),
            Columns.string("Message", "Message of the component conditions"),
            Columns.string("Error", "Error of the component conditions"),
        ],
        cells: { object, _ in
            var status = "Unknown", message = "", error = ""
            if let healthy = Read.condition(Read.array(object, "conditions"), type: "Healthy") {
                status = Read.string(healthy, "status") == "True" ? "Healthy" : "Unhealthy"
                message = Read.string(healthy, "message")
                error = Read.string(healthy, "error")
            }
            return [.string(Read.name(object)), .string(status), .string(message), .string(error)]
        })

    static let persistentVolume = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
            Columns.string("Access Modes", "accessModes contains all ways the volume can be mounted."),
            Columns.string("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
            Columns.string("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
            Columns.string("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
            Columns.string("StorageClass", "StorageClass of the pv"),
            Columns.string("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
            Columns.string("Reason", "reason is a brief CamelCase string that describes any failure."),
            Columns.age,
            Columns.string("VolumeMode", "volumeMode defines if a volume is a formatted filesystem or a raw block device.", priority: 1),
        ],
        cells: { object, now in
            let spec = object["spec"]
            var claim = ""
            if spec["claimRef"].object != nil {
                claim = Read.string(spec, "claimRef", "namespace") + "/" + Read.string(spec, "claimRef", "name")
            }
            let phase = Read.isDeleting(object) ? "Terminating" : Read.string(object, "status", "phase")
            return [
                .string(Read.name(object)),
                .string(Format.quantity(spec["capacity"]["storage"])),
                .string(Format.accessModes(Read.array(spec, "accessModes"))),
                .string(Read.string(spec, "persistentVolumeReclaimPolicy")),
                .string(phase),
                .string(claim),
                .string(storageClass(object, specField: Read.string(spec, "storageClassName"))),
                .string(Read.optionalString(spec, "volumeAttributesClassName") ?? "<unset>"),
                .string(Read.string(object, "status", "reason")),
                .string(Read.age(object, now: now)),
                .string(Read.optionalString(spec, "volumeMode") ?? "<unset>"),
            ]
        })

    static let persistentVolumeClaim = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Status", "phase represents the current phase of PersistentVolumeClaim."),
            Columns.string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
            Columns.string("Capacity", "capacity represents the actual resources of the underlying volume."),
            Columns.string("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
            Columns.string("StorageClass", "StorageClass of the pvc"),
            Columns.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
            Columns.age,
            Columns.string("VolumeMode", "volumeMode defines what type of volume is required by the claim.", priority: 1),
        ],
        cells: { object, now in
            let spec = object["spec"]
            let volumeName = Read.string(spec, "volumeName")
            var capacity = "", accessModes = ""
            if !volumeName.isEmpty {
                accessModes = Format.accessModes(Read.array(object, "status", "accessModes"))
                capacity = Format.quantity(object["status"]["capacity"]["storage"])
            }
            let phase = Read.isDeleting(object) ? "Terminating" : Read.string(object, "status", "phase")
            return [
                .string(Read.name(object)),
                .string(phase),
                .string(volumeName),
                .string(capacity),
                .string(accessModes),
                .string(storageClass(object, specField: Read.string(spec, "storageClassName"))),
                .string(Read.optionalString(spec, "volumeAttributesClassName") ?? "<unset>"),
                .string(Read.age(object, now: now)),
                .string(Read.optionalString(spec, "volumeMode") ?? "<unset>"),
            ]
        })

    static let resourceQuota = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
            Columns.string("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
            Columns.age,
        ],
        cells: { object, now in
            let hard = Read.object(object, "status", "hard")
            let used = Read.object(object, "status", "used")
            var requests: [String] = [], limits: [String] = []
            for resource in hard.keys.sorted() {
                let text = "\(resource): \(Format.quantity(used[resource] ?? .null))/\(Format.quantity(hard[resource] ?? .null))"
                let pieces = resource.split(separator: ".", omittingEmptySubsequences: false)
                if pieces.count > 1 && pieces[0] == "limits" { limits.append(text) } else { requests.append(text) }
            }
            return [
                .string(Read.name(object)),
                .string(requests.joined(separator: ", ")),
                .string(limits.joined(separator: ", ")),
                .string(Read.age(object, now: now)),
            ]
        })

    static let podTemplate = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Containers", "Names of each container in the template."),
            Columns.string("Images", "Images referenced by each container in the template."),
            Columns.string("Pod Labels", "The labels for the pod template."),
        ],
        cells: { object, _ in
            let (names, images) = Format.containerCells(Read.array(object, "template", "spec", "containers"))
            return [
                .string(Read.name(object)), .string(names), .string(images),
                .string(Format.labels(Read.stringMap(object, "template", "metadata", "labels"))),
            ]
        })

    /// The beta storage-class annotation wins over the spec field, as in Kubernetes' helpers.
    static func storageClass(_ object: JSON, specField: String) -> String {
        Read.optionalString(object, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class") ?? specField
    }

    /// "ip:port" for every address and port (at most three, then " + N more..."); "<none>" without subsets.
    static func formatEndpoints(_ object: JSON) -> String {
        let subsets = Read.array(object, "subsets")
        guard !subsets.isEmpty else { return "<none>" }
        var list: [String] = []
        var count = 0
        let limit = 3
        for subset in subsets {
            let addresses = Read.array(subset, "addresses").map { Read.string($0, "ip") }
            let ports = Read.array(subset, "ports")
            if ports.isEmpty {
                // Headless services may have no ports.
                count += addresses.count
                for ip in addresses where list.count < limit { list.append(ip) }
                continue
            }
            for port in ports {
                count += addresses.count
                for ip in addresses where list.count < limit {
                    list.append(Format.hostPort(ip, Read.int(port, "port")))
                }
            }
        }
        let joined = list.joined(separator: ",")
        return count > limit ? "\(joined) + \(count - limit) more..." : joined
    }
}
