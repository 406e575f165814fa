import ApusControllerKit
import ApusMachinery

/// Kubernetes' endpoints controller (`endpoint`): keeps one core/v1 Endpoints object per Service
/// with a selector, listing the selected pods' addresses (ready ones in `addresses`, the others in
/// `notReadyAddresses`) grouped by the ports they offer. Endpoints of deleted services are deleted.
public struct EndpointsController: ControlLoop {
    public let name = "endpoint"
    /// Kubernetes truncates Endpoints beyond this many addresses.
    static let maxCapacity = 1000
    static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"
    static let leaderAnnotation = "control-plane.alpha.kubernetes.io/leader"

    let context: ControllerContext
    let triggerTimes = EndpointTriggerTimes()
    let staleVersions = EndpointsStaleVersions()

    public init(context: ControllerContext) {
        self.context = context
    }

    public var workers: Int { 5 }

    public var watches: [LoopWatch] {
        let services = context.lister(.services)
        return [
            .primary(.services),
            LoopWatch(.pods) { old, new in await ServiceEndpointRules.servicesToSync(old: old, new: new, services: services) },
            // A deleted Endpoints object is rebuilt; Endpoints seen at start whose service is gone are deleted.
            LoopWatch(.endpoints) { old, new in
                if new == nil, let old { return [ObjectKey.of(old)] }
                if old == nil, let new, new["metadata"]["annotations"][Self.leaderAnnotation].isNull { return [ObjectKey.of(new)] }
                return []
            },
        ]
    }

    var events: any EventSink { context.events("endpoint-controller") }

    public func sync(_ key: String) async -> SyncResult {
        let (namespace, name) = ObjectKey.split(key)
        guard let service = await context.lister(.services).get(key) else {
            do {
                try await context.writer.delete(.endpoints, namespace: namespace, name: name)
            } catch where error.code != 404 {
                return .retry
            } catch {}
            await triggerTimes.forget(serviceKey: key)
            await staleVersions.forget(key)
            return .done
        }
        if service["spec"]["type"].string == "ExternalName" { return .done }
        guard let selector = ServiceEndpointRules.selector(of: service) else { return .done }

        let pods = await ServiceEndpointRules.pods(for: service, selector: selector, lister: context.lister(.pods))
        let triggerTime = await triggerTimes.compute(serviceKey: key, service: service, pods: pods)
        let subsets = Self.subsets(for: service, pods: pods)

        let cached = await context.lister(.endpoints).get(key)
        if let cached, await staleVersions.isStale(key, cached) { return .retry }
        let serviceLabels = service["metadata"]["labels"].object ?? [:]
        if let cached {
            var labels = cached["metadata"]["labels"].object ?? [:]
            labels[ServiceEndpointRules.headlessLabel] = nil
            let capacityNoted = !cached["metadata"]["annotations"][Self.overCapacityAnnotation].isNull
            if (cached["subsets"].array ?? []) == subsets && labels == serviceLabels
                && capacityNoted == (EndpointsSubsets.count(subsets) > Self.maxCapacity) {
                return .done
            }
        }

        var endpoints = cached ?? ["apiVersion": "v1", "kind": "Endpoints",
                                   "metadata": ["name": .string(name), "namespace": .string(namespace)]]
        var annotations = endpoints["metadata"]["annotations"].object ?? [:]
        annotations[ServiceEndpointRules.triggerTimeAnnotation] = triggerTime.map { .string(Timestamp.rfc3339($0)) }
        if let truncated = EndpointsSubsets.truncated(subsets, capacity: Self.maxCapacity) {
            endpoints["subsets"] = .array(truncated)
            annotations[Self.overCapacityAnnotation] = "truncated"
        } else {
            endpoints["subsets"] = subsets.isEmpty ? .null : .array(subsets)
            annotations[Self.overCapacityAnnotation] = nil
        }
        endpoints[path: ["metadata", "annotations"]] = annotations.isEmpty ? .null : .object(annotations)
        var labels = serviceLabels
        labels[ServiceEndpointRules.headlessLabel] = ServiceEndpointRules.hasClusterIP(service) ? nil : ""
        endpoints[path: ["metadata", "labels"]] = labels.isEmpty ? .null : .object(labels)

        do {
            if cached == nil {
                _ = try await context.writer.create(.endpoints, endpoints)
            } else {
                let updated = try await context.writer.update(.endpoints, endpoints)
                if let cached, updated["metadata"]["resourceVersion"] != cached["metadata"]["resourceVersion"] {
                    await staleVersions.markProcessed(key, cached)
                }
            }
            return .done
        } catch {
            if cached == nil && error.code == 403 && ClusterLoopSupport.hasCause(error, "NamespaceTerminating") { return .done }
            if cached == nil {
                await events.record(endpoints, type: "Warning", reason: "FailedToCreateEndpoint",
                                    message: "Failed to create endpoint for service \(key): \(ClusterLoopSupport.describe(error))")
            } else {
                await events.record(endpoints, type: "Warning", reason: "FailedToUpdateEndpoint",
                                    message: "Failed to update endpoint \(key): \(ClusterLoopSupport.describe(error))")
            }
            return .retry
        }
    }

