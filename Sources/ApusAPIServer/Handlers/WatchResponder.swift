import ApusMachinery
import ApusRegistry
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// Streams a watch: one JSON event per line, flushed as it happens, with optional bookmarks, until
/// the timeout, the client leaving, the server shutting down, or the server falling too far behind
/// this client.
struct WatchResponder {
    let server: APIServer
    let def: ResourceDefinition
    let output: OutputFormat

    /// What the writer loop consumes: store events, bookmark ticks, and the end.
    enum Item: Sendable {
        case event(WatchEvent)
        case bookmark
    }

    func respond(namespace: String?, options: ListOptions, request: Request) async throws -> Response {
        let (initial, events) = try await server.registry.store.watch(def, namespace: namespace, options: options)
        let timeout = options.timeoutSeconds.map { min($0, server.maxWatchSeconds.upperBound) }
            ?? Int.random(in: server.maxWatchSeconds)
        let bookmarks = options.allowWatchBookmarks
        let store = server.registry.store
        let def = self.def
        let output = self.output
        let observeDisconnect = server.watchesObserveDisconnect
        var headers = HTTPFields()
        headers[.contentType] = output.asTable ? Responses.table : Responses.json
        headers[.cacheControl] = "no-cache, private"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (items, continuation) = AsyncStream<Item>.makeStream()
            let forward = Task {
                for await event in events { continuation.yield(.event(event)) }
                continuation.finish()
            }
            let ticker = Task {
                while bookmarks, !Task.isCancelled {
                    try await Task.sleep(for: .seconds(60))
                    continuation.yield(.bookmark)
                }
            }
            let deadline = Task {
                try await Task.sleep(for: .seconds(timeout))
                continuation.finish()
            }
            defer {
                forward.cancel()
                ticker.cancel()
                deadline.cancel()
            }
            var first = true
            func encode(_ event: WatchEvent) -> ByteBuffer {
                var line: [UInt8] = []
                line.append(contentsOf: "{\"type\":\"\(event.kind.rawValue)\",\"object\":".utf8)
                if output.asTable, event.kind != .bookmark, event.kind != .error, let object = try? JSON.parse(event.objectBytes) {
                    output.table([object], resourceVersion: nil, continueToken: nil, headers: first).write(to: &line)
                    first = false
                } else {
                    line.append(contentsOf: event.objectBytes)
                }
                line.append(contentsOf: "}\n".utf8)
                return ByteBuffer(bytes: line)
            }
            func pump(_ writer: inout any ResponseBodyWriter) async throws {
                for event in initial { try await writer.write(encode(event)) }
                for await item in items {
                    switch item {
                    case .event(let event): try await writer.write(encode(event))
                    case .bookmark:
                        let revision = await store.currentRevision()
                        let object: JSON = ["kind": .string(def.kind), "apiVersion": .string(def.groupVersion),
                                            "metadata": ["resourceVersion": .string(String(revision))]]
                        try await writer.write(encode(WatchEvent(kind: .bookmark, objectBytes: object.serialized())))
                    }
                }
            }
            // A server shutting down ends its watches, as kube-apiserver does; clients watch again.
            try await withGracefulShutdownHandler {
                if observeDisconnect {
                    try await request.body.consumeWithInboundCloseHandler { _ in
                        try await pump(&writer)
                    } onInboundClosed: {
                        continuation.finish()
                    }
                } else {
                    try await pump(&writer)
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            try await writer.finish(nil)
        })
    }
}
