import ApusControllerKit
import ApusMachinery
import Foundation
import Logging

/// Records core/v1 Events about objects the way client-go's recorder does: a repeat of the same event
/// bumps `count` and `lastTimestamp` of the one already written instead of writing another, and once
/// an object has had ten events of the same reason with different messages within ten minutes, the
/// rest are folded into one "(combined from similar events)" event.
public actor EventRecorder {
    let events: ResourceClient
    let component: String
    let host: String
    let logger: Logger
    private let now: @Sendable () -> Date
    private var written: [String: Written] = [:]
    private var similar: [String: Similar] = [:]

    static let window: Double = 600
    static let similarLimit = 10
    static let cacheLimit = 4096

    struct Written {
        var name: String
        var namespace: String
        var count: Int64
        var lastSeen: Date
    }

    struct Similar {
        var messages: Set<String>
        var since: Date
    }

    public init(api: APIClient, component: String, host: String = "", logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        events = ResourceClient(api, .events, fieldManager: component)
        self.component = component
        self.host = host
        self.logger = logger
        self.now = now
    }

    /// Records an event about `object` (`type` is Normal or Warning). Failures are logged, not
    /// thrown: an event that cannot be written must not stop the work it reports on.
    public func record(_ object: JSON, type: String, reason: String, message: String) async {
        let time = now()
        let reference = Self.reference(to: object)
        let namespace = reference["namespace"].string.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let message = aggregatedMessage(reference, type: type, reason: reason, message: message, at: time)
        let key = [component, host, reference.serializedString, type, reason, message].joined(separator: "\u{0}")
        if var known = written[key], time.timeIntervalSince(known.lastSeen) < Self.window {
            known.count += 1
            known.lastSeen = time
            let patch: JSON = ["count": .int(known.count), "lastTimestamp": .string(Timestamp.rfc3339(time.timeIntervalSince1970)),
                               "message": .string(message)]
            do {
                _ = try await events.patch(known.name, namespace: known.namespace, type: .merge, patch)
                written[key] = known
                return
            } catch {
                if error.code != 404 { logger.debug("could not update event \(known.name): \(error)") }
            }
        }
        let stamp = Timestamp.rfc3339(time.timeIntervalSince1970)
        let name = "\(reference["name"].string ?? "event").\(String(UInt64(max(0, time.timeIntervalSince1970 * 1e9)), radix: 16))"
        var source: JSON = ["component": .string(component)]
        if !host.isEmpty { source["host"] = .string(host) }
        var event: JSON = [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": reference, "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": source, "firstTimestamp": .string(stamp), "lastTimestamp": .string(stamp), "count": 1,
            "reportingComponent": .string(component),
        ]
        event["reportingInstance"] = host.isEmpty ? .null : .string(host)
        do {
            _ = try await events.create(event, namespace: namespace)
            if written.count >= Self.cacheLimit { written.removeAll(keepingCapacity: true) }
            written[key] = Written(name: name, namespace: namespace, count: 1, lastSeen: time)
        } catch {
            logger.debug("could not record event \(reason) for \(reference["name"].string ?? ""): \(error)")
        }
    }

    /// The message to record: the given one, or the combined form once too many similar events
    /// (same object, type and reason; other messages) came within the window.
    func aggregatedMessage(_ reference: JSON, type: String, reason: String, message: String, at time: Date) -> String {
        let key = [reference.serializedString, type, reason].joined(separator: "\u{0}")
        // Bounded as client-go bounds its correlator's caches: a long-lived recorder sees every
        // object it ever reported on.
        if similar[key] == nil, similar.count >= Self.cacheLimit { similar.removeAll(keepingCapacity: true) }
        var entry = similar[key] ?? Similar(messages: [], since: time)
        if time.timeIntervalSince(entry.since) > Self.window { entry = Similar(messages: [], since: time) }
        entry.messages.insert(message)
        similar[key] = entry
        return entry.messages.count > Self.similarLimit ? "(combined from similar events): \(message)" : message
    }

    /// The ObjectReference an event names: kind, namespace, name, uid, apiVersion, resourceVersion.
    public static func reference(to object: JSON) -> JSON {
        var reference = JSON.emptyObject
        reference["kind"] = object["kind"]
        reference["apiVersion"] = object["apiVersion"]
        for field in ["namespace", "name", "uid", "resourceVersion"] { reference[field] = object["metadata"][field] }
        return reference
    }
}
extension EventRecorder: EventSink {}
