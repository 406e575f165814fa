@testable import ApusCRI
@testable import ApusKubelet
import Foundation
import Logging
import Testing

/// A real containerd of the test's own (own root, state and socket under a temp dir), started by
/// the agent's supervisor, with the project's locally built images loaded. Tests fail, never skip,
/// when containerd or runc is missing, saying how to get them.
final class ContainerdHarness: Sendable {
    let directory: String
    let runtime: RemoteContainerRuntime
    let settings: ContainerdSettings
    private let tasks: [Task<Void, any Error>]

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    init() async throws {
        for tool in ["containerd", "runc", "ctr"] {
            guard (try? ExecutableLookup.find(tool)) != nil else {
                throw HarnessError("\(tool) is not installed: run scripts/install-deps.sh (Debian packages containerd, runc, containernetworking-plugins)")
            }
        }
        // Short: the socket path must fit a sockaddr_un (108 bytes).
        directory = "/tmp/apus-cri-" + String(UUID().uuidString.prefix(8))
        let paths = ContainerdPaths(directory: directory + "/containerd")
        settings = ContainerdSettings(paths: paths, sandboxImage: "apus.local/pause:1.0",
                                      cniBinDirectory: "/usr/lib/cni", cniConfDirectory: directory + "/cni")
        var logger = Logger(label: "test.containerd")
        logger.logLevel = .warning
        let supervisor = ContainerdSupervisor(settings: settings, logger: logger)
        let supervising = Task { try await supervisor.run() }
        // The transport connects lazily, so the client may start before the socket exists.
        runtime = try RemoteContainerRuntime(socket: paths.socket, timeout: .seconds(60))
        let runtime = runtime
        let connecting = Task { try await runtime.run() }
        tasks = [supervising, connecting]
        do {
            try await waitForRuntime()
            let load = [Self.packageRoot.appendingPathComponent("scripts/load-images.sh").path, paths.socket]
            do {
                try Self.run("/bin/bash", load)
            } catch {
                // Once more: an import failed once while the whole suite loaded both cores (its
                // message was lost); a second failure is reported with its own.
                try await Task.sleep(for: .seconds(2))
                try Self.run("/bin/bash", load)
            }
        } catch {
            await stop()
            throw error
        }
    }

    private func waitForRuntime() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? await runtime.version()) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: settings.paths.logFile, encoding: .utf8)) ?? ""
        throw HarnessError("containerd did not answer on \(settings.paths.socket) within 30 s; its log:\n\(log.suffix(3000))")
    }

    /// Removes every sandbox (and so every container and shim), then stops containerd.
    func stop() async {
        if let sandboxes = try? await runtime.listPodSandboxes(Runtime_V1_PodSandboxFilter()) {
            for sandbox in sandboxes {
                try? await runtime.stopPodSandbox(sandbox.id)
                try? await runtime.removePodSandbox(sandbox.id)
            }
        }
        for task in tasks { task.cancel() }
        for task in tasks { _ = await task.result }
        // Unmount what containerd left mounted under the temp dir, then remove it.
        _ = try? Self.run("/bin/sh", ["-c", "grep -o ' \(directory)[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw HarnessError("\(executable) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)):\n\(text)")
        }
        return text
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
