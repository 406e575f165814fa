import Foundation
import NIOCore
import NIOPosix

/// An `apus server` this benchmark started on loopback with its own data directory, and stops again.
final class ServerProcess {
    let process: Process
    let dataDir: String
    let port: Int
    let logPath: String

    var pid: Int32 { process.processIdentifier }
    var kubeconfigPath: String { dataDir + "/kubeconfig.yaml" }

    private init(process: Process, dataDir: String, port: Int, logPath: String) {
        self.process = process
        self.dataDir = dataDir
        self.port = port
        self.logPath = logPath
    }

    /// Starts the server and waits until it has written its kubeconfig (it does so once it serves).
    static func start(binary: String, dataDir: String, port: Int, timeoutSeconds: Double) async throws -> ServerProcess {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no apus executable at \(binary) (build it with --product apus, or pass --apus)")
        }
        let logPath = dataDir + "/server.log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw BenchError("cannot create \(logPath)") }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["server", "--disable-agent", "--data-dir", dataDir, "--bind-address", "127.0.0.1",
                             "--https-listen-port", String(port), "--log-level", "warning"]
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let server = ServerProcess(process: process, dataDir: dataDir, port: port, logPath: logPath)
        let deadline = monotonicNanos() + UInt64(timeoutSeconds * 1e9)
        while !FileManager.default.fileExists(atPath: server.kubeconfigPath) {
            guard server.isRunning else {
                throw BenchError("apus server exited before it was ready:\n\(server.logTail())")
            }
            guard monotonicNanos() < deadline else {
                server.stop()
                throw BenchError("apus server was not ready after \(Int(timeoutSeconds)) s:\n\(server.logTail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return server
    }

    /// Resident and peak resident memory of the server, in MiB, from /proc/<pid>/status.
    func memory() -> (rss: Double, peak: Double) {
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
    var isRunning: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    var cpu: Double { cpuSeconds(pid: String(pid)) }

    /// SIGTERM, then SIGKILL if the server has not exited within five seconds.
    func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        var deadline = monotonicNanos() + 5_000_000_000
        while isRunning, monotonicNanos() < deadline { usleep(20_000) }
        guard isRunning else { return }
        kill(pid, SIGKILL)
        deadline = monotonicNanos() + 5_000_000_000
        while isRunning, monotonicNanos() < deadline { usleep(20_000) }
    }

    /// Kills the server if this benchmark is interrupted (Ctrl-C, SIGTERM), removes `removing`
    /// (unless nil), then exits.
    func killOnInterrupt(removing directory: String?) -> [any DispatchSourceSignal] {
        let pid = self.pid
        return [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("apus-bench: interrupted; killing server \(pid)\n".utf8))
                kill(pid, SIGKILL)
                if let directory { try? FileManager.default.removeItem(atPath: directory) }
                exit(128 + signalNumber)
            }
            source.resume()
            return source
        }
    }

    func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// A loopback TCP port nobody listens on right now (the kernel's choice for port 0).
    static func freePort(group: any EventLoopGroup) async throws -> Int {
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw BenchError("could not find a free loopback port") }
        return port
    }
}
