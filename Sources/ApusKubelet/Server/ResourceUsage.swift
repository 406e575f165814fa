import ApusCRI
import ApusMachinery
import Foundation

/// CPU and memory of the node and its containers, sampled every 10 s (as cAdvisor's housekeeping):
/// CPU is a rate, so it takes two samples of the cumulative time. Served as the kubelet's summary
/// API (`/stats/summary`), from which the API server answers metrics.k8s.io.
package actor ResourceUsage {
    struct CPU: Sendable, Equatable {
        var time: Double
        var usageCoreNanoSeconds: UInt64
        var usageNanoCores: UInt64?
    }

    struct Memory: Sendable, Equatable {
        var time: Double
        var workingSetBytes: UInt64
        var usageBytes: UInt64
        var availableBytes: UInt64?
    }

    struct Container: Sendable {
        var name: String
        var podName: String
        var podNamespace: String
        var podUID: String
        var cpu: CPU
        var memory: Memory
    }

    private var containers: [String: Container] = [:]
    private var nodeCPU: CPU?
    private var nodeMemory: Memory?

    package init() {}

    /// The CPU rate between two samples of cumulative CPU time, in nanocores.
    static func rate(previous: CPU?, time: Double, cumulative: UInt64) -> UInt64? {
        guard let previous, time > previous.time, cumulative >= previous.usageCoreNanoSeconds else { return nil }
        return UInt64(Double(cumulative - previous.usageCoreNanoSeconds) / (time - previous.time))
    }

    /// Takes one sample of the running containers (from the runtime) and of the node (from /proc).
    func sample(runtime: any ContainerRuntime, now: Double) async {
        if let stats = try? await runtime.containerStats(Runtime_V1_ContainerStatsFilter()) {
            var next: [String: Container] = [:]
            for stat in stats {
                let labels = stat.attributes.labels
                guard let podName = labels[RuntimeLabels.podName], let namespace = labels[RuntimeLabels.podNamespace] else { continue }
                let id = stat.attributes.id
                let time = stat.cpu.timestamp > 0 ? Double(stat.cpu.timestamp) / 1e9 : now
                let cumulative = stat.cpu.usageCoreNanoSeconds.value
                let cpu = CPU(time: time, usageCoreNanoSeconds: cumulative,
                              usageNanoCores: Self.rate(previous: containers[id]?.cpu, time: time, cumulative: cumulative))
                let memory = Memory(time: stat.memory.timestamp > 0 ? Double(stat.memory.timestamp) / 1e9 : now,
                                    workingSetBytes: stat.memory.workingSetBytes.value, usageBytes: stat.memory.usageBytes.value,
                                    availableBytes: stat.memory.hasAvailableBytes ? stat.memory.availableBytes.value : nil)
                next[id] = Container(name: stat.attributes.metadata.name, podName: podName, podNamespace: namespace,
                                     podUID: labels[RuntimeLabels.podUID] ?? "", cpu: cpu, memory: memory)
            }
            containers = next
        }
        if let cumulative = Self.hostCPUNanoseconds() {
            nodeCPU = CPU(time: now, usageCoreNanoSeconds: cumulative, usageNanoCores: Self.rate(previous: nodeCPU, time: now, cumulative: cumulative))
        }
        if let memory = Self.hostMemory() {
            nodeMemory = Memory(time: now, workingSetBytes: memory.total - memory.available, usageBytes: memory.total - memory.free,
                                availableBytes: memory.available)
        }
    }

    /// Kubernetes' stats/v1alpha1 Summary: the node, and each pod with its containers.
    func summary(nodeName: String) -> JSON {
        var node: JSON = ["nodeName": .string(nodeName)]
        if let nodeCPU { node["cpu"] = Self.json(nodeCPU) }
        if let nodeMemory { node["memory"] = Self.json(nodeMemory) }
        var pods: [String: JSON] = [:]
        for container in containers.values.sorted(by: { $0.name < $1.name }) {
            let key = container.podNamespace + "/" + container.podName
            var pod = pods[key] ?? ["podRef": ["name": .string(container.podName), "namespace": .string(container.podNamespace),
                                               "uid": .string(container.podUID)], "containers": []]
            var list = pod["containers"].array ?? []
            list.append(["name": .string(container.name), "cpu": Self.json(container.cpu), "memory": Self.json(container.memory)])
            pod["containers"] = .array(list)
            pods[key] = pod
        }
        return ["node": node, "pods": .array(pods.keys.sorted().compactMap { pods[$0] })]
    }

    static func json(_ cpu: CPU) -> JSON {
        var out: JSON = ["time": .string(Timestamp.rfc3339(cpu.time)), "usageCoreNanoSeconds": .int(Int64(clamping: cpu.usageCoreNanoSeconds))]
        if let rate = cpu.usageNanoCores { out["usageNanoCores"] = .int(Int64(clamping: rate)) }
        return out
    }

    static func json(_ memory: Memory) -> JSON {
        var out: JSON = ["time": .string(Timestamp.rfc3339(memory.time)), "workingSetBytes": .int(Int64(clamping: memory.workingSetBytes)),
                         "usageBytes": .int(Int64(clamping: memory.usageBytes))]
        if let available = memory.availableBytes { out["availableBytes"] = .int(Int64(clamping: available)) }
        return out
    }

    /// The host's busy CPU time since boot (the first line of /proc/stat, in USER_HZ ticks of 10 ms).
    static func hostCPUNanoseconds() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 8 else { return nil }
        // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy * 10_000_000
    }

    static func hostMemory() -> (total: UInt64, free: UInt64, available: UInt64)? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        var values: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " })
            if parts.count >= 2, let kib = UInt64(parts[1]) { values[String(parts[0])] = kib * 1024 }
        }
        guard let total = values["MemTotal"], let free = values["MemFree"], let available = values["MemAvailable"] else { return nil }
        return (total, free, available)
    }
}
