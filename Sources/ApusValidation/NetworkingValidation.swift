import ApusMachinery

/// Ingresses (networking/v1 `ValidateIngressSpec`).
enum NetworkingValidation {
    static let pathTypes = ["Exact", "ImplementationSpecific", "Prefix"]
    static let invalidPathSequences = ["//", "/./", "/../", "%2f", "%2F"]
    static let invalidPathSuffixes = ["/..", "/."]

    static func ingress(_ object: JSON) -> [FieldError] {
        let spec = object["spec"]
        let path = FieldPath("spec")
        var errs: [FieldError] = []
        let rules = spec["rules"].array ?? []
        if rules.isEmpty && spec["defaultBackend"].isNull {
            let rendered = spec["rules"].array == nil ? "[]networking.IngressRule(nil)" : "[]networking.IngressRule{}"
            errs.append(.invalid(path, rendered: rendered, "either `defaultBackend` or `rules` must be specified"))
        }
        if !spec["defaultBackend"].isNull { errs += backend(spec["defaultBackend"], path.child("defaultBackend")) }
        for (i, rule) in rules.enumerated() {
            let rulePath = path.child("rules").index(i)
            if let host = rule["host"].string, !host.isEmpty {
                if IPAddress.parse(host) != nil {
                    errs.append(.invalid(rulePath.child("host"), string: host, "must be a DNS name, not an IP address"))
                }
                let messages = host.contains("*") ? NameValidation.isWildcardDNS1123Subdomain(host) : NameValidation.isDNS1123Subdomain(host)
                errs += FieldError.invalidEach(rulePath.child("host"), string: host, messages)
            }
            let http = rule["http"]
            guard http.object != nil else { continue }
            let paths = http["paths"].array ?? []
            if paths.isEmpty { errs.append(.required(rulePath.child("http", "paths"))) }
            for (j, entry) in paths.enumerated() { errs += httpPath(entry, rulePath.child("http", "paths").index(j)) }
        }
        for (i, tls) in (spec["tls"].array ?? []).enumerated() {
            let tlsPath = path.child("tls").index(i)
            for (j, value) in (tls["hosts"].array ?? []).enumerated() {
                let host = value.string ?? ""
                let messages = host.contains("*") ? NameValidation.isWildcardDNS1123Subdomain(host) : NameValidation.isDNS1123Subdomain(host)
                errs += FieldError.invalidEach(tlsPath.child("hosts").index(j), string: host, messages)
            }
            if let secret = tls["secretName"].string, !secret.isEmpty {
                errs += FieldError.invalidEach(tlsPath.child("secretName"), string: secret, NameValidation.isDNS1123Subdomain(secret))
            }
        }
        if let className = spec["ingressClassName"].string {
            errs += FieldError.invalidEach(path.child("ingressClassName"), string: className, NameValidation.isDNS1123Subdomain(className))
        }
        return errs
    }

    static func httpPath(_ entry: JSON, _ path: FieldPath) -> [FieldError] {
        guard let type = entry["pathType"].string else { return [.required(path.child("pathType"), "pathType must be specified")] }
        var errs: [FieldError] = []
        let value = entry["path"].string ?? ""
        switch type {
        case "Exact", "Prefix":
            if !value.hasPrefix("/") { errs.append(.invalid(path.child("path"), string: value, "must be an absolute path")) }
            if !value.isEmpty {
                for sequence in invalidPathSequences where value.contains(sequence) {
                    errs.append(.invalid(path.child("path"), string: value, "must not contain '\(sequence)'"))
                }
                for suffix in invalidPathSuffixes where value.hasSuffix(suffix) {
                    errs.append(.invalid(path.child("path"), string: value, "cannot end with '\(suffix)'"))
                }
            }
        case "ImplementationSpecific":
            if !value.isEmpty && !value.hasPrefix("/") {
                errs.append(.invalid(path.child("path"), string: value, "must be an absolute path"))
            }
        default:
            errs.append(.notSupported(path.child("pathType"), string: type, pathTypes))
        }
        return errs + backend(entry["backend"], path.child("backend"))
    }

    static func backend(_ backend: JSON, _ path: FieldPath) -> [FieldError] {
        let resource = backend["resource"]
        let service = backend["service"]
        switch (resource.isNull, service.isNull) {
        case (false, false):
            return [.invalid(path, string: "", "cannot set both resource and service backends")]
        case (false, true):
            var errs: [FieldError] = []
            if let group = resource["apiGroup"].string {
                errs += FieldError.invalidEach(path.child("resource", "apiGroup"), string: group, NameValidation.isDNS1123Subdomain(group))
            }
            for key in ["kind", "name"] {
                let value = resource[key].string ?? ""
                if value.isEmpty {
                    errs.append(.required(path.child("resource", key), "\(key) is required"))
                } else {
                    errs += FieldError.invalidEach(path.child("resource", key), string: value, NameValidation.isValidPathSegmentName(value))
                }
            }
            return errs
        case (true, false):
            var errs: [FieldError] = []
            let name = service["name"].string ?? ""
            if name.isEmpty {
                errs.append(.required(path.child("service", "name")))
            } else {
                errs += FieldError.invalidEach(path.child("service", "name"), string: name, NameValidation.isDNS1035Label(name))
            }
            let portName = service["port"]["name"].string ?? ""
            let portNumber = service["port"]["number"].int ?? 0
            if !portName.isEmpty && portNumber != 0 {
                errs.append(.invalid(path, string: "", "cannot set both port name & port number"))
            } else if !portName.isEmpty {
                errs += FieldError.invalidEach(path.child("service", "port", "name"), string: portName, NameValidation.isValidPortName(portName))
            } else if portNumber != 0 {
                errs += NameValidation.isValidPortNum(portNumber).map { .invalid(path.child("service", "port", "number"), int: portNumber, $0) }
            } else {
                errs.append(.required(path, "port name or number is required"))
            }
            return errs
        case (true, true):
            return [.invalid(path, string: "", "resource or service backend is required")]
        }
    }
}
