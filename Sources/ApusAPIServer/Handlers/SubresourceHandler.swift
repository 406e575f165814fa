import ApusMachinery
import ApusPatch
import ApusRegistry
import HTTPTypes
import Hummingbird

/// status, scale, binding, eviction and the namespace finalize subresource.
struct SubresourceHandler {
    let handler: ResourceHandler
    let def: ResourceDefinition
    let namespace: String?
    let name: String
    let subresource: String
    let query: QueryParameters
    let output: OutputFormat
    var store: Store { handler.store }

    func handle(request: inout Request) async throws -> Response {
        let isNamespaceFinalize = def.group.isEmpty && def.resource == "namespaces" && subresource == "finalize"
        guard isNamespaceFinalize || def.subresources.contains(where: { $0.rawValue == subresource }) else {
            throw APIError.notFoundPath(request.uri.path)
        }
        switch (subresource, request.method) {
        case ("status", .get):
            return output.single(try await store.get(def, namespace: namespace, name: name))
        case ("status", .put), ("finalize", .put):
            let body = try await handler.decodeBody(&request)
            let strategy: any ResourceStrategy = isNamespaceFinalize ? NamespaceFinalizeStrategy() : StatusStrategy(main: def.strategy)
            var options = try handler.writeOptions(query)
            options.subresource = subresource
            options.tracksManagedFields = !isNamespaceFinalize
            let check = UnknownFieldCheck(def: def, options: options)
            let (object, _) = try await store.update(def, namespace: namespace, name: name, mode: .replace(try check.apply(body)),
                                                     strategy: strategy, options: options)
            var response = output.single(object)
            check.warnings.add(to: &response)
            return response
        case ("status", .patch):
            let (type, patch) = try await handler.decodePatch(&request, def: def)
            var options = try handler.patchOptions(query, patchType: type)
            options.subresource = subresource
            let strategy = StatusStrategy(main: def.strategy)
            let check = UnknownFieldCheck(def: def, options: options)
            let object: JSON
            if type == .apply {
                object = try await ServerSideApply.apply(store: store, def: def, namespace: namespace, name: name, config: try check.apply(patch),
                                                         options: options, force: query.bool("force"), strategy: strategy)
            } else {
                object = try await store.update(def, namespace: namespace, name: name,
                                                mode: .transform(check.checking(ResourceHandler.patcher(type, patch, def: def))),
                                                strategy: strategy, options: options).0
            }
            var response = output.single(object)
            check.warnings.add(to: &response)
            return response
        case ("scale", .get):
            return Responses.object(try Scale.from(try await store.get(def, namespace: namespace, name: name).object))
        case ("scale", .put), ("scale", .patch):
            let newScale = try await scaleChange(&request)
            let (object, _) = try await store.update(def, namespace: namespace, name: name, mode: .transform { (current: JSON) throws(APIError) -> JSON in
                let scale = try newScale(try Scale.from(current))
                guard let replicas = scale["spec"]["replicas"].int, replicas >= 0 else {
                    throw APIError.invalid(kind: "Scale", group: "autoscaling", name: current["metadata"]["name"].string ?? "",
                                           errors: [.invalid("spec.replicas", scale["spec"]["replicas"], "must be greater than or equal to 0")])
                }
                if let rv = scale["metadata"]["resourceVersion"].string, !rv.isEmpty,
                   rv != current["metadata"]["resourceVersion"].string {
                    throw APIError.conflict(GroupResource(group: "autoscaling", resource: "scale"), name: current["metadata"]["name"].string ?? "")
                }
                var next = current
                next[path: ["spec", "replicas"]] = .int(replicas)
                next[path: ["metadata", "resourceVersion"]] = .null
                return next
            }, options: try scaleOptions())
            return Responses.object(try Scale.from(object))
        case ("binding", .post):
            let body = try await handler.decodeBody(&request)
            var options = try handler.writeOptions(query)
            options.tracksManagedFields = false  // Kubernetes binds without touching managedFields.
            try await PodBinding.bind(store: store, def: def, namespace: namespace, name: name, binding: body, options: options)
            return Responses.object(["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": 201],
                                    status: .created)
        case ("eviction", .post):
            let body = try await handler.decodeBody(&request)
            var options = DeleteOptions.from(body["deleteOptions"])
            if body["deleteOptions"].isNull { options = DeleteOptions() }
            try await PodEviction.evict(registry: handler.registry, podsDef: def, namespace: namespace ?? "default", name: name, options: options)
            return Responses.object(["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": 201],
                                    status: .created)
        case ("log", .get):
            return try await PodLogs.get(handler, podsDef: def, namespace: namespace ?? "default", name: name, query: query)
        case ("exec", .get), ("exec", .post), ("attach", .get), ("attach", .post):
            // Reached only when not upgraded to a WebSocket: the pod and container errors first, as
            // kube-apiserver gives them, else the protocol kubectl must use.
            _ = try await PodExec.kubeletURL(handler.server, namespace: namespace ?? "default", name: name, subresource: subresource,
                                             query: request.uri.query ?? "")
            throw APIError.badRequest("Upgrade request required: a WebSocket with protocol \(PodExec.subprotocol)")
        case ("log", _), ("exec", _), ("attach", _), ("portforward", _), ("proxy", _):
            let pod = try await store.get(def, namespace: namespace, name: name).object
            if (pod["spec"]["nodeName"].string ?? "").isEmpty {
                throw APIError.badRequest("pod \(name) does not have a host assigned")
            }
            throw APIError.serviceUnavailable("no node agent is connected for node \(pod["spec"]["nodeName"].string ?? "")")
        default:
            throw APIError.methodNotSupported(def.groupResource, verb: request.method.rawValue)
        }
    }
}

