import ApusMachinery

/// One of a container's probes as its spec gives it, with Kubernetes' defaults for unset timings.
struct ProbeSettings: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        case liveness, readiness, startup

        /// How the kubelet names it in events ("Liveness probe failed: …").
        var title: String {
            switch self {
            case .liveness: "Liveness"
            case .readiness: "Readiness"
            case .startup: "Startup"
            }
        }

        var specField: String { rawValue + "Probe" }
    }

    enum Action: Sendable, Equatable {
        case exec(command: [String])
        /// `port` is the spec's int-or-string: a number or the name of one of the container's ports.
        case httpGet(scheme: String, host: String?, port: JSON, path: String, headers: [Header])
        case tcpSocket(host: String?, port: JSON)
        case grpc(port: Int, service: String)
    }

    struct Header: Sendable, Equatable {
        var name: String
        var value: String
    }

    var action: Action
    var initialDelaySeconds: Double
    var timeoutSeconds: Double
    var periodSeconds: Double
    var successThreshold: Int
    var failureThreshold: Int
    /// The probe's own grace period for the kill after a failure; the pod's when nil.
    var terminationGracePeriodSeconds: Int64?

    /// The container's probe of this kind, or nil when it has none (or one without a handler).
    init?(_ container: JSON, kind: Kind) {
        let probe = container[kind.specField]
        guard probe.object != nil else { return nil }
        if let command = probe["exec"]["command"].array {
            action = .exec(command: command.compactMap(\.string))
        } else if probe["httpGet"].object != nil {
            let get = probe["httpGet"]
            let headers = (get["httpHeaders"].array ?? []).map { Header(name: $0["name"].string ?? "", value: $0["value"].string ?? "") }
            action = .httpGet(scheme: (get["scheme"].string ?? "HTTP").lowercased(), host: get["host"].string.flatMap { $0.isEmpty ? nil : $0 },
                              port: get["port"], path: get["path"].string ?? "/", headers: headers)
        } else if probe["tcpSocket"].object != nil {
            action = .tcpSocket(host: probe["tcpSocket"]["host"].string.flatMap { $0.isEmpty ? nil : $0 }, port: probe["tcpSocket"]["port"])
        } else if probe["grpc"].object != nil {
            action = .grpc(port: Int(probe["grpc"]["port"].int ?? 0), service: probe["grpc"]["service"].string ?? "")
        } else {
            return nil
        }
        initialDelaySeconds = Double(probe["initialDelaySeconds"].int ?? 0)
        timeoutSeconds = Double(max(1, probe["timeoutSeconds"].int ?? 1))
        periodSeconds = Double(max(1, probe["periodSeconds"].int ?? 10))
        successThreshold = Int(max(1, probe["successThreshold"].int ?? 1))
        failureThreshold = Int(max(1, probe["failureThreshold"].int ?? 3))
        terminationGracePeriodSeconds = probe["terminationGracePeriodSeconds"].int
    }

    /// A port given by number or by the name of one of the container's ports.
    static func resolvePort(_ port: JSON, container: JSON) -> Int? {
        if let number = port.int { return (1...65535).contains(number) ? Int(number) : nil }
        guard let name = port.string else { return nil }
        if let number = Int(name), (1...65535).contains(number) { return number }
        let match = (container["ports"].array ?? []).first { $0["name"].string == name }
        return match?["containerPort"].int.map { Int($0) }
    }
}
