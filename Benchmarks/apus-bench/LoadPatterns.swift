import ApusBenchSupport
import Foundation
import NIOCore
import NIOHTTP1

/// One request a client makes: returns nil when the server answered as expected, else why not.
typealias Operation = @Sendable (_ exchange: HTTPExchange, _ client: Int, _ index: Int) async throws -> String?

/// The two ways requests are driven: closed loop (each client sends its next request as soon as the
/// previous one is answered, measuring capacity) and open loop (requests are due at a fixed rate
/// whatever the server does, measuring latency at a given load).
struct LoadPatterns: Sendable {
    let connector: HTTPSConnector

    /// `clients` connections share `count` requests; stops early after `maxSeconds`.
    func closedLoop(_ phase: String, clients: Int, count: Int, maxSeconds: Double, _ operation: @escaping Operation) async throws -> PhaseResult {
        let channels = try await connector.connectAll(clients)
        let start = monotonicNanos()
        let deadline = start + UInt64(maxSeconds * 1e9)
        let tallies = try await withThrowingTaskGroup(of: ClientTally.self) { group in
            for (client, channel) in channels.enumerated() {
                let quota = share(of: count, worker: client, of: clients)
                group.addTask {
                    try await channel.exchange { exchange in
                        var tally = ClientTally()
                        tally.latencies.reserveCapacity(quota)
                        for index in 0..<quota {
                            let sent = monotonicNanos()
                            if sent > deadline { break }
                            do {
                                if let problem = try await operation(exchange, client, index) {
                                    tally.fail(problem)
                                } else {
                                    tally.latencies.append(monotonicNanos() - sent)
                                }
                            } catch {
                                tally.fail("\(error)")
                                break
                            }
                        }
                        return tally
                    }
                }
            }
            var all: [ClientTally] = []
            for try await tally in group { all.append(tally) }
            return ClientTally.merge(all)
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        var result = PhaseResult(name: phase, operations: tallies.latencies.count, errors: tallies.errors, seconds: seconds,
                                 latencies: LatencySummary(nanoseconds: tallies.latencies))
        if let first = tallies.firstError { result.notes.append("first error: \(first)") }
        return result
    }

    /// `rate` requests per second for `seconds`, spread round-robin over `connections` keep-alive
    /// connections. Latency counts from the moment a request was due, so a request held up behind a
    /// slow one on its connection is charged for the wait (no coordinated omission).
    func openLoop(_ phase: String, connections: Int, rate: Double, seconds: Double, _ operation: @escaping Operation) async throws -> PhaseResult {
        let channels = try await connector.connectAll(connections)
        let total = Int(rate * seconds)
        let interval = 1e9 / rate
        let start = monotonicNanos() + 20_000_000
        let outcomes = try await withThrowingTaskGroup(of: (ClientTally, [UInt64]).self) { group in
            for (client, channel) in channels.enumerated() {
                group.addTask {
                    try await channel.exchange { exchange in
                        var tally = ClientTally()
                        var service: [UInt64] = []
                        var index = client
                        while index < total {
                            let due = start + UInt64(Double(index) * interval)
                            let now = monotonicNanos()
                            if due > now { try await Task.sleep(nanoseconds: due - now) }
                            let sent = monotonicNanos()
                            do {
                                if let problem = try await operation(exchange, client, index) {
                                    tally.fail(problem)
                                } else {
                                    let done = monotonicNanos()
                                    tally.latencies.append(done - due)
                                    service.append(done - sent)
                                }
                            } catch {
                                tally.fail("\(error)")
                                break
                            }
                            index += connections
                        }
                        return (tally, service)
                    }
                }
            }
            var all: [(ClientTally, [UInt64])] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        let elapsed = Double(monotonicNanos() - start) / 1e9
        let tallies = ClientTally.merge(outcomes.map(\.0))
        let service = LatencySummary(nanoseconds: outcomes.flatMap(\.1))
        var result = PhaseResult(name: phase, operations: tallies.latencies.count, errors: tallies.errors, seconds: elapsed,
                                 latencies: LatencySummary(nanoseconds: tallies.latencies))
        result.notes.append(String(format: "offered %.0f/s over %d connections; service time alone p50 %.2f ms, p99 %.2f ms",
                                   rate, connections, service.p50, service.p99))
        if let first = tallies.firstError { result.notes.append("first error: \(first)") }
        return result
    }
}
