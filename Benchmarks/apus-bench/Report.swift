import ApusBenchSupport
import ApusMachinery
import Foundation

/// Server memory at the two points the targets name.
struct MemoryFigures: Sendable {
    var idleRSS: Double = 0
    var loadedRSS: Double = 0
    var loadedPeak: Double = 0
    var storedObjects = 0
}

/// Everything one run measured.
struct BenchReport: Sendable {
    var machine: MachineInfo
    var command: String
    var phases: [String: PhaseResult] = [:]
    var order: [String] = []
    var memory = MemoryFigures()
    var storedValueBytes = 0

    mutating func add(_ key: String, _ result: PhaseResult) {
        phases[key] = result
        order.append(key)
    }

    /// kube-apiserver 1.20 + etcd 3.4 on the same kind of 2-core machine, and the targets for Apus.
    struct Target {
        var label: String
        var reference: String
        var goal: String
        var value: String
        var met: Bool?
    }

    var targets: [Target] {
        var rows: [Target] = []
        func throughput(_ key: String, _ label: String, reference: Double) {
            guard let phase = phases[key] else { return }
            rows.append(Target(label: label, reference: String(format: "%.0f/s", reference), goal: String(format: "≥ %.0f/s", 2 * reference),
                               value: String(format: "%.0f/s", phase.throughput), met: phase.throughput >= 2 * reference))
        }
        throughput("create", "creates/s, 8 clients", reference: 706)
        if let steady = phases["steady"] {
            rows.append(Target(label: "create p99 at 200/s", reference: "23 ms", goal: "≤ 15 ms",
                               value: String(format: "%.2f ms", steady.latencies.p99), met: steady.latencies.p99 <= 15))
        }
        throughput("get", "GETs/s", reference: 1465)
        throughput("list", "LISTs of 500/s (limit=500)", reference: 83)
        throughput("list-small", "LISTs of 500/s (ns of 500)", reference: 83)
        if memory.idleRSS > 0 {
            rows.append(Target(label: "RSS idle", reference: "372 MB", goal: "≤ 40 MB", value: String(format: "%.1f MiB", memory.idleRSS),
                               met: memory.idleRSS <= 40))
        }
        if memory.loadedRSS > 0 {
            rows.append(Target(label: "RSS with \(memory.storedObjects) objects", reference: "600 MB (6,000)", goal: "≤ 150 MB",
                               value: String(format: "%.1f MiB (peak %.1f)", memory.loadedRSS, memory.loadedPeak),
                               met: memory.loadedRSS <= 150))
        }
        return rows
    }

    func printTable() {
        print("")
        print("apus-bench — \(machine.date) — \(machine.processors) CPUs (\(machine.model)), \(machine.memoryMiB) MiB RAM, Linux \(machine.kernel)")
        print("command: \(command)")
        print("")
        print(pad("phase", 30) + lpad("ok", 8) + lpad("errors", 8) + lpad("seconds", 9) + lpad("per s", 10) + lpad("p50 ms", 9) + lpad("p90 ms", 9) + lpad("p99 ms", 9) + lpad("max ms", 9)
              + lpad("srv cpu", 9) + lpad("bench cpu", 10))
        print(String(repeating: "-", count: 120))
        for key in order {
            guard let p = phases[key] else { continue }
            print(pad(p.name, 30) + lpad("\(p.operations)", 8) + lpad("\(p.errors)", 8) + lpad(String(format: "%.2f", p.seconds), 9)
                  + lpad(String(format: "%.0f", p.throughput), 10) + lpad(String(format: "%.2f", p.latencies.p50), 9)
                  + lpad(String(format: "%.2f", p.latencies.p90), 9) + lpad(String(format: "%.2f", p.latencies.p99), 9)
                  + lpad(String(format: "%.2f", p.latencies.max), 9)
                  + lpad(p.serverCPU.map { String(format: "%.2f", $0 / max(p.seconds, 1e-9)) } ?? "-", 9)
                  + lpad(p.benchCPU.map { String(format: "%.2f", $0 / max(p.seconds, 1e-9)) } ?? "-", 10))
        }
        print("(srv cpu, bench cpu: CPU cores busy on average during the phase, server and load generator; the machine has \(machine.processors))")
        print("")
        for key in order {
            guard let p = phases[key], !p.notes.isEmpty else { continue }
            for note in p.notes { print("  \(p.name): \(note)") }
        }
        print("")
        print(String(format: "server RSS: idle %.1f MiB; with %d stored objects %.1f MiB (peak %.1f MiB)",
                     memory.idleRSS, memory.storedObjects, memory.loadedRSS, memory.loadedPeak))
        for line in ratioLines { print(line) }
        print("")
        print(pad("target", 30) + pad("kube-apiserver 1.20", 22) + pad("goal", 12) + pad("apus", 26) + "met")
        print(String(repeating: "-", count: 93))
        for t in targets {
            print(pad(t.label, 30) + pad(t.reference, 22) + pad(t.goal, 12) + pad(t.value, 26) + (t.met.map { $0 ? "yes" : "NO" } ?? "-"))
        }
        print("")
    }

    var ratioLines: [String] {
        var lines: [String] = []
        guard let create = phases["create"] else { return lines }
        for key in ["sqlite-1", "sqlite-8", "sqlite-1-normal"] {
            guard let raw = phases[key], raw.throughput > 0, raw.latencies.p50 > 0 else { continue }
            lines.append("apus creates vs \(raw.name): " + String(format: "throughput %.2f×, p50 %.2f×, p99 %.2f× (latency ratios > 1 mean apus is slower)",
                                create.throughput / raw.throughput, create.latencies.p50 / raw.latencies.p50,
                                create.latencies.p99 / raw.latencies.p99))
        }
        return lines
    }

    var json: JSON {
        var phaseList: [JSON] = []
        for key in order {
            guard let p = phases[key] else { continue }
            phaseList.append([
                "key": .string(key), "name": .string(p.name), "operations": .int(Int64(p.operations)), "errors": .int(Int64(p.errors)),
                "seconds": .double(p.seconds), "perSecond": .double(p.throughput),
                "latencyMs": ["p50": .double(p.latencies.p50), "p90": .double(p.latencies.p90), "p99": .double(p.latencies.p99),
                              "max": .double(p.latencies.max), "mean": .double(p.latencies.mean), "samples": .int(Int64(p.latencies.count))],
                "notes": .array(p.notes.map { .string($0) }),
                "serverCPUSeconds": p.serverCPU.map { .double($0) } ?? .null, "benchCPUSeconds": p.benchCPU.map { .double($0) } ?? .null,
            ])
        }
        return [
            "date": .string(machine.date), "command": .string(command),
            "machine": ["processors": .int(Int64(machine.processors)), "model": .string(machine.model),
                        "memoryMiB": .int(Int64(machine.memoryMiB)), "kernel": .string(machine.kernel)],
            "phases": .array(phaseList),
            "memoryMiB": ["idleRSS": .double(memory.idleRSS), "loadedRSS": .double(memory.loadedRSS), "loadedPeakRSS": .double(memory.loadedPeak),
                          "storedObjects": .int(Int64(memory.storedObjects))],
            "storedValueBytes": .int(Int64(storedValueBytes)),
            "targets": .array(targets.map { ["label": .string($0.label), "kubeApiserver": .string($0.reference), "goal": .string($0.goal),
                                             "apus": .string($0.value), "met": $0.met.map { .bool($0) } ?? .null] }),
        ]
    }
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

private func lpad(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}
