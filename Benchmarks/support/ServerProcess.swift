import Foundation
import NIOCore
import NIOPosix

/// An `apus server` a benchmark started on loopback with its own data directory, and stops again.
public final class ServerProcess {
    public let child: ChildProcess
    public let dataDir: String
    public let port: Int

    public var kubeconfigPath: String { Self.kubeconfigPath(dataDir) }
    public var isRunning: Bool { child.isRunning }
    public var cpu: Double { child.cpu }
    public func memory() -> (rss: Double, peak: Double) { child.memory() }
    public func stop() { child.stop(graceSeconds: 30) }
    public func logTail(lines: Int = 20) -> String { child.logTail(lines: lines) }

    /// Where the server writes its kubeconfig once it serves.
    public static func kubeconfigPath(_ dataDir: String) -> String { dataDir + "/kubeconfig.yaml" }

    private init(child: ChildProcess, dataDir: String, port: Int) {
        self.child = child
        self.dataDir = dataDir
        self.port = port
    }

    /// Starts `apus server --disable-agent` (plus `extraArguments`) and waits until it has written
    /// its kubeconfig, which it does once it serves. The kubeconfig of an earlier run in the same
    /// data directory is removed first, so the wait is for this server. `logName` is the log file in
    /// the data directory.
    public static func start(binary: String, dataDir: String, port: Int, extraArguments: [String] = [], logName: String = "server.log",
                             timeoutSeconds: Double) async throws -> ServerProcess {
        let kubeconfig = kubeconfigPath(dataDir)
        try? FileManager.default.removeItem(atPath: kubeconfig)
        let child = try ChildProcess.launch(
            binary: binary,
            arguments: ["server", "--disable-agent", "--data-dir", dataDir, "--bind-address", "127.0.0.1",
                        "--https-listen-port", String(port), "--log-level", "warning"] + extraArguments,
            logPath: dataDir + "/" + logName)
        let server = ServerProcess(child: child, dataDir: dataDir, port: port)
        let deadline = monotonicNanos() + UInt64(timeoutSeconds * 1e9)
        while !FileManager.default.fileExists(atPath: kubeconfig) {
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

    /// A loopback TCP port nobody listens on right now (the kernel's choice for port 0).
    public static func freePort(group: any EventLoopGroup) async throws -> Int {
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw BenchError("could not find a free loopback port") }
        return port
    }
}
