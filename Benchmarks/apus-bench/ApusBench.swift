import ApusBenchSupport
import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// Starts `apus server` on loopback, drives it over HTTPS with keep-alive clients, measures it, and
/// compares its creates with raw durable SQLite inserts made in the same run.
@main
struct ApusBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apus-bench",
        abstract: "Load generator for apus: creates, gets, lists, watch delivery and memory, next to raw durable SQLite inserts.")

    @Option(help: "The apus executable (default: `apus` next to this executable).")
    var apus: String?
    @Option(help: "Parent folder for the server's data dir and the SQLite baseline (default: the temporary directory).")
    var workDir: String?
    @Option(help: "Concurrent keep-alive HTTPS clients (one connection each).")
    var clients = 8
    @Option(help: "Event-loop threads the clients share (they compete with the server for the CPUs).")
    var clientThreads = 1
    @Option(help: "Bytes in each ConfigMap's data value.")
    var valueBytes = 1024
    @Option(help: "Unmeasured creates before the first phase.")
    var warmup = 200
    @Option(help: "Phase 1: closed-loop creates.")
    var creates = 6000
    @Option(help: "Phase 2: offered creates per second (open loop).")
    var steadyRate = 200.0
    @Option(help: "Phase 2: seconds at the steady rate.")
    var steadySeconds = 10.0
    @Option(help: "Phase 3: GETs by name.")
    var gets = 50000
    @Option(help: "Phase 4: LISTs.")
    var lists = 2000
    @Option(help: "Phase 4: items per LIST (?limit=).")
    var listLimit = 500
    @Option(help: "Phase 5: concurrent watch streams.")
    var watchers = 1
    @Option(help: "Phase 5: objects created while watching.")
    var watchEvents = 2000
    @Option(help: "Phase 6: ConfigMaps stored when the loaded RSS is taken (the bench creates what is missing).")
    var storedObjects = 10000
    @Option(help: "Phase 7: raw SQLite inserts per variant.")
    var sqliteInserts = 2000
    @Option(help: "Phase 7: concurrent writer tasks of the second variant.")
    var sqliteTasks = 8
    @Option(help: "Upper bound on any one phase, in seconds.")
    var phaseTimeout = 120.0
    @Option(help: "Seconds to let the server settle before reading its memory.")
    var settleSeconds = 2.0
    @Option(help: "Write the results as JSON to this file.")
    var json: String?
    @Flag(help: "Keep the server's data directory and log.")
    var keepData = false

    func validate() throws {
        guard clients > 0, clientThreads > 0, watchers > 0, sqliteTasks > 0 else { throw ValidationError("counts must be positive") }
        guard valueBytes > 0, steadyRate > 0, steadySeconds > 0, phaseTimeout > 0, listLimit > 0 else {
            throw ValidationError("sizes, rates and durations must be positive")
        }
        guard creates >= 0, gets >= 0, lists >= 0, watchEvents >= 0, warmup >= 0, sqliteInserts >= 0, storedObjects >= 0 else {
            throw ValidationError("counts must not be negative")
        }
    }

    func run() async throws {
        var report = BenchReport(machine: .current(), command: CommandLine.arguments.joined(separator: " "))
        let runDir = try makeRunDirectory(tool: "apus-bench", under: workDir)
        defer {
            if keepData { progress("kept \(runDir)") } else { try? FileManager.default.removeItem(atPath: runDir) }
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: clientThreads)
        do {
            let port = try await ServerProcess.freePort(group: group)
            progress("starting \(apusPath) on 127.0.0.1:\(port), data in \(runDir)/data")
            let server = try await ServerProcess.start(binary: apusPath, dataDir: runDir + "/data", port: port, timeoutSeconds: 60)
            let cleanup = InterruptCleanup(tool: "apus-bench", removing: keepData ? nil : runDir)
            cleanup.track(server.child)
            let handlers = cleanup.install()
            defer { handlers.forEach { $0.cancel() } }
            do {
                try await measureServer(server, group: group, report: &report)
            } catch {
                progress("failed: \(error)\nserver log (tail):\n\(server.logTail())")
                server.stop()
                throw error
            }
            server.stop()
            progress("server stopped")
            if sqliteInserts > 0 {
                try await measureBaseline(valueBytes: max(report.storedValueBytes, valueBytes), directory: runDir, report: &report)
            }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
        report.printTable()
        print("note: raw SQLite rows are one transaction per insert with synchronous=FULL (an fsync per commit) unless marked NORMAL.")
        if let json {
            try Data((report.json.serializedString + "\n").utf8).write(to: URL(fileURLWithPath: json))
            progress("wrote \(json)")
        }
    }

    var apusPath: String { apusExecutable(apus) }

    private func measureServer(_ server: ServerProcess, group: any EventLoopGroup, report: inout BenchReport) async throws {
        try await Task.sleep(for: .seconds(settleSeconds))
        report.memory.idleRSS = server.memory().rss
        progress(String(format: "idle RSS %.1f MiB", report.memory.idleRSS))

        let connector = HTTPSConnector(group: group, port: server.port, credentials: try ClientCredentials(kubeconfigPath: server.kubeconfigPath))
        let patterns = LoadPatterns(connector: connector)
        let factory = ConfigMapFactory(valueBytes: valueBytes)
        let workloads = Workloads(patterns: patterns, factory: factory, namespace: "default")
        var stored = 0
        /// Runs one phase, charges it the CPU both processes used, and records it under `key`.
        func phase(_ key: String?, _ body: () async throws -> PhaseResult) async throws -> PhaseResult {
            let serverBefore = server.cpu
            let benchBefore = cpuSeconds(pid: "self")
            var result = try await body()
            result.serverCPU = server.cpu - serverBefore
            result.benchCPU = cpuSeconds(pid: "self") - benchBefore
            guard server.isRunning else { throw BenchError("the server exited during \(result.name):\n\(server.logTail())") }
            if result.errors > 0 { progress("  \(result.errors) errors; \(result.notes.last ?? "")") }
            if result.operations == 0, result.errors > 0 { throw BenchError("\(result.name): every request failed") }
            if let key { report.add(key, result) }
            return result
        }

        if warmup > 0 {
            progress("warm-up: \(warmup) creates")
            stored += try await phase(nil) {
                try await patterns.closedLoop("warm-up", clients: clients, count: warmup, maxSeconds: phaseTimeout, workloads.create(prefix: "warm"))
            }.operations
        }
        if creates > 0 {
            progress("phase 1: \(creates) creates, \(clients) clients")
            stored += try await phase("create") {
                try await patterns.closedLoop("create, \(clients) clients", clients: clients, count: creates, maxSeconds: phaseTimeout,
                                              workloads.create(prefix: "create"))
            }.operations
        }
        let names = (0..<clients).flatMap { client in
            (0..<share(of: creates, worker: client, of: clients)).map { Workloads.name("create", client, $0) }
        }
        if let first = names.first {
            report.storedValueBytes = try await workloads.storedSize(name: first)
        }

        progress(String(format: "phase 2: %.0f creates/s for %.0f s", steadyRate, steadySeconds))
        stored += try await phase("steady") {
            try await patterns.openLoop(String(format: "create at %.0f/s (open loop)", steadyRate), connections: clients, rate: steadyRate,
                                        seconds: steadySeconds, workloads.create(prefix: "steady"))
        }.operations

        if gets > 0, !names.isEmpty {
            progress("phase 3: \(gets) GETs")
            _ = try await phase("get") {
                try await patterns.closedLoop("get by name, \(clients) clients", clients: clients, count: gets, maxSeconds: phaseTimeout,
                                              workloads.get(names: names))
            }
        }

        if lists > 0 {
            let probe = try await workloads.probeList(limit: listLimit)
            progress("phase 4: \(lists) LISTs of \(probe.items) (limit=\(listLimit)) in a namespace of \(probe.items + Int(probe.remaining ?? 0))")
            _ = try await phase("list") {
                var result = try await patterns.closedLoop("list limit=\(listLimit), \(clients) clients", clients: clients, count: lists,
                                                           maxSeconds: phaseTimeout, workloads.list(limit: listLimit))
                result.notes.insert("each list: \(probe.items) items, \(probe.bytes) bytes, from a namespace of \(probe.items + Int(probe.remaining ?? 0)) ConfigMaps", at: 0)
                return result
            }
            // The same size of answer from a namespace that holds exactly that many objects.
            let small = Workloads(patterns: patterns, factory: factory, namespace: "bench-list")
            try await small.createNamespace()
            let filled = try await patterns.closedLoop("fill bench-list", clients: clients, count: listLimit, maxSeconds: phaseTimeout,
                                                       small.create(prefix: "item"))
            stored += filled.operations
            let smallProbe = try await small.probeList(limit: 0)
            progress("phase 4b: \(lists) LISTs of a namespace holding \(smallProbe.items)")
            _ = try await phase("list-small") {
                var result = try await patterns.closedLoop("list whole ns of \(smallProbe.items), \(clients) cl.", clients: clients, count: lists,
                                                           maxSeconds: phaseTimeout, small.list(limit: 0))
                result.notes.insert("each list: \(smallProbe.items) items, \(smallProbe.bytes) bytes (no limit)", at: 0)
                return result
            }
        }

        if watchEvents > 0 {
            progress("phase 5: \(watcher(watchers)) while \(clients) clients create \(watchEvents) objects")
            var created = 0
            _ = try await phase("watch") {
                let (result, count) = try await WatchDelivery(workloads: workloads).run(watchers: watchers, clients: clients, events: watchEvents,
                                                                                         maxSeconds: phaseTimeout)
                created = count
                return result
            }
            stored += created
        }

        let existing = try await workloads.countAll()
        if storedObjects > existing {
            progress("phase 6: \(storedObjects - existing) more creates to reach \(storedObjects) ConfigMaps")
            stored += try await phase("fill") {
                try await patterns.closedLoop("fill to \(storedObjects) objects", clients: clients, count: storedObjects - existing,
                                              maxSeconds: 4 * phaseTimeout, workloads.create(prefix: "fill"))
            }.operations
        }
        try await Task.sleep(for: .seconds(settleSeconds))
        let memory = server.memory()
        report.memory.loadedRSS = memory.rss
        report.memory.loadedPeak = memory.peak
        report.memory.storedObjects = try await workloads.countAll()
        progress(String(format: "RSS with %d ConfigMaps (%d created by the bench): %.1f MiB (peak %.1f MiB)",
                        report.memory.storedObjects, stored, memory.rss, memory.peak))
    }

    /// Phase 7: the same number of durable inserts straight into SQLite, after the server has stopped.
    private func measureBaseline(valueBytes: Int, directory: String, report: inout BenchReport) async throws {
        let baseline = SQLiteBaseline(directory: directory, valueBytes: valueBytes)
        progress("phase 7: raw SQLite inserts, 1 writer")
        report.add("sqlite-1", try await baseline.run("raw SQLite insert, 1 writer", tasks: 1, count: sqliteInserts, maxSeconds: phaseTimeout))
        progress("phase 7: raw SQLite inserts, \(sqliteTasks) writers")
        report.add("sqlite-8", try await baseline.run("raw SQLite insert, \(sqliteTasks) tasks", tasks: sqliteTasks, count: sqliteInserts,
                                                      maxSeconds: phaseTimeout))
        // For context: the same inserts without an fsync per commit (what GRDB sets for WAL pools).
        var relaxed = baseline
        relaxed.synchronous = "NORMAL"
        progress("phase 7: raw SQLite inserts, 1 writer, synchronous=NORMAL")
        report.add("sqlite-1-normal", try await relaxed.run("raw SQLite, 1 writer, NORMAL", tasks: 1, count: sqliteInserts,
                                                            maxSeconds: phaseTimeout))
    }

    private func watcher(_ count: Int) -> String { count == 1 ? "1 watch" : "\(count) watches" }
}

func progress(_ message: String) {
    FileHandle.standardError.write(Data(("apus-bench: " + message + "\n").utf8))
}
