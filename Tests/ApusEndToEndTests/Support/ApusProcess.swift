import Foundation
import Synchronization
import Testing

/// A real `apus server` process on a free loopback port with its own data dir, driven by the real
/// kubectl. Tests fail (never skip) when either binary is missing, saying how to get it.
final class ApusProcess: Sendable {
    let dataDir: String
    let port: Int
    let kubeconfig: String
    let cacheDir: String
    private let process = Mutex<Process?>(nil)
    private let agents = Mutex<[Process]>([])

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["APUS_BINARY"] { return path }
        for configuration in ["debug", "release"] {
            let path = packageRoot.appendingPathComponent(".build/\(configuration)/apus").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw HarnessError("the apus binary is not built: run `swift build --product apus` first (or set APUS_BINARY)")
    }

    static func kubectlPath() throws -> String {
        for path in ["/usr/bin/kubectl", "/usr/local/bin/kubectl"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw HarnessError("kubectl is not installed: install the Debian package `kubectl` (apt-get install kubectl)")
    }

    /// A port the kernel just handed out on loopback (closed again before the server binds it).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    let extraServerArguments: [String]
    /// Whether the server runs its node agent (a kubelet on a containerd of its own).
    let withAgent: Bool
    /// The network namespaces that existed before this server started its node.
    let namespacesBefore: Set<String>

    init(serverArguments: [String] = [], withAgent: Bool = false) async throws {
        extraServerArguments = serverArguments
        self.withAgent = withAgent
        namespacesBefore = withAgent ? Self.networkNamespaces() : []
        dataDir = NSTemporaryDirectory() + "apus-e2e-" + UUID().uuidString
        port = Self.freePort()
        kubeconfig = dataDir + "/kubeconfig.yaml"
        cacheDir = dataDir + "/kubectl-cache"
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        if withAgent { try prepareAgent() }
        try await start()
    }

    /// The host's named network namespaces (containerd's CRI names its pods' `cni-<uuid>`).
    static func networkNamespaces() -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: "/var/run/netns")) ?? [])
    }

    /// The node's images (built from Debian packages), and registry hosts that keep every pull on
    /// loopback: docker.io resolves to a port where nothing listens, so no test reaches the internet.
    private func prepareAgent() throws {
        // ARP entries a crashed earlier run left for the addresses this run's pods will get.
        _ = try? Self.run("/usr/sbin/ip", ["neigh", "flush", "dev", "apus0"], stdin: nil, timeout: 10)
        let script = Self.packageRoot.appendingPathComponent("scripts/build-images.sh").path
        let built = try Self.run("/bin/bash", [script, dataDir + "/agent/images"], stdin: nil, timeout: 120)
        guard built.status == 0 else { throw HarnessError("scripts/build-images.sh failed: \(built.stderr)") }
        let hosts = dataDir + "/agent/containerd/certs.d/docker.io"
        try FileManager.default.createDirectory(atPath: hosts, withIntermediateDirectories: true)
        try """
        server = "http://127.0.0.1:9"
        [host."http://127.0.0.1:9"]
          capabilities = ["pull", "resolve"]
        """.write(toFile: hosts + "/hosts.toml", atomically: true, encoding: .utf8)
    }

    private func start() async throws {
        try? FileManager.default.removeItem(atPath: kubeconfig)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try Self.binary())
        child.arguments = ["server"] + (withAgent ? [] : ["--disable-agent"]) + ["--data-dir", dataDir, "--bind-address", "127.0.0.1",
                           "--https-listen-port", String(port), "--log-level", "warning"] + extraServerArguments
        let logPath = dataDir + "/server.log"
        if !FileManager.default.fileExists(atPath: logPath) { FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        child.standardOutput = log
        child.standardError = log
        try child.run()
        process.withLock { $0 = child }
        // Ready once the kubeconfig is written: the server writes it when it is listening.
        for _ in 0..<600 {
            if FileManager.default.fileExists(atPath: kubeconfig) { return }
            if !child.isRunning { throw HarnessError("apus server exited: \(serverLog())") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("apus server did not become ready in 30 s: \(serverLog())")
    }

    func serverLog() -> String { (try? String(contentsOfFile: dataDir + "/server.log", encoding: .utf8)) ?? "" }

    /// SIGKILL, as a crash would: nothing is flushed or closed.
    func kill9() {
        guard let child = process.withLock({ $0 }) else { return }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
    }

    func restart() async throws {
        kill9()
        try await start()
    }

    /// SIGTERM (which must stop the server within 30 s), then start again on the same data dir.
    func restartGracefully() async throws {
        if let child = process.withLock({ $0 }) { Self.terminate(child, "server") }
        try await start()
    }

    /// Starts `apus agent --simulate count` against this server and waits until its nodes are Ready.
    func startSimulatedNodes(_ count: Int, prefix: String = "sim-", extra: [String] = []) async throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try Self.binary())
        child.arguments = ["agent", "--simulate", String(count), "--kubeconfig", kubeconfig, "--node-prefix", prefix,
                           "--log-level", "warning"] + extra
        let logPath = dataDir + "/agent-\(prefix).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        child.standardOutput = log
        child.standardError = log
        try child.run()
        agents.withLock { $0.append(child) }
        try await eventually("\(count) simulated nodes Ready", timeout: 60) {
            let ready = try await self.kubectl(["get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}"])
            return ready.stdout.split(separator: " ").filter { $0.hasPrefix(prefix) && $0.hasSuffix("=True") }.count == count
        }
    }

    /// Polls `condition` every 250 ms until it holds; fails the wait after `timeout` seconds.
    func eventually(_ what: String, timeout: Double = 60, _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw HarnessError("timed out after \(Int(timeout)) s waiting for: \(what)")
    }

    /// Deletes every pod first, so the kubelet stops their containers and removes their sandboxes, then stops.
    func stopDeletingPods() async {
        _ = try? await kubectl(["delete", "pods", "--all", "--all-namespaces", "--grace-period=1", "--wait=true"], timeout: 90)
        stop()
    }

    func stop() {
        for agent in agents.withLock({ $0 }) { Self.terminate(agent, "agent") }
        if let child = process.withLock({ $0 }) { Self.terminate(child, "server") }
        if withAgent {
            // Whatever is left of this run's containerd (shims of containers a failed test left behind), and its mounts.
            _ = try? Self.run("/bin/sh", ["-c", "pkill -9 -f '\(dataDir)/'; sleep 0.5; grep -o ' \(dataDir)[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l"],
                              stdin: nil, timeout: 30)
            // Pods' network namespaces a killed containerd left: they would keep their addresses on
            // the host's bridge and answer for the next run's pods given the same addresses.
            for name in Self.networkNamespaces().subtracting(namespacesBefore) where name.hasPrefix("cni-") {
                _ = try? Self.run("/usr/sbin/ip", ["netns", "delete", name], stdin: nil, timeout: 10)
            }
            // The host's ARP entries for this run's pods: the next run gives the same addresses to
            // pods with other MACs, which a stale entry would keep unreachable for seconds.
            _ = try? Self.run("/usr/sbin/ip", ["neigh", "flush", "dev", "apus0"], stdin: nil, timeout: 10)
        }
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// SIGTERM must stop an apus process; one that hangs fails the test instead of the whole run.
    private static func terminate(_ child: Process, _ what: String) {
        guard child.isRunning else { return }
        child.terminate()
        let deadline = Date().addingTimeInterval(30)
        while child.isRunning, Date() < deadline { usleep(50_000) }
        if child.isRunning {
            Issue.record("apus \(what) did not stop within 30 s of SIGTERM")
            kill(child.processIdentifier, SIGKILL)
        }
        child.waitUntilExit()
    }

    deinit {
        for agent in agents.withLock({ $0 }) where agent.isRunning { agent.terminate() }
        if let child = process.withLock({ $0 }), child.isRunning { child.terminate() }
    }

    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs kubectl against this server on a thread of its own (it blocks) and returns its output.
    func kubectl(_ arguments: [String], stdin: String? = nil, timeout: Double = 60) async throws -> Output {
        let path = try Self.kubectlPath()
        let base = ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir]
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.run(path, base + arguments, stdin: stdin, timeout: timeout) })
            }
        }
    }

    static func run(_ path: String, _ arguments: [String], stdin: String?, timeout: Double) throws -> Output {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: path)
        child.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        child.standardOutput = out
        child.standardError = err
        child.standardInput = input
        try child.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes while the child runs so a large output never blocks it.
        let stdoutData = Mutex(Data()), stderrData = Mutex(Data())
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) { let d = out.fileHandleForReading.readDataToEndOfFile(); stdoutData.withLock { $0 = d } }
        DispatchQueue.global().async(group: readers) { let d = err.fileHandleForReading.readDataToEndOfFile(); stderrData.withLock { $0 = d } }
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning, Date() < deadline { usleep(20_000) }
        if child.isRunning { child.terminate() }
        child.waitUntilExit()
        readers.wait()
        return Output(status: child.terminationStatus,
                      stdout: String(decoding: stdoutData.withLock { $0 }, as: UTF8.self),
                      stderr: String(decoding: stderrData.withLock { $0 }, as: UTF8.self))
    }

    /// kubectl that must succeed; returns stdout.
    @discardableResult
    func ok(_ arguments: String..., stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await kubectl(arguments, stdin: stdin)
        #expect(result.status == 0, "kubectl \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// kubectl that must fail; returns stderr.
    @discardableResult
    func fails(_ arguments: String..., stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await kubectl(arguments, stdin: stdin)
        #expect(result.status != 0, "kubectl \(arguments.joined(separator: " ")) should have failed: \(result.stdout)", sourceLocation: sourceLocation)
        return result.stderr
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
