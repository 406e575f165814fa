import ApusCRI
import Foundation
import Logging
import ServiceLifecycle

/// Loads the image archives of a directory (`<data-dir>/agent/images/*.tar`, as k3s's airgap
/// images) into containerd's CRI namespace once it answers: how a node gets images without a
/// registry. Archives already imported (same size and modification time) are skipped.
package struct ImageImport: Service {
    let directory: String
    let socket: String
    let runtime: any ContainerRuntime
    let progress: ImageImportProgress
    let logger: Logger

    package init(directory: String, socket: String, runtime: any ContainerRuntime, progress: ImageImportProgress, logger: Logger) {
        self.directory = directory
        self.socket = socket
        self.runtime = runtime
        self.progress = progress
        self.logger = logger
    }

    package func run() async throws {
        do {
            try await importArchives()
        } catch {
            // Pods then fail with the runtime's own error about the missing image.
            logger.error("cannot import the node's images", metadata: ["error": "\(error)"])
        }
        await progress.finish()
        // A service group ends when one of its services returns: stay until the agent stops.
        try? await gracefulShutdown()
    }

    private func importArchives() async throws {
        let archives = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".tar") }.sorted()
        guard !archives.isEmpty else { return }
        while (try? await runtime.version()) == nil {
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            try? await Task.sleep(for: .milliseconds(200))
        }
        let ctr = try ExecutableLookup.find("ctr")
        for archive in archives {
            let path = directory + "/" + archive
            let marker = path + ".imported"
            let stamp = Self.stamp(path)
            if (try? String(contentsOfFile: marker, encoding: .utf8)) == stamp { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ctr)
            process.arguments = ["-a", socket, "-n", "k8s.io", "images", "import", path]
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if process.terminationStatus == 0 {
                try? stamp.write(toFile: marker, atomically: true, encoding: .utf8)
                logger.info("imported images", metadata: ["archive": "\(path)"])
            } else {
                logger.error("cannot import images", metadata: ["archive": "\(path)", "error": "\(String(decoding: message, as: UTF8.self))"])
            }
        }
    }

    static func stamp(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size) \(modified)"
    }
}

/// Whether the node's image archives are imported: until then the node is not Ready and its pods
/// wait, so no sandbox is tried before the pause image is there.
package actor ImageImportProgress {
    package private(set) var isFinished: Bool

    package init(finished: Bool = false) { isFinished = finished }

    func finish() { isFinished = true }
}
