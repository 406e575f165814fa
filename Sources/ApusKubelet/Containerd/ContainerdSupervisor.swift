import Foundation
import Logging
import ServiceLifecycle

/// Runs containerd as a child process with the config the agent renders, and starts it again when
/// it dies (with back-off), as k3s does. Containers outlive containerd: each has its own shim, so a
/// restart of containerd or of the agent leaves them running.
///
/// The child's pid is kept in `containerd.pid`: a containerd left behind by an agent that was
/// killed is stopped before a new one starts on the same root.
public struct ContainerdSupervisor: Service {
    let settings: ContainerdSettings
    let executable: String
    let logger: Logger

    public init(settings: ContainerdSettings, executable: String = "containerd", logger: Logger) {
        self.settings = settings
        self.executable = executable
        self.logger = logger
    }

    var pidFile: String { settings.paths.directory + "/containerd.pid" }

    public func run() async throws {
        let paths = settings.paths
        for directory in [paths.directory, paths.root, paths.state, paths.registryHosts, settings.cniConfDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try ContainerdConfig.render(settings).write(toFile: paths.configFile, atomically: true, encoding: .utf8)
        let path = try ExecutableLookup.find(executable)
        await stopLeftover()

        var backoff = 1.0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let started = ContinuousClock.now
            let status = try await runOnce(path)
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            // A containerd that ran for a while before dying starts again at once.
            if ContinuousClock.now - started > .seconds(60) { backoff = 1 }
            logger.warning("containerd exited; starting it again", metadata: ["status": "\(status)", "in": "\(backoff)s", "log": "\(paths.logFile)"])
            try? await Task.sleep(for: .seconds(backoff))
            backoff = min(backoff * 2, 30)
        }
    }

    /// Starts containerd and waits for it to exit; graceful shutdown sends it SIGTERM.
    private func runOnce(_ path: String) async throws -> Int32 {
        let pid = try ChildProcess.spawn(path, ["--config", settings.paths.configFile], logFile: settings.paths.logFile)
        try? String(pid).write(toFile: pidFile, atomically: true, encoding: .utf8)
        logger.info("containerd started", metadata: ["pid": "\(pid)", "socket": "\(settings.paths.socket)"])
        // Both a graceful shutdown and a cancelled task stop the child: none is left behind.
        return await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await ChildProcess.waitForExit(pid)
            } onGracefulShutdown: {
                kill(pid, SIGTERM)
            }
        } onCancel: {
            kill(pid, SIGTERM)
        }
    }

    /// Stops a containerd of this data dir that a killed agent left running.
    private func stopLeftover() async {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let cmdline = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
              cmdline.contains(settings.paths.configFile) else { return }
        logger.notice("stopping the containerd a previous agent left running", metadata: ["pid": "\(pid)"])
        kill(pid, SIGTERM)
        for _ in 0..<100 where kill(pid, 0) == 0 {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    }
}

/// Finds a program on PATH (or checks a path given with a slash).
enum ExecutableLookup {
    struct NotFound: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) was not found on PATH (install it: apt-get install containerd runc containernetworking-plugins)" }
    }

    static func find(_ name: String) throws -> String {
        if name.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: name) else { throw NotFound(name: name) }
            return name
        }
        let search = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":")
        for directory in search where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw NotFound(name: name)
    }
}
