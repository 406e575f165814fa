import ApusControllerKit
import ApusMachinery

/// Kubernetes' EndpointSlice controller (`endpointslice`): keeps the discovery.k8s.io/v1
/// EndpointSlices of every Service with a selector — at most `maxEndpointsPerSlice` endpoints per
/// slice, one group per port set and address type, owned by the Service so they go with it.
public struct EndpointSliceController: ControlLoop {
    public let name = "endpointslice"

    let context: ControllerContext
    let maxEndpointsPerSlice: Int
    let tracker = EndpointSliceTracker()
    let triggerTimes = EndpointTriggerTimes()

    /// `maxEndpointsPerSlice` is `--max-endpoints-per-slice` (100).
    public init(context: ControllerContext, maxEndpointsPerSlice: Int = 100) {
        self.context = context
        self.maxEndpointsPerSlice = maxEndpointsPerSlice
    }

    public var workers: Int { 5 }

    public var watches: [LoopWatch] {
        let services = context.lister(.services)
        let tracker = self.tracker
        return [
            .primary(.services),
            LoopWatch(.pods) { old, new in await ServiceEndpointRules.servicesToSync(old: old, new: new, services: services) },
            // Only changes this controller did not make itself wake the service.
            LoopWatch(.endpointSlices) { old, new in await Self.servicesToSync(old: old, new: new, tracker: tracker) },
            // Nodes give endpoints their zone.
            LoopWatch(.nodes) { _, _ in [] },
        ]
    }

    var events: any EventSink { context.events("endpoint-slice-controller") }

    /// Slice changes this controller did not make itself wake the service.
    static func servicesToSync(old: JSON?, new: JSON?, tracker: EndpointSliceTracker) async -> [String] {
        func managed(_ slice: JSON) -> Bool {
            slice["metadata"]["labels"][EndpointSliceShapes.managedByLabel].string == EndpointSliceShapes.controllerName
        }
        if let old, let new {
            let oldKey = EndpointSliceTracker.serviceKey(of: old), newKey = EndpointSliceTracker.serviceKey(of: new)
            if oldKey != newKey { return [newKey, oldKey].compactMap { $0 } }
            if managed(old) != managed(new) { return [newKey].compactMap { $0 } }
            guard managed(new) else { return [] }
            let foreign = await tracker.shouldSync(new)
            return foreign ? [newKey].compactMap { $0 } : []
        }
        if let new {
            guard managed(new) else { return [] }
            let foreign = await tracker.shouldSync(new)
            return foreign ? [EndpointSliceTracker.serviceKey(of: new)].compactMap { $0 } : []
        }
        guard let old, managed(old) else { return [] }
        let tracked = await tracker.has(old)
        guard tracked else { return [] }
        let expected = await tracker.handleDeletion(old)
        return expected ? [] : [EndpointSliceTracker.serviceKey(of: old)].compactMap { $0 }
    }

    public func sync(_ key: String) async -> SyncResult {
        guard let service = await context.lister(.services).get(key) else {
            // The slices go with the service through their owner reference.
            await triggerTimes.forget(serviceKey: key)
            await tracker.forget(serviceKey: key)
            return .done
        }
        if service["spec"]["type"].string == "ExternalName" { return .done }
        guard let selector = ServiceEndpointRules.selector(of: service) else { return .done }

        let pods = await ServiceEndpointRules.pods(for: service, selector: selector, lister: context.lister(.pods))
        let serviceName = service["metadata"]["name"].string ?? ""
        let slices = await context.lister(.endpointSlices).list(namespace: service["metadata"]["namespace"].string ?? "").filter {
            $0["metadata"]["labels"][EndpointSliceShapes.serviceNameLabel].string == serviceName
                && $0["metadata"]["labels"][EndpointSliceShapes.managedByLabel].string == EndpointSliceShapes.controllerName
                && $0["metadata"]["deletionTimestamp"].isNull
        }
        if await tracker.isStale(serviceKey: key, slices: slices) { return .retry }
        let triggerTime = await triggerTimes.compute(serviceKey: key, service: service, pods: pods)

        var nodes: [String: JSON] = [:]
        for node in await context.lister(.nodes).list() { nodes[node["metadata"]["name"].string ?? ""] = node }
        let plan = EndpointSliceReconciler(service: service, maxEndpointsPerSlice: maxEndpointsPerSlice)
            .plan(pods: pods, existing: slices, nodes: nodes)

        var errors = plan.problems
        if let failure = await apply(plan, service: service, triggerTime: triggerTime) { errors.append(failure) }
        guard errors.isEmpty else {
            let message = errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"
            await events.record(service, type: "Warning", reason: "FailedToUpdateEndpointSlices",
                                message: "Error updating Endpoint Slices for Service \(key): \(message)")
            return .retry
        }
        return .done
    }

    /// finalize: creates (not for a service being deleted), updates, then deletes; the first failure.
    private func apply(_ plan: EndpointSlicePlan, service: JSON, triggerTime: Double?) async -> String? {
        let key = ObjectKey.of(service)
        if service["metadata"]["deletionTimestamp"].isNull {
            for slice in plan.creates {
                do {
                    await tracker.update(try await context.writer.create(.endpointSlices, annotated(slice, triggerTime)))
                } catch {
                    if ClusterLoopSupport.hasCause(error, "NamespaceTerminating") { return nil }
                    return "failed to create EndpointSlice for Service \(key): \(ClusterLoopSupport.describe(error))"
                }
            }
        }
        for slice in plan.updates {
            do {
                await tracker.update(try await context.writer.update(.endpointSlices, annotated(slice, triggerTime)))
            } catch {
                return "failed to update \(slice["metadata"]["name"].string ?? "") EndpointSlice for Service \(key): \(ClusterLoopSupport.describe(error))"
            }
        }
        for slice in plan.deletes {
            do {
                try await context.writer.delete(.endpointSlices, namespace: slice["metadata"]["namespace"].string,
                                                name: slice["metadata"]["name"].string ?? "")
                await tracker.expectDeletion(slice)
            } catch where error.code == 404 {
                continue
            } catch {
                return "failed to delete \(slice["metadata"]["name"].string ?? "") EndpointSlice for Service \(key): \(ClusterLoopSupport.describe(error))"
            }
        }
        return nil
    }

    /// addTriggerTimeAnnotation.
    private func annotated(_ slice: JSON, _ triggerTime: Double?) -> JSON {
        var slice = slice
        var annotations = slice["metadata"]["annotations"].object ?? [:]
        annotations[ServiceEndpointRules.triggerTimeAnnotation] = triggerTime.map { .string(Timestamp.rfc3339($0)) }
        slice[path: ["metadata", "annotations"]] = annotations.isEmpty ? .null : .object(annotations)
        return slice
    }
}
