import ApusBenchSupport
import ApusClient
import ApusControllerKit
import ApusMachinery
import Foundation
import NIOPosix

/// The processes of one benchmark run (an `apus server`, perhaps an `apus agent --simulate`) in a
/// work folder of their own, and an API client for the admin kubeconfig.
final class BenchCluster {
    let apus: String
    let runDir: String
    let port: Int
    let cleanup: InterruptCleanup
    private let signalHandlers: [any DispatchSourceSignal]
    private(set) var server: ServerProcess?
    private(set) var agent: ChildProcess?
    private(set) var api: APIClient?

    var dataDir: String { runDir + "/data" }
    var kubeconfigPath: String { ServerProcess.kubeconfigPath(dataDir) }

    init(apus: String, workDir: String?, keepData: Bool) async throws {
        self.apus = apus
        runDir = try makeRunDirectory(tool: "apus-cluster-bench", under: workDir)
        port = try await ServerProcess.freePort(group: MultiThreadedEventLoopGroup.singleton)
        cleanup = InterruptCleanup(tool: "apus-cluster-bench", removing: keepData ? nil : runDir)
        signalHandlers = cleanup.install()
    }

    /// Starts (or restarts) the server with `arguments` after `--disable-agent` and waits for it.
    func startServer(_ arguments: [String], log: String) async throws {
        progress("starting apus server \(arguments.joined(separator: " ")) on 127.0.0.1:\(port)")
        let server = try await ServerProcess.start(binary: apus, dataDir: dataDir, port: port, extraArguments: arguments, logName: log,
                                                   timeoutSeconds: 120)
        cleanup.track(server.child)
        self.server = server
        if let api { try? await api.shutdown() }
        api = try APIClient(config: try ClientConfig.kubeconfig(path: kubeconfigPath, userAgent: "apus-cluster-bench"))
    }

    func stopServer() async {
        if let api { try? await api.shutdown() }
        api = nil
        guard let server else { return }
        server.stop()
        cleanup.untrack(server.child)
        self.server = nil
    }

    /// `apus agent --simulate N` against this server.
    func startSimulatedNodes(_ count: Int, podsPerNode: Int) throws {
        let agent = try ChildProcess.launch(binary: apus, arguments: ["agent", "--simulate", String(count), "--kubeconfig", kubeconfigPath,
                                                                      "--pods", String(podsPerNode), "--log-level", "warning"],
                                            logPath: dataDir + "/agent.log")
        cleanup.track(agent)
        self.agent = agent
    }

    func stopAll() async {
        if let agent {
            agent.stop()
            cleanup.untrack(agent)
        }
        agent = nil
        await stopServer()
        signalHandlers.forEach { $0.cancel() }
    }

    func client(_ resource: Resource) throws -> ResourceClient {
        guard let api else { throw BenchError("the server is not running") }
        return ResourceClient(api, resource, fieldManager: "apus-cluster-bench")
    }

    func createNamespace(_ name: String) async throws {
        _ = try await client(.namespaces).create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
    }

    /// Runs `kubectl` with this cluster's kubeconfig; throws with its output when it fails.
    @discardableResult
    func kubectl(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl", "--kubeconfig", kubeconfigPath] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw BenchError("kubectl \(arguments.joined(separator: " ")): \(text)") }
        return text
    }

    /// Polls `check` every 200 ms for up to `seconds`; throws `what` on time-out.
    func waitUntil(_ what: String, seconds: Double, _ check: () async throws -> Bool) async throws {
        let deadline = monotonicNanos() + UInt64(seconds * 1e9)
        while monotonicNanos() < deadline {
            if try await check() { return }
            guard server?.isRunning ?? false else { throw BenchError("the server exited while waiting for \(what):\n\(server?.logTail() ?? "")") }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchError("timed out after \(Int(seconds)) s waiting for \(what)")
    }
}

/// Runs `body(index)` for every index in `0..<count` on `workers` concurrent tasks; returns the
/// seconds it took. The first error ends the run.
func concurrently(_ count: Int, workers: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
    let start = monotonicNanos()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<workers {
            group.addTask {
                var index = worker
                while index < count {
                    try await body(index)
                    index += workers
                }
            }
        }
        try await group.waitForAll()
    }
    return Double(monotonicNanos() - start) / 1e9
}

func progress(_ message: String) {
    FileHandle.standardError.write(Data(("apus-cluster-bench: " + message + "\n").utf8))
}
