import ApusMachinery

/// Policy, scheduling, storage, coordination, certificates and node kinds.
enum ClusterPrinters {
    static let podDisruptionBudget = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Min Available", "The minimum number of pods that must be available."),
            Columns.string("Max Unavailable", "The maximum number of pods that may be unavailable."),
            Columns.integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
            Columns.age,
        ],
        cells: { object, now in
            [
                .string(Read.name(object)),
                .string(Format.intOrString(object["spec"]["minAvailable"]) ?? "N/A"),
                .string(Format.intOrString(object["spec"]["maxUnavailable"]) ?? "N/A"),
                .int(Read.int(object, "status", "disruptionsAllowed")),
                .string(Read.age(object, now: now)),
            ]
        })

    static let priorityClass = TablePrinter(
        columns: [
            Columns.name,
            Columns.integer("Value", "value represents the integer value of this priority class."),
            Columns.boolean("Global-Default", "globalDefault specifies whether this PriorityClass is the default priority."),
            Columns.age,
            Columns.string("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower priority.", priority: 1),
        ],
        cells: { object, now in
            [
                .string(Read.name(object)),
                .int(Read.int(object, "value")),
                .bool(Read.bool(object, "globalDefault")),
                .string(Read.age(object, now: now)),
                // The API defaults preemptionPolicy to PreemptLowerPriority.
                .string(Read.optionalString(object, "preemptionPolicy") ?? "PreemptLowerPriority"),
            ]
        })

    static let storageClass = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Provisioner", "provisioner indicates the type of the provisioner."),
            Columns.string("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
            Columns.string("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
            Columns.string("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
            Columns.age,
        ],
        cells: { object, now in
            let annotations = Read.stringMap(object, "metadata", "annotations")
            let isDefault = annotations["storageclass.kubernetes.io/is-default-class"] == "true"
                || annotations["storageclass.beta.kubernetes.io/is-default-class"] == "true"
            return [
                .string(Read.name(object) + (isDefault ? " (default)" : "")),
                .string(Read.string(object, "provisioner")),
                .string(Read.optionalString(object, "reclaimPolicy") ?? "Delete"),
                .string(Read.optionalString(object, "volumeBindingMode") ?? "Immediate"),
                .bool(Read.bool(object, "allowVolumeExpansion")),
                .string(Read.age(object, now: now)),
            ]
        })

    static let lease = TablePrinter(
        columns: [Columns.name, Columns.string("Holder", "holderIdentity contains the identity of the holder of a current lease."), Columns.age],
        cells: { object, now in
            [.string(Read.name(object)), .string(Read.string(object, "spec", "holderIdentity")), .string(Read.age(object, now: now))]
        })

    static let leaseCandidate = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("LeaseName", "LeaseName is the name of the lease for which this candidate is contending."),
            Columns.string("BinaryVersion", "BinaryVersion is the binary version."),
            Columns.string("EmulationVersion", "EmulationVersion is the emulation version."),
            Columns.age,
        ],
        cells: { object, now in
            [
                .string(Read.name(object)),
                .string(Read.string(object, "spec", "leaseName")),
                .string(Read.string(object, "spec", "binaryVersion")),
                .string(Read.string(object, "spec", "emulationVersion")),
                .string(Read.age(object, now: now)),
            ]
        })

    static let certificateSigningRequest = TablePrinter(
        columns: [
            Columns.name,
            Columns.age,
            Columns.string("SignerName", "signerName indicates the requested signer."),
            Columns.string("Requestor", "username contains the name of the user that created the CertificateSigningRequest."),
            Columns.string("RequestedDuration", "expirationSeconds is the requested duration of validity of the issued certificate."),
            Columns.string("Condition", "conditions applied to the request."),
        ],
        cells: { object, now in
            let signer = Read.string(object, "spec", "signerName")
            var requested = "<none>"
            if let seconds = Read.optionalInt(object, "spec", "expirationSeconds") {
                requested = TablePrinters.humanDuration(seconds: Double(seconds))
            }
            return [
                .string(Read.name(object)),
                .string(Read.age(object, now: now)),
                .string(signer.isEmpty ? "<none>" : signer),
                .string(Read.string(object, "spec", "username")),
                .string(requested),
                .string(csrCondition(object)),
            ]
        })

    static let runtimeClass = TablePrinter(
        columns: [Columns.name, Columns.string("Handler", "handler specifies the underlying runtime and configuration."), Columns.age],
        cells: { object, now in
            [.string(Read.name(object)), .string(Read.string(object, "handler")), .string(Read.age(object, now: now))]
        })

    static let csiDriver = TablePrinter(
        columns: [
            Columns.name,
            Columns.boolean("AttachRequired", "attachRequired indicates this CSI volume driver requires an attach operation."),
            Columns.boolean("PodInfoOnMount", "podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations."),
            Columns.boolean("StorageCapacity", "storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity."),
            Columns.string("TokenRequests", "tokenRequests indicates the CSI driver needs pods' service account tokens."),
            Columns.boolean("RequiresRepublish", "requiresRepublish indicates the CSI driver wants NodePublishVolume being periodically called."),
            Columns.string("Modes", "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports."),
            Columns.age,
        ],
        cells: { object, now in
            let spec = object["spec"]
            var tokenRequests = "<unset>"
            if let requests = spec["tokenRequests"].array {
                tokenRequests = requests.map { Read.string($0, "audience") }.joined(separator: ",")
            }
            // The API defaults an empty mode list to Persistent.
            let modes = Read.array(spec, "volumeLifecycleModes").compactMap(\.string)
            return [
                .string(Read.name(object)),
                .bool(spec["attachRequired"].bool ?? true),
                .bool(Read.bool(spec, "podInfoOnMount")),
                .bool(Read.bool(spec, "storageCapacity")),
                .string(tokenRequests),
                .bool(Read.bool(spec, "requiresRepublish")),
                .string(modes.isEmpty ? "Persistent" : modes.joined(separator: ",")),
                .string(Read.age(object, now: now)),
            ]
        })

    static let csiNode = TablePrinter(
        columns: [Columns.name, Columns.integer("Drivers", "Drivers indicates the number of CSI drivers registered on the node"), Columns.age],
        cells: { object, now in
            [.string(Read.name(object)), .int(Int64(Read.array(object, "spec", "drivers").count)), .string(Read.age(object, now: now))]
        })

    static let volumeAttachment = TablePrinter(
        columns: [
            Columns.name,
            TableColumn(name: "Attacher", type: "string", format: "name", description: "attacher indicates the name of the volume driver."),
            Columns.string("PV", "persistentVolumeName represents the name of the persistent volume to attach."),
            Columns.string("Node", "nodeName represents the node that the volume should be attached to."),
            Columns.boolean("Attached", "attached indicates the volume is successfully attached."),
            Columns.age,
        ],
        cells: { object, now in
            [
                .string(Read.name(object)),
                .string(Read.string(object, "spec", "attacher")),
                .string(Read.string(object, "spec", "source", "persistentVolumeName")),
                .string(Read.string(object, "spec", "nodeName")),
                .bool(Read.bool(object, "status", "attached")),
                .string(Read.age(object, now: now)),
            ]
        })

    static let csiStorageCapacity = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("StorageClassName", "storageClassName represents the name of the StorageClass that the reported capacity applies to."),
            Columns.string("Capacity", "capacity is the value reported by the CSI driver in its GetCapacityResponse."),
        ],
        cells: { object, _ in
            let capacity = object["capacity"].isNull ? "<unset>" : Format.quantity(object["capacity"])
            return [.string(Read.name(object)), .string(Read.string(object, "storageClassName")), .string(capacity)]
        })

    static let volumeAttributesClass = TablePrinter(
        columns: [Columns.name, Columns.string("DriverName", "Name of the CSI driver."), Columns.age],
        cells: { object, now in
            [.string(Read.name(object)), .string(Read.string(object, "driverName")), .string(Read.age(object, now: now))]
        })

    /// Denied, Approved or Pending, then ",Failed" and ",Issued" as they apply.
    static func csrCondition(_ object: JSON) -> String {
        let types = Set(Read.array(object, "status", "conditions").map { Read.string($0, "type") })
        var status = types.contains("Denied") ? "Denied" : types.contains("Approved") ? "Approved" : "Pending"
        if types.contains("Failed") { status += ",Failed" }
        if !Read.string(object, "status", "certificate").isEmpty { status += ",Issued" }
        return status
    }
}