    /// The subsets for the service's pods (syncService's loop and RepackSubsets).
    static func subsets(for service: JSON, pods: [JSON]) -> [JSON] {
        let publishNotReady = service["spec"]["publishNotReadyAddresses"].bool == true
        let ports = service["spec"]["ports"].array ?? []
        var builder = EndpointsSubsets()
        for pod in pods where ServiceEndpointRules.shouldInclude(pod, includeTerminating: publishNotReady) {
            guard var address = address(for: service, pod: pod) else { continue }
            if ServiceEndpointRules.shouldSetHostname(pod, service) { address["hostname"] = pod["spec"]["hostname"] }
            let ready = publishNotReady || PodState.isReady(pod)
            if ports.isEmpty {
                // A headless service may have no ports.
                if ServiceEndpointRules.isHeadless(service) { builder.add(address, port: nil, ready: ready) }
                continue
            }
            for servicePort in ports {
                guard let number = ServiceEndpointRules.findPort(pod, servicePort: servicePort) else { continue }
                var port: JSON = ["port": .int(number), "protocol": .string(servicePort["protocol"].string ?? "TCP")]
                if let portName = servicePort["name"].string, !portName.isEmpty { port["name"] = .string(portName) }
                if let appProtocol = servicePort["appProtocol"].string { port["appProtocol"] = .string(appProtocol) }
                builder.add(address, port: port, ready: ready)
            }
        }
        return builder.subsets
    }

    /// podToEndpointAddressForService: the pod IP of the service's (first) IP family.
    static func address(for service: JSON, pod: JSON) -> JSON? {
        let wantIPv6: Bool
        if let family = service["spec"]["ipFamilies"].array?.first?.string {
            wantIPv6 = family == "IPv6"
        } else if ServiceEndpointRules.hasClusterIP(service) {
            wantIPv6 = ServiceEndpointRules.isIPv6(service["spec"]["clusterIP"].string ?? "")
        } else {
            wantIPv6 = ServiceEndpointRules.isIPv6(pod["status"]["podIP"].string ?? "")
        }
        guard let ip = ServiceEndpointRules.podIPs(pod).first(where: { ServiceEndpointRules.isIPv6($0) == wantIPv6 }) else { return nil }
        var address: JSON = ["ip": .string(ip),
                             "targetRef": ["kind": "Pod", "namespace": pod["metadata"]["namespace"],
                                           "name": pod["metadata"]["name"], "uid": pod["metadata"]["uid"]]]
        if let node = PodState.nodeName(pod) { address["nodeName"] = .string(node) }
        return address
    }
}

/// staleEndpointsTracker: resourceVersions of Endpoints this controller already replaced, so a
/// cache still serving one of them is known to be behind.
actor EndpointsStaleVersions {
    private var processed: [String: String] = [:]

    func isStale(_ key: String, _ endpoints: JSON) -> Bool {
        guard let version = endpoints["metadata"]["resourceVersion"].string else { return false }
        return processed[key] == version
    }

    func markProcessed(_ key: String, _ endpoints: JSON) { processed[key] = endpoints["metadata"]["resourceVersion"].string }

    func forget(_ key: String) { processed[key] = nil }
}
