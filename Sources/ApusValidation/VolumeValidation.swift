import ApusMachinery

/// `spec.volumes` (core `ValidateVolumes`): unique DNS-label names and exactly one volume source each.
enum VolumeValidation {
    /// Volume source keys in the order Kubernetes checks them, with the name its "more than 1 volume
    /// type" error uses (Kubernetes' own spelling, typos included).
    static let sources: [(key: String, errorName: String)] = [
        ("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
        ("gcePersistentDisk", "gcePersistentDisk"), ("awsElasticBlockStore", "awsElasticBlockStore"),
        ("secret", "secret"), ("nfs", "nfs"), ("iscsi", "iscsi"), ("glusterfs", "glusterfs"), ("flocker", "flocker"),
        ("persistentVolumeClaim", "persistentVolumeClaim"), ("rbd", "rbd"), ("cinder", "cinder"), ("cephfs", "cephFS"),
        ("quobyte", "quobyte"), ("downwardAPI", "downwarAPI"), ("fc", "fc"), ("flexVolume", "flexVolume"),
        ("configMap", "configMap"), ("azureFile", "azureFile"), ("vsphereVolume", "vsphereVolume"),
        ("photonPersistentDisk", "photonPersistentDisk"), ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"),
        ("storageos", "storageos"), ("projected", "projected"), ("scaleIO", "scaleIO"), ("csi", "csi"),
        ("ephemeral", "ephemeral"), ("image", "image"),
    ]

    static let fileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive"
    static let hostPathTypes = ["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"]

    /// Returns the errors and the volumes that are valid (by name), which mounts may reference.
    static func volumes(_ volumes: JSON, _ path: FieldPath) -> (valid: JSONObject, errors: [FieldError]) {
        var errs: [FieldError] = []
        var valid: JSONObject = [:]
        var names: Set<String> = []
        for (i, volume) in (volumes.array ?? []).enumerated() {
            let volumePath = path.index(i)
            let namePath = volumePath.child("name")
            let name = volume["name"].string ?? ""
            var volumeErrs = source(volume, volumePath)
            if name.isEmpty {
                volumeErrs.append(.required(namePath))
            } else {
                volumeErrs += FieldError.invalidEach(namePath, string: name, NameValidation.isDNS1123Label(name))
            }
            if names.contains(name) { volumeErrs.append(.duplicate(namePath, string: name)) }
            if volumeErrs.isEmpty {
                names.insert(name)
                valid[name] = volume
            } else {
                errs += volumeErrs
            }
        }
        return (valid, errs)
    }

    static func source(_ volume: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var count = 0
        for (key, errorName) in sources where !volume[key].isNull {
            if count > 0 {
                errs.append(.forbidden(path.child(errorName), "may not specify more than 1 volume type"))
                continue
            }
            count += 1
            errs += sourceDetails(key, volume[key], path.child(key))
        }
        if count == 0 { errs.append(.required(path, "must specify a volume type")) }
        return errs
    }

    static func sourceDetails(_ key: String, _ source: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        switch key {
        case "emptyDir":
            if !source["sizeLimit"].isNull, case .success(let limit) = Quantity.from(source["sizeLimit"]), limit.isNegative {
                errs.append(.forbidden(path.child("sizeLimit"), "SizeLimit field must be a valid resource quantity"))
            }
        case "hostPath":
            let hostPath = source["path"].string ?? ""
            if hostPath.isEmpty { return [.required(path.child("path"))] }
            errs += PathRules.noBacksteps(hostPath, path.child("path"))
            if let type = source["type"].string, !hostPathTypes.contains(type) {
                errs.append(.notSupported(path.child("type"), string: type, Array(hostPathTypes.dropFirst())))
            }
        case "secret":
            if (source["secretName"].string ?? "").isEmpty { errs.append(.required(path.child("secretName"))) }
            errs += modeErrors(source["defaultMode"], path.child("defaultMode"))
            errs += keyToPathItems(source["items"], path.child("items"))
        case "configMap":
            if (source["name"].string ?? "").isEmpty { errs.append(.required(path.child("name"))) }
            errs += modeErrors(source["defaultMode"], path.child("defaultMode"))
            errs += keyToPathItems(source["items"], path.child("items"))
        case "persistentVolumeClaim":
            if (source["claimName"].string ?? "").isEmpty { errs.append(.required(path.child("claimName"))) }
        case "nfs":
            let nfsPath = source["path"].string ?? ""
            if (source["server"].string ?? "").isEmpty { errs.append(.required(path.child("server"))) }
            if nfsPath.isEmpty { errs.append(.required(path.child("path"))) }
            if !nfsPath.hasPrefix("/") { errs.append(.invalid(path.child("path"), string: nfsPath, "must be an absolute path")) }
        case "csi":
            if (source["driver"].string ?? "").isEmpty { errs.append(.required(path.child("driver"))) }
        case "ephemeral":
            if source["volumeClaimTemplate"].isNull { errs.append(.required(path.child("volumeClaimTemplate"))) }
        case "downwardAPI":
            errs += modeErrors(source["defaultMode"], path.child("defaultMode"))
            for item in source["items"].array ?? [] {
                let itemPath = item["path"].string ?? ""
                if itemPath.isEmpty { errs.append(.required(path.child("path"))) }
                errs += PathRules.localNonReserved(itemPath, path.child("path"))
                errs += modeErrors(item["mode"], path.child("mode"))
            }
        case "projected":
            errs += modeErrors(source["defaultMode"], path.child("defaultMode"))
            for (i, projection) in (source["sources"].array ?? []).enumerated() {
                let sourcePath = path.child("sources").index(i)
                for kind in ["secret", "configMap"] where !projection[kind].isNull {
                    if (projection[kind]["name"].string ?? "").isEmpty { errs.append(.required(sourcePath.child(kind, "name"))) }
                    errs += keyToPathItems(projection[kind]["items"], sourcePath.child(kind, "items"))
                }
            }
        default:
            break
        }
        return errs
    }

    static func modeErrors(_ mode: JSON, _ path: FieldPath) -> [FieldError] {
        guard let value = mode.int, value < 0 || value > 0o777 else { return [] }
        return [.invalid(path, int: value, fileModeMessage)]
    }

    static func keyToPathItems(_ items: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, item) in (items.array ?? []).enumerated() {
            let itemPath = path.index(i)
            let target = item["path"].string ?? ""
            if (item["key"].string ?? "").isEmpty { errs.append(.required(itemPath.child("key"))) }
            if target.isEmpty { errs.append(.required(itemPath.child("path"))) }
            errs += PathRules.localNonReserved(target, itemPath.child("path"))
            errs += modeErrors(item["mode"], itemPath.child("mode"))
        }
        return errs
    }
}
