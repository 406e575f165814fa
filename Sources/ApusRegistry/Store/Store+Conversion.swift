import ApusMachinery

/// Requests at a version other than the storage version: run against the storage definition,
/// with bodies converted on the way in and objects on the way out.
extension Store {
    func listConverted(_ def: ResourceDefinition, _ conversion: any VersionConversion, namespace: String?,
                       options: ListOptions) async throws(APIError) -> ListPage {
        var page = try await list(conversion.storage, namespace: namespace, options: options)
        page.items = page.items.map { $0.served(by: def) }
        return page
    }

    func watchConverted(_ def: ResourceDefinition, _ conversion: any VersionConversion, namespace: String?,
                        options: ListOptions) async throws(APIError) -> (initial: [WatchEvent], events: AsyncStream<WatchEvent>) {
        let (initial, source) = try await watch(conversion.storage, namespace: namespace, options: options)
        let convert: @Sendable (WatchEvent) -> WatchEvent = { event in
            WatchEvent(kind: event.kind, objectBytes: conversion.servedBytes(event.objectBytes))
        }
        let events = AsyncStream<WatchEvent> { continuation in
            let task = Task {
                for await event in source { continuation.yield(convert(event)) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return (initial.map(convert), events)
    }

    func createConverted(_ def: ResourceDefinition, _ conversion: any VersionConversion, namespace: String?, body: JSON,
                         options: WriteOptions) async throws(APIError) -> JSON {
        var object = body
        guard case .object = object else { throw APIError.badRequest("the body of the request must be a JSON object") }
        try checkTypeMeta(def, &object)
        var options = options
        options.requestVersion = def.groupVersion
        let created = try await create(conversion.storage, namespace: namespace, body: try conversion.toStorage(object), options: options)
        return conversion.fromStorage(created)
    }

    func updateConverted(_ def: ResourceDefinition, _ conversion: any VersionConversion, namespace: String?, name: String,
                         mode: UpdateMode, strategy: (any ResourceStrategy)?, options: WriteOptions) async throws(APIError) -> (JSON, created: Bool) {
        let toStorage: @Sendable (JSON) throws(APIError) -> JSON = { (object: JSON) throws(APIError) -> JSON in
            var served = object
            guard case .object = served else { throw APIError.badRequest("the body of the request must be a JSON object") }
            try checkTypeMeta(def, &served)
            return try conversion.toStorage(served)
        }
        let storedMode: UpdateMode
        switch mode {
        case .replace(let body): storedMode = .replace(try toStorage(body))
        case .transform(let transform):
            storedMode = .transform { (stored: JSON) throws(APIError) -> JSON in try toStorage(try transform(conversion.fromStorage(stored))) }
        }
        var options = options
        options.requestVersion = def.groupVersion
        let (object, created) = try await update(conversion.storage, namespace: namespace, name: name, mode: storedMode,
                                                 strategy: strategy, options: options)
        return (conversion.fromStorage(object), created)
    }
}
