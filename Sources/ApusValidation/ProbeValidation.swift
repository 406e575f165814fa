import ApusMachinery

/// Probes and lifecycle hooks (core `validateProbe`, `validateHandler`, `validateLifecycle`).
enum ProbeValidation {
    enum Kind { case liveness, readiness, startup }

    static func probe(_ probe: JSON, kind: Kind, gracePeriod: Int64, _ path: FieldPath) -> [FieldError] {
        guard probe.object != nil else { return [] }
        var errs = handler(probe, keys: ["exec", "httpGet", "tcpSocket", "grpc"], gracePeriod: gracePeriod, path)
        for key in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
            if let value = probe[key].int, value < 0 { errs.append(.invalid(path.child(key), int: value, Messages.isNegative)) }
        }
        if let grace = probe["terminationGracePeriodSeconds"].int, grace <= 0 {
            errs.append(.invalid(path.child("terminationGracePeriodSeconds"), int: grace, "must be greater than 0"))
        }
        switch kind {
        case .liveness, .startup:
            if let threshold = probe["successThreshold"].int, threshold != 1 {
                errs.append(.invalid(path.child("successThreshold"), int: threshold, "must be 1"))
            }
        case .readiness:
            if let grace = probe["terminationGracePeriodSeconds"].int {
                errs.append(.invalid(path.child("terminationGracePeriodSeconds"), int: grace, "must not be set for readinessProbes"))
            }
        }
        return errs
    }

    static func lifecycle(_ lifecycle: JSON, gracePeriod: Int64, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for hook in ["postStart", "preStop"] where lifecycle[hook].object != nil {
            errs += handler(lifecycle[hook], keys: ["exec", "httpGet", "tcpSocket", "sleep"], gracePeriod: gracePeriod, path.child(hook))
        }
        return errs
    }

    /// Exactly one handler; its own fields valid.
    static func handler(_ value: JSON, keys: [String], gracePeriod: Int64, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var count = 0
        for key in keys where !value[key].isNull {
            if count > 0 {
                errs.append(.forbidden(path.child(key), "may not specify more than 1 handler type"))
                continue
            }
            count += 1
            let action = value[key]
            let actionPath = path.child(key)
            switch key {
            case "exec":
                if (action["command"].array ?? []).isEmpty { errs.append(.required(actionPath.child("command"))) }
            case "httpGet":
                errs += portNumOrName(action["port"], actionPath.child("port"))
                if let scheme = action["scheme"].string, !scheme.isEmpty, scheme != "HTTP", scheme != "HTTPS" {
                    errs.append(.notSupported(actionPath.child("scheme"), string: scheme, ["HTTP", "HTTPS"]))
                }
                for header in action["httpHeaders"].array ?? [] {
                    let name = header["name"].string ?? ""
                    errs += FieldError.invalidEach(actionPath.child("httpHeaders"), string: name, NameValidation.isHTTPHeaderName(name))
                }
            case "tcpSocket":
                errs += portNumOrName(action["port"], actionPath.child("port"))
            case "grpc":
                let port = action["port"].int ?? 0
                errs += NameValidation.isValidPortNum(port).map { .invalid(actionPath.child("port"), int: port, $0) }
            case "sleep":
                let seconds = action["seconds"].int ?? 0
                if seconds <= 0 || seconds > gracePeriod {
                    errs.append(.invalid(actionPath, int: seconds,
                                         "must be greater than 0 and less than terminationGracePeriodSeconds (\(gracePeriod)). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep."))
                }
            default:
                break
            }
        }
        if count == 0 { errs.append(.required(path, "must specify a handler type")) }
        return errs
    }

    /// An `IntOrString` port: a number in 1–65535 or an IANA service name.
    static func portNumOrName(_ port: JSON, _ path: FieldPath) -> [FieldError] {
        if let name = port.string {
            return FieldError.invalidEach(path, string: name, NameValidation.isValidPortName(name))
        }
        let number = port.int ?? 0
        return NameValidation.isValidPortNum(number).map { .invalid(path, int: number, $0) }
    }
}
