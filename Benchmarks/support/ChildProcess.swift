import Foundation
import Synchronization

/// A process a benchmark started (an `apus server`, an `apus agent`), with its output in a log file.
public final class ChildProcess {
    public let process: Process
    public let logPath: String

    public var pid: Int32 { process.processIdentifier }

    private init(process: Process, logPath: String) {
        self.process = process
        self.logPath = logPath
    }

    /// Starts `binary` with `arguments`, stdout and stderr to `logPath`, stdin from /dev/null.
    public static func launch(binary: String, arguments: [String], logPath: String) throws -> ChildProcess {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no executable at \(binary) (build it with --product apus, or pass --apus)")
        }
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw BenchError("cannot create \(logPath)") }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return ChildProcess(process: process, logPath: logPath)
    }

    /// Resident and peak resident memory, in MiB, from /proc/<pid>/status.
    public func memory() -> (rss: Double, peak: Double) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func kib(_ field: String) -> Double {
            for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
                let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
                return Double(String(digits)).map { $0 / 1024 } ?? 0
            }
            return 0
        }
        return (kib("VmRSS"), kib("VmHWM"))
    }

    /// Whether the process still runs: it exists and is not a zombie. Read from /proc rather than
    /// `Process.isRunning`, which depends on Foundation noticing the child's exit.
    public var isRunning: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    /// User + system CPU seconds the process has used so far.
    public var cpu: Double { cpuSeconds(pid: String(pid)) }

    /// SIGTERM, then SIGKILL if the process has not exited within `graceSeconds`.
    public func stop(graceSeconds: Double = 5) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        var deadline = monotonicNanos() + UInt64(graceSeconds * 1e9)
        while isRunning, monotonicNanos() < deadline { usleep(20_000) }
        guard isRunning else { return }
        kill(pid, SIGKILL)
        deadline = monotonicNanos() + 5_000_000_000
        while isRunning, monotonicNanos() < deadline { usleep(20_000) }
    }

    public func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// The processes a benchmark has running, killed (and its work folder removed) when the benchmark
/// is interrupted with Ctrl-C or SIGTERM, so no server outlives its run.
public final class InterruptCleanup: Sendable {
    private let pids = Mutex<Set<Int32>>([])
    private let tool: String
    private let directory: String?

    /// `directory` (unless nil) is removed after the processes are killed.
    public init(tool: String, removing directory: String?) {
        self.tool = tool
        self.directory = directory
    }

    public func track(_ child: ChildProcess) { _ = pids.withLock { $0.insert(child.pid) } }
    public func untrack(_ child: ChildProcess) { _ = pids.withLock { $0.remove(child.pid) } }

    /// Installs the SIGINT and SIGTERM handlers; cancelling the sources returned removes them.
    public func install() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                let running = pids.withLock { $0 }
                FileHandle.standardError.write(Data("\(tool): interrupted; killing \(running.map(String.init).joined(separator: " "))\n".utf8))
                for pid in running { kill(pid, SIGKILL) }
                if let directory { try? FileManager.default.removeItem(atPath: directory) }
                exit(128 + signalNumber)
            }
            source.resume()
            return source
        }
    }
}
