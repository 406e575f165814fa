import ApusControllerKit
import ApusMachinery
import Synchronization

/// A clock tests move by hand.
public final class ManualClock: WallClock {
    // A Mutex makes the one mutable value safe to share between tasks.
    private let seconds: Mutex<Double>

    public init(_ start: Double = 1_767_225_600) { seconds = Mutex(start) }

    public func now() -> Double { seconds.withLock { $0 } }
    public func advance(by delta: Double) { seconds.withLock { $0 += delta } }
    public func set(_ value: Double) { seconds.withLock { $0 = value } }
}

/// Keeps the events a control loop records, for assertions.
public actor RecordedEvents: EventSink {
    public struct Event: Sendable, Equatable {
        public var object: String
        public var type: String
        public var reason: String
        public var message: String
    }

    public private(set) var events: [Event] = []

    public init() {}

    public func record(_ object: JSON, type: String, reason: String, message: String) {
        events.append(Event(object: ObjectKey.of(object), type: type, reason: reason, message: message))
    }
}
