/// The outcome of a plugin at one extension point, as the framework's Status: a code, the
/// reasons shown to users (counted per node in FailedScheduling), and the plugin that said so.
struct Status: Sendable, Equatable {
    enum Code: Sendable, Equatable {
        case success
        case error
        /// The node does not fit now; preempting pods may help.
        case unschedulable
        /// The node does not fit and preemption cannot change that.
        case unschedulableAndUnresolvable
        /// The plugin has nothing to do for this pod (PreFilter, PreScore).
        case skip
    }

    var code: Code
    var reasons: [String]
    var plugin: String

    init(_ code: Code, _ reasons: [String] = [], plugin: String = "") {
        self.code = code
        self.reasons = reasons
        self.plugin = plugin
    }

    init(_ code: Code, _ reason: String, plugin: String = "") {
        self.init(code, [reason], plugin: plugin)
    }

    static let success = Status(.success)
    static let skip = Status(.skip)

    var isSuccess: Bool { code == .success }
    var isSkip: Bool { code == .skip }
    /// Unschedulable or UnschedulableAndUnresolvable.
    var isRejected: Bool { code == .unschedulable || code == .unschedulableAndUnresolvable }
    var message: String { reasons.joined(separator: ", ") }

    func with(plugin: String) -> Status {
        var copy = self
        copy.plugin = plugin
        return copy
    }
}
