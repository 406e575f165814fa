import ApusMachinery
import ApusValidation

/// Amounts of compute resources as the scheduler counts them: cpu in millicores, memory and
/// ephemeral storage in bytes, the pod count a node allows, and scalar resources (extended
/// resources, hugepages) by name.
struct ResourceAmounts: Sendable, Equatable {
    var milliCPU: Int64 = 0
    var memory: Int64 = 0
    var ephemeralStorage: Int64 = 0
    /// Only meaningful for a node's allocatable (`pods`).
    var allowedPods: Int64 = 0
    var scalars: [String: Int64] = [:]

    /// Reads a core/v1 ResourceList (`{"cpu": "100m", "memory": "1Gi", ...}`).
    init(resourceList: JSON) {
        guard let list = resourceList.object else { return }
        for (name, quantity) in list { add(name: name, quantity: quantity) }
    }

    init() {}

    mutating func add(name: String, quantity: JSON) {
        switch name {
        case "cpu": milliCPU &+= QuantityReader.milliValue(quantity)
        case "memory": memory &+= QuantityReader.value(quantity)
        case "ephemeral-storage": ephemeralStorage &+= QuantityReader.value(quantity)
        case "pods": allowedPods &+= QuantityReader.value(quantity)
        default:
            if Self.isScalarResourceName(name) { scalars[name, default: 0] &+= QuantityReader.value(quantity) }
        }
    }

    mutating func add(_ other: ResourceAmounts) {
        milliCPU &+= other.milliCPU
        memory &+= other.memory
        ephemeralStorage &+= other.ephemeralStorage
        allowedPods &+= other.allowedPods
        for (name, value) in other.scalars { scalars[name, default: 0] &+= value }
    }

    mutating func subtract(_ other: ResourceAmounts) {
        milliCPU &-= other.milliCPU
        memory &-= other.memory
        ephemeralStorage &-= other.ephemeralStorage
        allowedPods &-= other.allowedPods
        for (name, value) in other.scalars { scalars[name, default: 0] &-= value }
    }

    /// Per-resource maximum (init containers run one after another, so they count by their peak).
    mutating func setMax(_ other: ResourceAmounts) {
        milliCPU = max(milliCPU, other.milliCPU)
        memory = max(memory, other.memory)
        ephemeralStorage = max(ephemeralStorage, other.ephemeralStorage)
        for (name, value) in other.scalars { scalars[name] = max(scalars[name] ?? 0, value) }
    }

    /// Extended resources (`example.com/gpu`), `kubernetes.io/`-prefixed native ones, hugepages and
    /// attachable volumes are "scalar" resources: counted by value under their own name.
    static func isScalarResourceName(_ name: String) -> Bool {
        name.hasPrefix("hugepages-") || name.hasPrefix("attachable-volumes-")
            || (name.contains("/") && !name.hasPrefix("requests."))
    }
}

/// Quantities as they appear in API objects: strings ("100m", "1Gi"), or plain numbers.
enum QuantityReader {
    static func milliValue(_ json: JSON) -> Int64 {
        switch json {
        case .string(let text): return (try? Quantity.parse(text))?.milliValue ?? 0
        case .int(let value): return value.multipliedReportingOverflow(by: 1000).overflow ? Int64.max : value * 1000
        case .double(let value): return clamp((value * 1000).rounded(.up))
        default: return 0
        }
    }

    static func value(_ json: JSON) -> Int64 {
        switch json {
        case .string(let text): return (try? Quantity.parse(text))?.value ?? 0
        case .int(let value): return value
        case .double(let value): return clamp(value.rounded(.up))
        default: return 0
        }
    }

    private static func clamp(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value >= 9.2e18 { return Int64.max }
        if value <= -9.2e18 { return Int64.min }
        return Int64(value)
    }
}
