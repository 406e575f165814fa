import ApusBenchSupport
import ArgumentParser
import Foundation

/// Control-plane benchmarks through the API: the scheduler with thousands of API-only nodes, and
/// a Deployment scaled with kubectl on simulated nodes.
@main
struct ClusterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apus-cluster-bench",
        abstract: "Control-plane benchmarks of apus through its API.",
        subcommands: [Scheduling.self, Scale.self])
}

/// Options every benchmark takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "The apus executable (default: `apus` next to this executable).")
    var apus: String?
    @Option(help: "Parent folder for the run's data dir (default: the temporary directory).")
    var workDir: String?
    @Option(help: "Concurrent API clients of the bench (creates, bindings).")
    var workers = 8
    @Option(help: "Upper bound on any one wait, in seconds.")
    var timeout = 600.0
    @Flag(help: "Keep the run's data directory and logs.")
    var keepData = false

    var apusPath: String { apusExecutable(apus) }

    /// Runs `body` with a fresh cluster folder, stopping every process and removing the folder
    /// (unless kept) however it ends.
    func withCluster<T>(_ body: (BenchCluster) async throws -> T) async throws -> T {
        let cluster = try await BenchCluster(apus: apusPath, workDir: workDir, keepData: keepData)
        do {
            let result = try await body(cluster)
            await finish(cluster)
            return result
        } catch {
            progress("failed; logs in \(cluster.dataDir)")
            await cluster.stopAll()
            throw error
        }
    }

    private func finish(_ cluster: BenchCluster) async {
        await cluster.stopAll()
        if keepData { progress("kept \(cluster.runDir)") } else { try? FileManager.default.removeItem(atPath: cluster.runDir) }
    }
}

struct Scheduling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scheduler throughput: NODES API-only nodes, PODS pending pods, bound by the scheduler of a freshly started server.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Nodes (API objects only, as in scheduler_perf).")
    var nodes = 5000
    @Option(help: "Pending pods to schedule.")
    var pods = 10000
    @Option(help: "Pods the bench binds itself afterwards, for the API's own binding rate (default: min(PODS, 10000)).")
    var floorPods: Int?

    func run() async throws {
        let machine = MachineInfo.current()
        let result = try await common.withCluster { cluster in
            try await SchedulingRun(cluster: cluster, nodes: nodes, pods: pods, floorPods: floorPods ?? min(pods, 10000),
                                    workers: common.workers, timeout: common.timeout).run()
        }
        print("""
        scheduling through the API (\(machine.processors) CPUs, \(machine.model), \(machine.date))
          nodes \(result.nodes), pods \(result.pods) (created at \(Int(Double(result.pods) / result.createSeconds))/s before the scheduler started)
          server start (loading the store) \(String(format: "%.2f", result.startupSeconds)) s
          first to last binding            \(String(format: "%.2f", result.scheduledSeconds)) s
          throughput                       \(Int(result.podsPerSecond)) pods/s (slowest whole second: \(result.worstSecond.isNaN ? "-" : String(Int(result.worstSecond))))
          throughput from server launch    \(Int(result.fromStartPerSecond)) pods/s
          server CPU while scheduling      \(String(format: "%.1f", result.serverCPU)) s
          floor: bench's own bindings      \(Int(result.floorPerSecond)) pods/s over \(result.floorPods) pods (\(common.workers) clients, no scheduling)
          ratio scheduler / floor          \(String(format: "%.2f", result.podsPerSecond / result.floorPerSecond))
          server RSS after                 \(String(format: "%.1f", result.rss.rss)) MiB (peak \(String(format: "%.1f", result.rss.peak)) MiB)
        """)
    }
}

struct Scale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "kubectl scale of a Deployment on simulated nodes: time to Running, and the server's memory.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Simulated nodes (apus agent --simulate).")
    var nodes = 100
    @Option(help: "Replicas of the first kubectl scale.")
    var replicas = 1000
    @Option(help: "Replicas of the second kubectl scale, after which memory is read.")
    var largeReplicas = 10000
    @Option(help: "Seconds to let the server settle before reading its memory.")
    var settleSeconds = 10.0

    func validate() throws {
        guard nodes > 0, replicas > 0, largeReplicas >= replicas else { throw ValidationError("need nodes > 0 and 0 < replicas <= large-replicas") }
        guard largeReplicas <= nodes * 110 else { throw ValidationError("at most 110 pods fit on a simulated node") }
    }

    func run() async throws {
        let machine = MachineInfo.current()
        let result = try await common.withCluster { cluster in
            try await ScaleRun(cluster: cluster, nodes: nodes, replicas: replicas, largeReplicas: largeReplicas, workers: common.workers,
                               timeout: common.timeout, settleSeconds: settleSeconds).run()
        }
        print("""
        kubectl scale on simulated nodes (\(machine.processors) CPUs, \(machine.model), \(machine.date))
          nodes \(result.nodes)
          scale 0 → \(result.replicas), all Running after     \(String(format: "%.2f", result.scaleSeconds)) s
          floor: \(result.replicas) pre-bound pods Running after \(String(format: "%.2f", result.floorSeconds)) s (ratio \(String(format: "%.2f", result.scaleSeconds / result.floorSeconds)))
          scale → \(result.largeReplicas), all Running after   \(String(format: "%.2f", result.largeSeconds)) s
          server RSS idle                          \(String(format: "%.1f", result.idleRSS)) MiB
          server RSS at \(result.nodes) nodes / \(result.largeReplicas) pods   \(String(format: "%.1f", result.serverRSS.rss)) MiB (peak \(String(format: "%.1f", result.serverRSS.peak)) MiB)
          simulating agent RSS                     \(String(format: "%.1f", result.agentRSS)) MiB
        """)
    }
}
