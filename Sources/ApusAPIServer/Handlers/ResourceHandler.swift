import ApusMachinery
import ApusPatch
import ApusPrinters
import ApusRegistry
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves one request on a resource path: resolves the definition, checks the scope, and runs the
/// verb against the generic store.
struct ResourceHandler {
    let server: APIServer
    let user: UserInfo
    /// The manager a write without `fieldManager` is recorded under: the user agent up to its first `/`.
    var userAgentManager: String?
    var registry: Registry { server.registry }
    var store: Store { server.registry.store }

    func handle(_ path: APIPath.ResourcePath, request: inout Request) async throws -> Response {
        guard let def = await registry.catalog.lookup(group: path.group, version: path.version, resource: path.resource) else {
            throw APIError.notFoundPath(request.uri.path)
        }
        if !def.namespaced, path.namespace != nil { throw APIError.notFoundPath(request.uri.path) }
        if def.namespaced, path.namespace == nil, path.name != nil { throw APIError.notFoundPath(request.uri.path) }
        let query = QueryParameters(request.uri.query)
        let namespace = path.namespace
        let output = OutputFormat(accept: request.headers[.accept], query: query, def: def, now: server.clock.now())

        if def.isVirtual, def.group == "metrics.k8s.io" {
            return try await ResourceMetrics.handle(def, namespace: namespace, name: path.name, method: request.method, query: query, server: server)
        }
        if def.isVirtual {
            return try await ComponentStatuses.handle(def, name: path.name, method: request.method, output: output, server: server)
        }
        if let subresource = path.subresource {
            guard let name = path.name else { throw APIError.notFoundPath(request.uri.path) }
            return try await SubresourceHandler(handler: self, def: def, namespace: namespace, name: name, subresource: subresource,
                                                query: query, output: output).handle(request: &request)
        }
        let isWatch = path.legacyWatch || query.bool("watch")
        switch request.method {
        case .get:
            if isWatch {
                var options = try listOptions(query)
                if let name = path.name {
                    options.fieldSelector.requirements.append(.init(field: "metadata.name", value: name, negated: false))
                }
                return try await WatchResponder(server: server, def: def, output: output)
                    .respond(namespace: namespace, options: options, request: request)
            }
            if let name = path.name {
                let object = try await store.get(def, namespace: namespace, name: name)
                return output.single(object)
            }
            let page = try await store.list(def, namespace: namespace, options: try listOptions(query))
            return output.list(page)
        case .post:
            guard path.name == nil else { throw APIError.methodNotSupported(def.groupResource, verb: "POST") }
            let body = try await decodeBody(&request)
            let options = try writeOptions(query)
            let check = UnknownFieldCheck(def: def, options: options)
            let created = try await store.create(def, namespace: namespace, body: try check.apply(body), options: options)
            var response = output.single(created, status: .created)
            check.warnings.add(to: &response)
            return response
        case .put:
            guard let name = path.name else { throw APIError.methodNotSupported(def.groupResource, verb: "PUT") }
            let body = try await decodeBody(&request)
            let options = try writeOptions(query)
            let check = UnknownFieldCheck(def: def, options: options)
            let (object, created) = try await store.update(def, namespace: namespace, name: name, mode: .replace(try check.apply(body)),
                                                           options: options)
            var response = output.single(object, status: created ? .created : .ok)
            check.warnings.add(to: &response)
            return response
        case .patch:
            guard let name = path.name else { throw APIError.methodNotSupported(def.groupResource, verb: "PATCH") }
            let (patchType, patch) = try await decodePatch(&request, def: def)
            let options = try patchOptions(query, patchType: patchType)
            let check = UnknownFieldCheck(def: def, options: options)
            let object: JSON
            if patchType == .apply {
                object = try await ServerSideApply.apply(store: store, def: def, namespace: namespace, name: name,
                                                         config: try check.apply(patch), options: options, force: query.bool("force"))
            } else {
                object = try await store.update(def, namespace: namespace, name: name,
                                                mode: .transform(check.checking(Self.patcher(patchType, patch, def: def))), options: options).0
            }
            var response = output.single(object)
            check.warnings.add(to: &response)
            return response
        case .delete:
            var options = DeleteOptions()
            let bytes = try await request.body.collect(upTo: 1 << 20)
            if bytes.readableBytes > 0 {
                options = DeleteOptions.from(try RequestBodyDecoder.decode(Array(buffer: bytes), contentType: request.headers[.contentType]))
            }
            if let grace = query.int("gracePeriodSeconds") { options.gracePeriodSeconds = Int64(grace) }
            if let policy = query["propagationPolicy"] { options.propagationPolicy = policy }
            if query["dryRun"] == "All" { options.dryRun = true }
            guard let name = path.name else {
                return try await deleteCollection(def, namespace: namespace, query: query, options: options, output: output)
            }
            switch try await store.delete(def, namespace: namespace, name: name, options: options) {
            case .pending(let object):
                return output.single(object, status: .accepted)
            case .deleted(let object):
                if def.group.isEmpty && def.resource == "pods" { return output.single(object) }
                return Responses.object(Self.successStatus(def, object))
            }
        default:
            throw APIError.methodNotSupported(def.groupResource, verb: request.method.rawValue)
        }
    }