extension SubresourceHandler {
    func scaleOptions() throws(APIError) -> WriteOptions {
        var options = try handler.writeOptions(query)
        options.subresource = "scale"
        return options
    }

    /// How a PUT or PATCH of `/scale` turns the current Scale into the new one.
    func scaleChange(_ request: inout Request) async throws -> @Sendable (JSON) throws(APIError) -> JSON {
        if request.method == .put {
            let body = try await handler.decodeBody(&request)
            return { _ in body }
        }
        let (type, patch) = try await handler.decodePatch(&request, def: def)
        return { (current: JSON) throws(APIError) -> JSON in
            switch type {
            case .json: return try JSONPatch.apply(patch, to: current)
            case .strategic: return try StrategicMergePatch.apply(patch, to: current, schema: .empty)
            case .merge, .apply: return JSONMergePatch.apply(patch, to: current)
            }
        }
    }
}

/// autoscaling/v1 Scale views of scalable objects.
enum Scale {
    static func from(_ object: JSON) throws(APIError) -> JSON {
        let metadata = object["metadata"]
        var scaleMeta: JSON = ["name": metadata["name"], "uid": metadata["uid"], "resourceVersion": metadata["resourceVersion"],
                               "creationTimestamp": metadata["creationTimestamp"]]
        if let ns = metadata["namespace"].string { scaleMeta["namespace"] = .string(ns) }
        var status: JSON = ["replicas": .int(object["status"]["replicas"].int ?? 0)]
        let selectorJSON = object["spec"]["selector"]
        if case .object = selectorJSON {
            // Deployments and friends hold a LabelSelector; ReplicationControllers a plain map.
            let selector = selectorJSON["matchLabels"].isNull && selectorJSON["matchExpressions"].isNull
                ? LabelSelector(requirements: (selectorJSON.object ?? [:]).keys.sorted().map { .init(key: $0, op: .equals, values: [selectorJSON[$0].string ?? ""]) })
                : try LabelSelector.from(selectorJSON)
            status["selector"] = .string(selector.description)
        }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": scaleMeta,
                "spec": ["replicas": .int(object["spec"]["replicas"].int ?? 0)], "status": status]
    }
}

/// `pods/binding`: the scheduler's write that assigns a pod to a node, once.
enum PodBinding {
    static func bind(store: Store, def: ResourceDefinition, namespace: String?, name: String, binding: JSON, options: WriteOptions) async throws {
        guard let node = binding["target"]["name"].string, !node.isEmpty else {
            throw APIError.invalid(kind: "Binding", group: "", name: name, errors: [.required("target.name")])
        }
        let now = Timestamp.rfc3339(store.clock.now())
        _ = try await store.update(def, namespace: namespace, name: name, mode: .transform { (pod: JSON) throws(APIError) -> JSON in
            if let existing = pod["spec"]["nodeName"].string, !existing.isEmpty {
                throw APIError.conflict(def.groupResource, name: name, detail: "pod \(name) is already assigned to node \"\(existing)\"")
            }
            if !pod["metadata"]["deletionTimestamp"].isNull {
                throw APIError.conflict(def.groupResource, name: name, detail: "pod \(name) is being deleted, cannot be assigned to a host")
            }
            var next = pod
            next[path: ["spec", "nodeName"]] = .string(node)
            var conditions = (pod["status"]["conditions"].array ?? []).filter { $0["type"].string != "PodScheduled" }
            conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": .null, "lastTransitionTime": .string(now)])
            next[path: ["status", "conditions"]] = .array(conditions)
            next[path: ["metadata", "resourceVersion"]] = .null
            return next
        }, strategy: BindingStrategy(), options: options)
    }
}

/// Binding writes spec.nodeName and the PodScheduled condition, which the pod strategies refuse.
struct BindingStrategy: ResourceStrategy {
    var tracksGeneration: Bool { false }
}

/// `namespaces/<name>/finalize`: only spec.finalizers changes.
struct NamespaceFinalizeStrategy: ResourceStrategy {
    var tracksGeneration: Bool { false }
    func prepareForUpdate(_ object: inout JSON, old: JSON, context: WriteContext) async throws(APIError) {
        var merged = old
        merged[path: ["spec", "finalizers"]] = object["spec"]["finalizers"]
        merged[path: ["metadata", "resourceVersion"]] = object["metadata"]["resourceVersion"]
        object = merged
    }
}
