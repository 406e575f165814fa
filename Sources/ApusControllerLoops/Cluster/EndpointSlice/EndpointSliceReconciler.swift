import ApusControllerKit
import ApusMachinery

/// The writes that bring a service's EndpointSlices to the desired state.
struct EndpointSlicePlan: Sendable {
    var creates: [JSON] = []
    var updates: [JSON] = []
    var deletes: [JSON] = []
    /// Pods that had to be left out (their node is unknown); the sync is retried.
    var problems: [String] = []
}

/// The endpointslice reconciler: groups the desired endpoints by port set and address type, keeps
/// existing slices where it can, fills them up to `maxEndpointsPerSlice`, and creates new ones for
/// the rest (Kubernetes' staging/src/k8s.io/endpointslice/reconciler.go).
struct EndpointSliceReconciler {
    let service: JSON
    let maxEndpointsPerSlice: Int

    /// Desired endpoints in a stable order, addressed by their identity.
    private struct EndpointSet {
        private(set) var order: [String] = []
        private(set) var items: [String: JSON] = [:]
        var count: Int { items.count }
        mutating func insert(_ endpoint: JSON) {
            let key = EndpointSliceShapes.endpointKey(endpoint)
            if items[key] == nil { order.append(key) }
            items[key] = endpoint
        }
        func get(_ key: String) -> JSON? { items[key] }
        mutating func remove(_ key: String) { items[key] = nil }
        mutating func popFirst() -> JSON? {
            while let key = order.first {
                order.removeFirst()
                if let item = items.removeValue(forKey: key) { return item }
            }
            return nil
        }
    }

    func plan(pods: [JSON], existing: [JSON], nodes: [String: JSON]) -> EndpointSlicePlan {
        let types = EndpointSliceShapes.addressTypes(of: service)
        var plan = EndpointSlicePlan()
        var unsupported: [JSON] = []
        var byType: [String: [JSON]] = [:]
        for slice in existing.sorted(by: { Self.name($0) < Self.name($1) }) {
            let type = slice["addressType"].string ?? ""
            if types.contains(type) { byType[type, default: []].append(slice) } else { unsupported.append(slice) }
        }
        for type in types {
            let part = reconcile(addressType: type, pods: pods, existing: byType[type] ?? [], nodes: nodes)
            plan.creates += part.creates
            plan.updates += part.updates
            plan.deletes += part.deletes
            plan.problems += part.problems
        }
        plan.deletes += unsupported
        return plan
    }

    /// reconcileByAddressType, including finalize's turning of creates into updates of slices that
    /// would otherwise be deleted.
    private func reconcile(addressType: String, pods: [JSON], existing: [JSON], nodes: [String: JSON]) -> EndpointSlicePlan {
        var plan = EndpointSlicePlan()
        var existingByPorts: [String: [JSON]] = [:]
        for slice in existing {
            if EndpointSliceShapes.isOwned(slice, by: service) {
                existingByPorts[EndpointSliceShapes.portKey(slice["ports"].array ?? []), default: []].append(slice)
            } else {
                plan.deletes.append(slice)
            }
        }

        var desired: [String: EndpointSet] = [:]
        var portsByKey: [String: [JSON]] = [:]
        var keyOrder: [String] = []
        let publishNotReady = service["spec"]["publishNotReadyAddresses"].bool == true
        for pod in pods where ServiceEndpointRules.shouldInclude(pod, includeTerminating: true) {
            let ports = EndpointSliceShapes.ports(for: service, pod: pod)
            let key = EndpointSliceShapes.portKey(ports)
            if desired[key] == nil {
                desired[key] = EndpointSet()
                portsByKey[key] = ports
                keyOrder.append(key)
            }
            let nodeName = pod["spec"]["nodeName"].string ?? ""
            let node = nodes[nodeName]
            if node == nil && !publishNotReady {
                plan.problems.append("skipping Pod \(pod["metadata"]["name"].string ?? "") for Service \(ObjectKey.of(service)): Node \(nodeName) Not Found")
                continue
            }
            let endpoint = EndpointSliceShapes.endpoint(for: pod, node: node, service: service, addressType: addressType)
            if !(endpoint["addresses"].array ?? []).isEmpty { desired[key]?.insert(endpoint) }
        }

        var creates: [JSON] = []
        var updates: [JSON] = []
        for key in keyOrder {
            guard var set = desired[key] else { continue }
            let part = reconcile(existing: existingByPorts[key] ?? [], desired: &set, ports: portsByKey[key] ?? [], addressType: addressType)
            creates += part.creates
            updates += part.updates
            plan.deletes += part.deletes
        }
        for key in existingByPorts.keys.sorted() where desired[key] == nil {
            plan.deletes += existingByPorts[key] ?? []
        }

        // A service without endpoints still gets one (placeholder) slice.
        if existing.count == plan.deletes.count && creates.isEmpty {
            let placeholder = EndpointSliceShapes.newSlice(for: service, ports: [], addressType: addressType)
            if plan.deletes.count == 1, EndpointSliceShapes.isSamePlaceholder(plan.deletes[0], placeholder) {
                plan.deletes = []
            } else {
                creates.append(placeholder)
            }
        }

        // Reuse slices about to be deleted instead of creating new ones.
        var index = 0
        while index < plan.deletes.count, var slice = creates.last {
            let old = plan.deletes[index]
            if old["addressType"] == slice["addressType"] && EndpointSliceShapes.isOwned(old, by: service) {
                slice[path: ["metadata", "name"]] = old["metadata"]["name"]
                slice[path: ["metadata", "uid"]] = old["metadata"]["uid"]
                slice[path: ["metadata", "resourceVersion"]] = old["metadata"]["resourceVersion"]
                creates.removeLast()
                updates.append(slice)
                plan.deletes.remove(at: index)
            } else {
                index += 1
            }
        }
        plan.creates = creates
        plan.updates = updates
        return plan
    }

