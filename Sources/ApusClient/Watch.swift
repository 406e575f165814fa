import ApusControllerKit
import ApusMachinery
import NIOCore

/// One change a watch reports.
public struct ResourceEvent: Sendable {
    public enum Kind: String, Sendable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED", bookmark = "BOOKMARK", error = "ERROR"
    }

    public var kind: Kind
    public var object: JSON

    public init(kind: Kind, object: JSON) {
        self.kind = kind
        self.object = object
    }

    public var resourceVersion: String? { object["metadata"]["resourceVersion"].string }
}

/// Splits a watch body into its lines, one JSON event each, however the bytes are chunked.
struct WatchLineSplitter {
    private var pending: [UInt8] = []

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [[UInt8]] {
        pending.append(contentsOf: bytes)
        var lines: [[UInt8]] = []
        var start = 0
        for index in pending.indices where pending[index] == UInt8(ascii: "\n") {
            if index > start { lines.append(Array(pending[start..<index])) }
            start = index + 1
        }
        pending.removeFirst(start)
        return lines
    }

    static func event(_ line: [UInt8]) throws(ClientError) -> ResourceEvent {
        guard let json = try? JSON.parse(line), let type = json["type"].string, let kind = ResourceEvent.Kind(rawValue: type) else {
            throw .malformed("watch event: \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        return ResourceEvent(kind: kind, object: json["object"])
    }
}

extension ResourceClient {
    /// One watch connection from `resourceVersion`: the events until the server closes it. An
    /// ERROR event (410 Gone once the revision is compacted) ends the stream with that error.
    public func watch(namespace: String? = nil, _ query: ListQuery = ListQuery(), resourceVersion: String,
                      timeoutSeconds: Int = 300) -> AsyncThrowingStream<ResourceEvent, any Error> {
        var parameters = query.parameters.filter { $0.0 != "resourceVersion" && $0.0 != "limit" && $0.0 != "continue" }
        parameters += [("watch", "true"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true"),
                       ("timeoutSeconds", String(timeoutSeconds))]
        let path = resource.path(namespace: namespace)
        let api = self.api
        let query = parameters
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let body = try await api.stream(path, query: query, timeout: Int64(timeoutSeconds + 30))
                    var splitter = WatchLineSplitter()
                    for try await buffer in body {
                        for line in splitter.feed(buffer.readableBytesView) {
                            let event = try WatchLineSplitter.event(line)
                            if event.kind == .error {
                                throw ClientError.api(APIClient.apiError(status: Int(event.object["code"].int ?? 500), body: event.object, path: path))
                            }
                            continuation.yield(event)
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
