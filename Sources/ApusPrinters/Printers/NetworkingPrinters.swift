import ApusMachinery

/// networking.k8s.io and discovery.k8s.io kinds.
enum NetworkingPrinters {
    static let ingress = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Class", "The name of the IngressClass resource that should be used for additional configuration"),
            Columns.string("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
            Columns.string("Address", "Address is a list containing ingress points for the load-balancer"),
            Columns.string("Ports", "Ports of TLS configurations that open"),
            Columns.age,
        ],
        cells: { object, now in
            let spec = object["spec"]
            let address = ServicePrinter.loadBalancerAddresses(Read.array(object, "status", "loadBalancer", "ingress"))
            return [
                .string(Read.name(object)),
                .string(Read.optionalString(spec, "ingressClassName") ?? "<none>"),
                .string(hosts(Read.array(spec, "rules"))),
                .string(address.joined(separator: ",")),
                .string(Read.array(spec, "tls").isEmpty ? "80" : "80, 443"),
                .string(Read.age(object, now: now)),
            ]
        })

    static let ingressClass = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Controller", "Controller that is responsible for handling this class"),
            Columns.string("Parameters", "A reference to a resource with additional parameters"),
            Columns.age,
        ],
        cells: { object, now in
            var parameters = "<none>"
            let reference = object["spec"]["parameters"]
            if reference.object != nil {
                parameters = Read.string(reference, "kind")
                if let group = Read.optionalString(reference, "apiGroup") { parameters += "." + group }
                parameters += "/" + Read.string(reference, "name")
            }
            return [
                .string(Read.name(object)),
                .string(Read.string(object, "spec", "controller")),
                .string(parameters),
                .string(Read.age(object, now: now)),
            ]
        })

    static let networkPolicy = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."),
            Columns.age,
        ],
        cells: { object, now in
            // podSelector is a required struct in Go; an absent one reads as the empty selector.
            let selector = object["spec"]["podSelector"].object.map(JSON.object) ?? JSON.emptyObject
            return [.string(Read.name(object)), .string(Format.labelSelector(selector)), .string(Read.age(object, now: now))]
        })

    static let endpointSlice = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
            Columns.string("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
            Columns.string("Endpoints", "endpoints is a list of unique endpoints in this slice."),
            Columns.age,
        ],
        cells: { object, now in
            let ports = Read.array(object, "ports").map { port -> String in
                if let number = Read.optionalInt(port, "port") { return String(number) }
                return Read.optionalString(port, "name") ?? "*"
            }
            let addresses = Read.array(object, "endpoints").flatMap { Read.array($0, "addresses").compactMap(\.string) }
            return [
                .string(Read.name(object)),
                .string(Read.string(object, "addressType")),
                .string(Format.listWithMore(ports)),
                .string(Format.listWithMore(addresses)),
                .string(Read.age(object, now: now)),
            ]
        })

    static let serviceCIDR = TablePrinter(
        columns: [Columns.name, Columns.string("CIDRs", "CIDRs defines the IP blocks in CIDR notation."), Columns.age],
        cells: { object, now in
            let cidrs = Read.array(object, "spec", "cidrs").compactMap(\.string).joined(separator: ",")
            return [.string(Read.name(object)), .string(cidrs), .string(Read.age(object, now: now))]
        })

    static let ipAddress = TablePrinter(
        columns: [Columns.name, Columns.string("ParentRef", "ParentRef references the resource that an IPAddress is attached to.")],
        cells: { object, now in
            var parent = "<none>"
            let reference = object["spec"]["parentRef"]
            if reference.object != nil {
                let resource = Read.string(reference, "resource"), group = Read.string(reference, "group")
                parent = (group.isEmpty ? resource : "\(resource).\(group)").lowercased()
                let namespace = Read.string(reference, "namespace")
                if !namespace.isEmpty { parent += "/" + namespace }
                parent += "/" + Read.string(reference, "name")
            }
            // Kubernetes appends the age although it declares no column for it.
            return [.string(Read.name(object)), .string(parent), .string(Read.age(object, now: now))]
        })

    /// Up to three rule hosts, "*" when none names a host.
    static func hosts(_ rules: [JSON]) -> String {
        var list: [String] = []
        var more = false
        for rule in rules {
            if list.count == 3 { more = true }
            let host = Read.string(rule, "host")
            if !more && !host.isEmpty { list.append(host) }
        }
        if list.isEmpty { return "*" }
        let joined = list.joined(separator: ",")
        return more ? "\(joined) + \(rules.count - 3) more..." : joined
    }
}
