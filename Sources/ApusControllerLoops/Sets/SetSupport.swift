import ApusControllerKit
import ApusMachinery

/// Small rules both set controllers share.
enum SetSupport {
    /// intstr.GetScaledValueFromIntOrPercent: an integer as is, `N%` of `total` rounded up or down;
    /// nil for anything else (Kubernetes' error).
    static func scaledValue(_ value: JSON, total: Int, roundUp: Bool) -> Int? {
        if let number = value.int, value.string == nil { return Int(number) }
        guard let text = value.string, text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return nil }
        let scaled = Double(percent) * Double(total) / 100
        return Int(roundUp ? scaled.rounded(.up) : scaled.rounded(.down))
    }

    /// An error as Go's `err.Error()` prints it in event messages.
    static func text(of error: any Error) -> String {
        switch error {
        case let error as ClientError:
            switch error {
            case .api(let status): status.message
            case .transport(let detail), .malformed(let detail): detail
            }
        case let error as SetSyncError: error.message
        default: "\(error)"
        }
    }

    static func isNotFound(_ error: any Error) -> Bool { (error as? ClientError)?.code == 404 }

    static func isAlreadyExists(_ error: any Error) -> Bool {
        if case .api(let status)? = error as? ClientError { return status.code == 409 && status.reason == "AlreadyExists" }
        return false
    }

    /// The namespace is being deleted: creations there fail, and Kubernetes ignores that.
    static func isNamespaceTerminating(_ error: any Error) -> Bool {
        if case .api(let status)? = error as? ClientError {
            return status.details?.causes.contains { $0.reason == "NamespaceTerminating" } ?? false
        }
        return false
    }

    static func isTerminating(_ object: JSON) -> Bool { !object["metadata"]["deletionTimestamp"].isNull }

    static func uid(_ object: JSON) -> String { object["metadata"]["uid"].string ?? "" }
    static func name(_ object: JSON) -> String { object["metadata"]["name"].string ?? "" }
    static func namespace(_ object: JSON) -> String { object["metadata"]["namespace"].string ?? "" }
}

/// Why a sync failed when no API call did.
struct SetSyncError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The earliest time a sync asks to be run again (Kubernetes' enqueueAfter calls during a sync).
struct SetRequeue {
    private(set) var delay: Double?

    mutating func after(_ seconds: Double) {
        let seconds = max(seconds, 0.001)
        delay = min(delay ?? seconds, seconds)
    }

    var result: SyncResult { delay.map { .requeue(after: $0) } ?? .done }
}
