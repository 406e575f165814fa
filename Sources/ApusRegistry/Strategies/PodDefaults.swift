import ApusMachinery

/// Kubernetes' write defaults for a pod spec (pkg/apis/core/v1/defaults.go), applied to pods and to
/// every pod template inside a workload.
enum PodDefaults {
    static func applyToSpec(_ spec: inout JSON) {
        guard case .object = spec else { return }
        setIfMissing(&spec, "restartPolicy", "Always")
        setIfMissing(&spec, "dnsPolicy", "ClusterFirst")
        setIfMissing(&spec, "terminationGracePeriodSeconds", .int(30))
        setIfMissing(&spec, "schedulerName", "default-scheduler")
        setIfMissing(&spec, "securityContext", .emptyObject)
        setIfMissing(&spec, "enableServiceLinks", .bool(true))
        for listName in ["containers", "initContainers"] {
            guard let containers = spec[listName].array else { continue }
            spec[listName] = .array(containers.map(applyToContainer))
        }
        if let volumes = spec["volumes"].array {
            spec["volumes"] = .array(volumes.map(applyToVolume))
        }
    }

    static func applyToContainer(_ container: JSON) -> JSON {
        guard case .object = container else { return container }
        var c = container
        if c["imagePullPolicy"].isNull, let image = c["image"].string {
            c["imagePullPolicy"] = .string(imageHasLatestOrNoTag(image) ? "Always" : "IfNotPresent")
        }
        setIfMissing(&c, "terminationMessagePath", "/dev/termination-log")
        setIfMissing(&c, "terminationMessagePolicy", "File")
        setIfMissing(&c, "resources", .emptyObject)
        if let ports = c["ports"].array {
            c["ports"] = .array(ports.map { port in
                var p = port
                if case .object = p { setIfMissing(&p, "protocol", "TCP") }
                return p
            })
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] where c[probe].object != nil {
            var p = c[probe]
            setIfMissing(&p, "timeoutSeconds", .int(1))
            setIfMissing(&p, "periodSeconds", .int(10))
            setIfMissing(&p, "successThreshold", .int(1))
            setIfMissing(&p, "failureThreshold", .int(3))
            if p["httpGet"].object != nil { setIfMissing(&p[path: ["httpGet"]], "scheme", "HTTP") }
            c[probe] = p
        }
        return c
    }

    static func applyToVolume(_ volume: JSON) -> JSON {
        var v = volume
        for source in ["configMap", "secret"] where v[source].object != nil {
            setIfMissing(&v[path: [source]], "defaultMode", .int(420))
        }
        if v["hostPath"].object != nil { setIfMissing(&v[path: ["hostPath"]], "type", "") }
        return v
    }

    /// `image`, `image:latest`, `registry:5000/image` → pulled always, as Kubernetes decides.
    static func imageHasLatestOrNoTag(_ image: String) -> Bool {
        if image.contains("@") { return false }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return true }
        return lastComponent[lastComponent.index(after: colon)...] == "latest"
    }

    static func applyToTemplate(_ object: inout JSON, templatePath: [String]) {
        var spec = object[path: templatePath + ["spec"]]
        guard case .object = spec else { return }
        applyToSpec(&spec)
        object[path: templatePath + ["spec"]] = spec
    }
}

func setIfMissing(_ object: inout JSON, _ key: String, _ value: JSON) {
    if object[key].isNull { object[key] = value }
}
