import ApusControllerKit
import ApusMachinery

/// The pieces of discovery.k8s.io/v1 EndpointSlices the endpointslice controller builds.
enum EndpointSliceShapes {
    static let serviceNameLabel = "kubernetes.io/service-name"
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let controllerName = "endpointslice-controller.k8s.io"
    static let zoneLabel = "topology.kubernetes.io/zone"

    /// getAddressTypesForService: from spec.ipFamilies, else the cluster IP's family; a headless
    /// service without families gets both.
    static func addressTypes(of service: JSON) -> [String] {
        let families = (service["spec"]["ipFamilies"].array ?? []).compactMap(\.string)
        var types: [String] = []
        if families.contains("IPv4") { types.append("IPv4") }
        if families.contains("IPv6") { types.append("IPv6") }
        if !types.isEmpty { return types }
        if ServiceEndpointRules.hasClusterIP(service) {
            return [ServiceEndpointRules.isIPv6(service["spec"]["clusterIP"].string ?? "") ? "IPv6" : "IPv4"]
        }
        return ["IPv4", "IPv6"]
    }

    /// getEndpointPorts: one port per service port the pod can serve.
    static func ports(for service: JSON, pod: JSON) -> [JSON] {
        let servicePorts = service["spec"]["ports"].array ?? []
        if servicePorts.isEmpty && ServiceEndpointRules.isHeadless(service) { return [] }
        var ports: [JSON] = []
        for servicePort in servicePorts {
            guard let number = ServiceEndpointRules.findPort(pod, servicePort: servicePort) else { continue }
            var port: JSON = ["name": .string(servicePort["name"].string ?? ""), "port": .int(number),
                              "protocol": .string(servicePort["protocol"].string ?? "TCP")]
            if let appProtocol = servicePort["appProtocol"].string { port["appProtocol"] = .string(appProtocol) }
            ports.append(port)
        }
        return ports
    }

    /// NewPortMapKey: ports compared as a set.
    static func portKey(_ ports: [JSON]) -> String {
        ports.map(\.serializedString).sorted().joined(separator: ",")
    }

    /// podToEndpoint.
    static func endpoint(for pod: JSON, node: JSON?, service: JSON, addressType: String) -> JSON {
        let serving = PodState.isReady(pod)
        let terminating = PodState.isTerminating(pod)
        // A terminating pod is never ready, unless the service publishes not-ready addresses.
        let ready = service["spec"]["publishNotReadyAddresses"].bool == true || (serving && !terminating)
        let addresses = ServiceEndpointRules.podIPs(pod).filter { ServiceEndpointRules.isIPv6($0) == (addressType == "IPv6") }
        var endpoint: JSON = [
            "addresses": .array(addresses.map { .string($0) }),
            "conditions": ["ready": .bool(ready), "serving": .bool(serving), "terminating": .bool(terminating)],
            "targetRef": ["kind": "Pod", "namespace": pod["metadata"]["namespace"], "name": pod["metadata"]["name"],
                          "uid": pod["metadata"]["uid"]],
        ]
        if let nodeName = PodState.nodeName(pod) { endpoint["nodeName"] = .string(nodeName) }
        if let zone = node?["metadata"]["labels"][zoneLabel].string, !zone.isEmpty { endpoint["zone"] = .string(zone) }
        if ServiceEndpointRules.shouldSetHostname(pod, service) { endpoint["hostname"] = pod["spec"]["hostname"] }
        return endpoint
    }

    /// hashEndpoint: what identifies an endpoint across slices (addresses, hostname, target).
    static func endpointKey(_ endpoint: JSON) -> String {
        let addresses = (endpoint["addresses"].array ?? []).compactMap(\.string).sorted().joined(separator: ",")
        let target = endpoint["targetRef"]
        return "\(addresses)|\(endpoint["hostname"].string ?? "")|\(target["namespace"].string ?? "")/\(target["name"].string ?? "")"
    }

    /// EndpointsEqualBeyondHash: node, zone, conditions and target (without resourceVersion) agree.
    static func equalBeyondKey(_ a: JSON, _ b: JSON) -> Bool {
        var targetA = a["targetRef"], targetB = b["targetRef"]
        targetA["resourceVersion"] = .null
        targetB["resourceVersion"] = .null
        return a["nodeName"] == b["nodeName"] && a["zone"] == b["zone"] && targetA == targetB
            && a["conditions"]["ready"] == b["conditions"]["ready"] && a["conditions"]["serving"] == b["conditions"]["serving"]
            && a["conditions"]["terminating"] == b["conditions"]["terminating"]
    }

    /// setEndpointSliceLabels: the service's labels (minus reserved ones) plus the reserved labels;
    /// `changed` tells whether the service's labels differ from the slice's.
    static func labels(for slice: JSON?, service: JSON) -> (labels: JSONObject, changed: Bool) {
        let reserved: Set<String> = [serviceNameLabel, managedByLabel, ServiceEndpointRules.headlessLabel]
        let sliceLabels = (slice?["metadata"]["labels"].object ?? [:]).filter { !reserved.contains($0.key) }
        var labels = (service["metadata"]["labels"].object ?? [:]).filter { !reserved.contains($0.key) }
        let changed = sliceLabels != labels
        if !ServiceEndpointRules.hasClusterIP(service) { labels[ServiceEndpointRules.headlessLabel] = "" }
        labels[serviceNameLabel] = service["metadata"]["name"]
        labels[managedByLabel] = .string(controllerName)
        return (labels, changed)
    }

    /// newEndpointSlice: an empty slice for the service with these ports.
    static func newSlice(for service: JSON, ports: [JSON], addressType: String) -> JSON {
        let name = service["metadata"]["name"].string ?? ""
        return [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": ["generateName": .string(name + "-"), "namespace": service["metadata"]["namespace"],
                         "labels": .object(labels(for: nil, service: service).labels),
                         "ownerReferences": [OwnerReferences.controllerReference(to: service, apiVersion: "v1", kind: "Service")]],
            "addressType": .string(addressType), "endpoints": [], "ports": .array(ports),
        ]
    }

    /// ownedBy: the slice has an owner reference to this service (by uid).
    static func isOwned(_ slice: JSON, by service: JSON) -> Bool {
        (slice["metadata"]["ownerReferences"].array ?? []).contains {
            $0["uid"] == service["metadata"]["uid"] && $0["kind"].string == "Service" && $0["apiVersion"].string == "v1"
        }
    }

    /// placeholderSliceCompare: the same namespace, labels, owners, type, and no endpoints or ports.
    static func isSamePlaceholder(_ slice: JSON, _ placeholder: JSON) -> Bool {
        slice["metadata"]["namespace"] == placeholder["metadata"]["namespace"]
            && (slice["metadata"]["labels"].object ?? [:]) == (placeholder["metadata"]["labels"].object ?? [:])
            && slice["metadata"]["ownerReferences"] == placeholder["metadata"]["ownerReferences"]
            && slice["addressType"] == placeholder["addressType"]
            && (slice["endpoints"].array ?? []).isEmpty && (slice["ports"].array ?? []).isEmpty
    }
}