    func deleteCollection(_ def: ResourceDefinition, namespace: String?, query: QueryParameters, options: DeleteOptions,
                          output: OutputFormat) async throws -> Response {
        let page = try await store.list(def, namespace: namespace, options: try listOptions(query))
        var deleted: [[UInt8]] = []
        for item in page.items {
            do {
                switch try await store.delete(def, namespace: item.namespace.isEmpty ? nil : item.namespace, name: item.name, options: options) {
                case .deleted(let object), .pending(let object): deleted.append(object.serialized())
                }
            } catch {
                if error.code == 404 { continue }
                throw error
            }
        }
        return Responses.bytes(Responses.list(kind: def.listKind, apiVersion: def.groupVersion, items: deleted,
                                              resourceVersion: page.resourceVersion, continueToken: nil, remainingItemCount: nil))
    }

    static func successStatus(_ def: ResourceDefinition, _ object: JSON) -> JSON {
        var details: JSON = ["name": object["metadata"]["name"], "kind": .string(def.resource)]
        if !def.group.isEmpty { details["group"] = .string(def.group) }
        if let uid = object["metadata"]["uid"].string { details["uid"] = .string(uid) }
        return ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "details": details]
    }

    func listOptions(_ query: QueryParameters) throws(APIError) -> ListOptions {
        var options = ListOptions()
        if let selector = query["labelSelector"] { options.labelSelector = try LabelSelector.parse(selector) }
        if let selector = query["fieldSelector"] { options.fieldSelector = try FieldSelector.parse(selector) }
        if let limit = query["limit"] {
            guard let value = Int(limit), value >= 0 else { throw APIError.badRequest("invalid limit: \(limit)") }
            options.limit = value
        }
        options.continueToken = query["continue"]
        options.resourceVersion = query["resourceVersion"]
        options.timeoutSeconds = query.int("timeoutSeconds")
        options.allowWatchBookmarks = query.bool("allowWatchBookmarks")
        return options
    }

    /// The options of a PATCH, checked as Kubernetes checks PatchOptions: an apply names its
    /// manager, and only an apply may force.
    func patchOptions(_ query: QueryParameters, patchType: PatchType) throws(APIError) -> WriteOptions {
        var options = try writeOptions(query)
        if patchType == .apply {
            if (query["fieldManager"] ?? "").isEmpty {
                throw APIError.invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "",
                                       errors: [.required("fieldManager", "is required for apply patch")])
            }
        } else if query["force"] != nil {
            throw APIError.invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "",
                                   errors: [.forbidden("force", "may not be specified for non-apply patch")])
        }
        return options
    }

    func writeOptions(_ query: QueryParameters) throws(APIError) -> WriteOptions {
        // Kubernetes names a write that names no manager after the client's user agent.
        var options = WriteOptions(dryRun: false, fieldManager: query["fieldManager"] ?? userAgentManager)
        if let manager = options.fieldManager {
            if manager.utf8.count > 128 {
                throw APIError.invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "", errors: [.tooLong("fieldManager", 128)])
            }
            if manager.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw APIError.invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "",
                                       errors: [.invalid("fieldManager", .string(manager), "must be printable")])
            }
        }
        for value in query.all("dryRun") {
            guard value == "All" else { throw APIError.badRequest("dryRun: Unsupported value: \"\(value)\": supported values: \"All\"") }
            options.dryRun = true
        }
        if let validation = query["fieldValidation"] {
            guard ["Strict", "Warn", "Ignore"].contains(validation) else {
                throw APIError.badRequest("fieldValidation: Unsupported value: \"\(validation)\": supported values: \"Ignore\", \"Strict\", \"Warn\"")
            }
            options.fieldValidation = validation
        }
        return options
    }

    func decodeBody(_ request: inout Request) async throws -> JSON {
        let buffer = try await request.body.collect(upTo: 3 * 1024 * 1024)
        return try RequestBodyDecoder.decode(Array(buffer: buffer), contentType: request.headers[.contentType])
    }

    func decodePatch(_ request: inout Request, def: ResourceDefinition) async throws -> (PatchType, JSON) {
        let contentType = request.headers[.contentType] ?? ""
        guard let patchType = PatchType(contentType: contentType) else { throw APIError.unsupportedMediaType(contentType) }
        if patchType == .strategic, def.isCustom {
            throw APIError.unsupportedMediaType("\(contentType): strategic merge patch is not supported for custom resources")
        }
        let buffer = try await request.body.collect(upTo: 3 * 1024 * 1024)
        let bytes = Array(buffer: buffer)
        let patch = patchType == .apply ? try RequestBodyDecoder.yaml(bytes) : try RequestBodyDecoder.json(bytes)
        return (patchType, patch)
    }

    static func patcher(_ type: PatchType, _ patch: JSON, def: ResourceDefinition) -> @Sendable (JSON) throws(APIError) -> JSON {
        let schema = PatchSchema.forKind(group: def.group, kind: def.kind)
        return { (current: JSON) throws(APIError) -> JSON in
            var base = current
            // The stored resourceVersion is not part of what a patch is applied to; a patch that sets
            // one makes the update conditional on it.
            base[path: ["metadata", "resourceVersion"]] = .null
            var result: JSON
            switch type {
            case .merge, .apply: result = JSONMergePatch.apply(patch, to: base)
            case .json: result = try JSONPatch.apply(patch, to: base)
            case .strategic: result = try StrategicMergePatch.apply(patch, to: base, schema: schema)
            }
            return result
        }
    }
}
