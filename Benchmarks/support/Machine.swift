import Foundation

/// The machine a run was made on, recorded next to its figures.
public struct MachineInfo: Sendable {
    public var processors: Int
    public var model: String
    public var memoryMiB: Int
    public var kernel: String
    public var date: String

    public static func current() -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let kib = meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }.map { Int(String($0.filter(\.isNumber))) ?? 0 } ?? 0
        let kernel = ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let formatter = ISO8601DateFormatter()
        return MachineInfo(processors: ProcessInfo.processInfo.activeProcessorCount, model: model, memoryMiB: kib / 1024,
                           kernel: kernel, date: formatter.string(from: Date()))
    }
}

/// Monotonic nanoseconds; a bench and its watch readers share this clock, so a timestamp taken
/// before a create can be compared with the arrival of the matching watch event.
public func monotonicNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// User + system CPU seconds a process has used so far, from /proc/<pid>/stat.
public func cpuSeconds(pid: String) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return 0 }
    // Fields after the command name start with the state (field 3); utime and stime are fields 14 and 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// A fresh folder for one run, `<tool>-<8 hex digits>` under `workDir` (default: the temporary
/// folder), with the `data` folder the server will use already in it. Returns the run's folder.
public func makeRunDirectory(tool: String, under workDir: String?) throws -> String {
    let runDir = URL(fileURLWithPath: workDir ?? NSTemporaryDirectory()).appendingPathComponent("\(tool)-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: runDir + "/data", withIntermediateDirectories: true)
    return runDir
}

/// A failure that ends a benchmark run, with what to tell the user.
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The `apus` executable a benchmark starts: `explicit` when given, else `apus` next to the
/// benchmark's own executable (both are built into the same folder).
public func apusExecutable(_ explicit: String?) -> String {
    if let explicit { return explicit }
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("apus").path
}