    /// reconcileByPortMapping for one port set.
    private func reconcile(existing: [JSON], desired: inout EndpointSet, ports: [JSON], addressType: String)
        -> (creates: [JSON], updates: [JSON], deletes: [JSON])
    {
        var slicesByName: [String: JSON] = [:]
        var unchanged: [String] = []
        var toUpdate: [String] = []
        var toDelete: [String] = []

        // 1. Keep desired endpoints where they are, drop the others, refresh changed ones and labels.
        for slice in existing {
            let name = Self.name(slice)
            slicesByName[name] = slice
            let current = slice["endpoints"].array ?? []
            var kept: [JSON] = []
            var changed = false
            for endpoint in current {
                let key = EndpointSliceShapes.endpointKey(endpoint)
                guard let wanted = desired.get(key) else { continue }
                kept.append(wanted)
                if !EndpointSliceShapes.equalBeyondKey(wanted, endpoint) { changed = true }
                desired.remove(key)
            }
            let (labels, labelsChanged) = EndpointSliceShapes.labels(for: slice, service: service)
            if changed || kept.count != current.count {
                if kept.isEmpty {
                    toDelete.append(name)
                } else {
                    var copy = slice
                    copy["endpoints"] = .array(kept)
                    copy[path: ["metadata", "labels"]] = .object(labels)
                    slicesByName[name] = copy
                    toUpdate.append(name)
                }
            } else if labelsChanged {
                var copy = slice
                copy[path: ["metadata", "labels"]] = .object(labels)
                slicesByName[name] = copy
                toUpdate.append(name)
            } else {
                unchanged.append(name)
            }
        }

        // 2. Fill the slices being updated anyway, fullest first.
        if desired.count > 0 && !toUpdate.isEmpty {
            let fullestFirst = toUpdate.sorted { Self.count(slicesByName[$0]) > Self.count(slicesByName[$1]) }
            for name in fullestFirst {
                guard var slice = slicesByName[name] else { continue }
                var endpoints = slice["endpoints"].array ?? []
                while endpoints.count < maxEndpointsPerSlice, let endpoint = desired.popFirst() { endpoints.append(endpoint) }
                slice["endpoints"] = .array(endpoints)
                slicesByName[name] = slice
            }
        }

        // 3. Put what is left into the unchanged slice it fits best, or into new slices.
        var creates: [JSON] = []
        while desired.count > 0 {
            var slice: JSON
            if desired.count < maxEndpointsPerSlice, !unchanged.isEmpty,
               let name = bestFit(unchanged.compactMap { slicesByName[$0] }, adding: desired.count) {
                slice = slicesByName[name] ?? .null
            } else {
                slice = EndpointSliceShapes.newSlice(for: service, ports: ports, addressType: addressType)
            }
            var endpoints = slice["endpoints"].array ?? []
            while endpoints.count < maxEndpointsPerSlice, let endpoint = desired.popFirst() { endpoints.append(endpoint) }
            slice["endpoints"] = .array(endpoints)
            if let name = slice["metadata"]["name"].string {
                slicesByName[name] = slice
                if !toUpdate.contains(name) { toUpdate.append(name) }
                unchanged.removeAll { $0 == name }
            } else {
                creates.append(slice)
            }
        }
        return (creates, toUpdate.compactMap { slicesByName[$0] }, toDelete.compactMap { slicesByName[$0] })
    }

    /// getSliceToFill: the slice left closest to full after adding `adding` endpoints.
    private func bestFit(_ slices: [JSON], adding: Int) -> String? {
        var closest = maxEndpointsPerSlice
        var best: String?
        for slice in slices {
            let diff = maxEndpointsPerSlice - (adding + Self.count(slice))
            if diff >= 0 && diff < closest {
                closest = diff
                best = Self.name(slice)
                if diff == 0 { break }
            }
        }
        return best
    }

    private static func name(_ slice: JSON) -> String { slice["metadata"]["name"].string ?? "" }
    private static func count(_ slice: JSON?) -> Int { slice?["endpoints"].array?.count ?? 0 }
}
